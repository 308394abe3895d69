"""The gold QA set: every evidence string is verbatim (whitespace aside) in its document and unique."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.corpus import body_codes, raw_documents
from eval.followups import load_followups
from eval.gold import GoldError, load_gold

pytestmark = pytest.mark.corpus

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"


def test_gold_evidence_is_verbatim_and_unique() -> None:
    # The split and the parts hold the same questions (same ids), so each set is loaded on its own.
    for files in (sorted(GOLD.glob("*.jsonl")), sorted((GOLD / "parts").glob("*.jsonl"))):
        assert files
        load_gold(files, documents=raw_documents(), bodies=body_codes(), require_unique=True)


def test_briefing_set_and_its_followups_are_verbatim_and_well_formed() -> None:
    folder = GOLD / "briefing"
    questions = load_gold([folder / "dev.jsonl", folder / "test.jsonl"], documents=raw_documents(),
                          bodies=body_codes(), require_unique=True)
    assert {q.group for q in questions} == {"unanswerable", "which_bodies", "colloquial"}
    conversations = load_followups(sorted(folder.glob("followups_*.jsonl")), documents=raw_documents(),
                                   bodies=body_codes())
    assert conversations and all(len(c.turns) == 2 for c in conversations)


def test_evidence_repeated_in_the_corpus_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(
        '{"id": "x", "lang": "zh-Hant", "type": "fact", "question": "q", "bodies": [], "answer_keywords": [],'
        ' "evidence": [{"doc": "000_f19342d821a7e080", "section": "1", "text": "新質生產力"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(GoldError, match="times in the corpus"):
        load_gold([path], documents=raw_documents(), bodies=body_codes(), require_unique=True)
