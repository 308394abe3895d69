"""The outline scorer, on a small invented document, and the parser's score on the hand-written unseen outlines
(eval/unseen, and eval/unseen2's four layouts written for outline checking)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.outline import main, overall, score_corpus, score_document
from rag.corpus.sections import parse_document

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "eval" / "unseen"
UNSEEN2 = ROOT / "eval" / "unseen2"
UNSEEN3 = ROOT / "eval" / "unseen3"

DOC = "1. Trade\n\nText.\n\n1.1 Ports\n\nText.\n\n(a) Berths\n\nText.\n\n2. Skills\n\nText.\n\nA. Extra\n\nText.\n"


def test_score_counts_right_number_and_parent_and_lists_missing_extra_and_wrong_parent() -> None:
    truth = [
        {"number": "1", "path": "1", "parent": ""},
        {"number": "1.1", "path": "1.1", "parent": "1"},
        {"number": "(a)", "path": "1.1(a)", "parent": "1.1"},
        {"number": "2", "path": "2", "parent": "1"},  # the parser puts 2 at the top: a wrong parent
        {"number": "3", "path": "3", "parent": ""},  # not in the document
    ]
    result = score_document("doc", parse_document(DOC, 0), truth)
    assert (result.found, result.true) == (3, 5)
    assert result.missing == ["3"]
    assert result.extra == ["2A"]
    assert result.wrong_parent == ["2: '2' under '', expected '2' under '1'"]
    assert result.score == 0.6


def test_corpus_scores_and_entry_point(tmp_path: Path, capsys) -> None:
    corpus, outlines = tmp_path / "corpus", tmp_path / "outline"
    corpus.mkdir()
    outlines.mkdir()
    (corpus / "d1.txt").write_text("Title\n\f\n1. Trade\n\nText.\n", encoding="utf-8")
    (outlines / "d1.json").write_text(json.dumps({"sections": [{"number": "1", "path": "1", "parent": ""}]}))
    scores = score_corpus(corpus, outlines)
    assert [(s.doc_id, s.found, s.true) for s in scores] == [("d1", 1, 1)]
    assert overall(scores).score == 1.0
    assert main([str(corpus), str(outlines)]) == 0
    assert "overall  1/1  100.0%" in capsys.readouterr().out


def test_unseen_outline_score_is_at_least_95_percent() -> None:
    """Measurement on the hand-written unseen outlines (not tuning data: fixes are general rules)."""
    scores = score_corpus(UNSEEN / "corpus", UNSEEN / "outline")
    assert len(scores) == 5
    assert overall(scores).score >= 0.95, [(s.doc_id, s.missing, s.wrong_parent) for s in scores]


def test_unseen2_outline_score_is_at_least_95_percent_on_every_document() -> None:
    """Parts/chapters/sections in English, 第一部分 down to ①, 第一条 under unnumbered groups, and English-first
    headings with unnumbered Chinese translations: each document on its own, not only the total."""
    scores = score_corpus(UNSEEN2 / "corpus", UNSEEN2 / "outline")
    assert len(scores) == 4
    for s in scores:
        assert s.score >= 0.95, (s.doc_id, s.missing, s.wrong_parent)


def test_unseen3_outline_score_is_at_least_95_percent_on_every_document() -> None:
    """Part One / Section A, 上篇 / 甲 / ㈠ / ⑴, a consultation response with annex numbers, and a Simplified
    document with captions and page furniture (26/98 headings right before the rules for them were written)."""
    scores = score_corpus(UNSEEN3 / "corpus", UNSEEN3 / "outline")
    assert len(scores) == 4
    for s in scores:
        assert s.score >= 0.95, (s.doc_id, s.missing, s.wrong_parent)


@pytest.mark.parametrize("name", ["unseen5", "unseen6", "unseen7", "unseen8", "unseen9", "unseen10", "unseen11",
                                  "unseen12", "unseen13", "unseen14"])
def test_later_dev_sets_outline_score_is_at_least_95_percent(name: str) -> None:
    """The dev sets written since (text boxes, 第X章 with 附錄 tables, running paragraph numbers, ALL-CAPS and
    Chapter n: headings, a cover letter with a boxed list, a 摘要 on the first page, bilingual pairs in either
    order, bracketed footnotes under a rule, a title block ending "Date: …", sections given whole in each language under
    their own headings, a drawn summary table, a sign-off with no date, a submission written as a letter, a paper in two
    language halves, Word files numbered by Word and a PDF printed by Chromium, read through the catalog's file names):
    each scored once before the rules for it were written; kept at 95% or more."""
    folder = ROOT / "eval" / name
    scores = score_corpus(folder / "corpus", folder / "outline")
    assert scores and overall(scores).score >= 0.95, [(s.doc_id, s.missing, s.wrong_parent) for s in scores]
