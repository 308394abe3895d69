"""Ratings of answers become candidate gold questions that the gold reader (and so `rag eval --gold`) accepts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from eval.candidates import EVIDENCE_CHARS, candidates, write_jsonl
from eval.corpus import raw_documents
from eval.gold import load_gold
from rag.config import Settings
from rag.types import Answer, Source
from ui.store import WorkspaceStore

pytestmark = pytest.mark.corpus

# A sentence of CMA 2024 §7 as the passage has it: broken across lines, as a quote keeps it.
QUOTE = "本會建議，香港可參考韓國打造「Foodpolis」的經驗，由特區\n\n政府牽頭，著手研究在北部都會區建立一個以科技賦能"


@dataclass
class Rated:
    conversation: str
    seq: int
    rating: str
    comment: str
    answer: Answer


def answer(question: str = "Which bodies propose a food industrial park?", **changes: object) -> Answer:
    cited = Source(n=1, doc_id="000_f19342d821a7e080", body="CMA", year=2024, title="t", section="7",
                   heading="創建「香港食品產業園」", path=[], text=QUOTE, quote=QUOTE, score=1.0)
    invented = Source(n=2, doc_id="000_f19342d821a7e080", body="CMA", year=2024, title="t", section="9",
                      heading="", path=[], text="這句話不在文件裏。", quote="這句話不在文件裏。", score=0.5)
    values: dict = {"question": question, "language": "en", "mode": "hybrid", "answer": "CMA proposes it [1][2].",
                    "bodies": ["CMA"], "sources": [cited, invented]}
    values.update(changes)
    return Answer(**values)


def test_a_liked_answer_proposes_its_question_with_the_cited_passages(small_corpus: Path) -> None:
    (record,), left_out = candidates([Rated("c0ffee00aa", 0, "up", "good", answer())],
                                     Settings(corpus_dir=small_corpus))
    assert left_out == 0
    assert record["type"] == "which_bodies" and record["bodies"] == ["CMA"] and record["lang"] == "en"
    # The quote's start, as the gold set's evidence is; the invented quote is not verbatim and is dropped.
    assert record["evidence"] == [{"doc": "000_f19342d821a7e080", "section": "7", "text": QUOTE[:EVIDENCE_CHARS]}]
    assert record["group"] == "feedback-up" and record["feedback"]["comment"] == "good"


def test_abstentions_and_follow_ups(small_corpus: Path) -> None:
    silent = answer("Which bodies propose a moon base?", abstained=True, answer="Nothing in the corpus.")
    follow_up = answer("What about FHKI?", resolved_question="Does FHKI propose a food industrial park?")
    records, left_out = candidates(
        [Rated("a", 0, "up", "", silent), Rated("b", 0, "down", "should answer", silent),
         Rated("c", 1, "down", "missed FHKI", follow_up)], Settings(corpus_dir=small_corpus))
    liked_silence, follow = records
    assert left_out == 1  # a disliked abstention has no evidence to propose
    assert liked_silence["type"] == "unanswerable" and liked_silence["evidence"] == []
    assert liked_silence["bodies"] == [] and liked_silence["asks"] == "which_bodies"
    assert follow["question"] == "Does FHKI propose a food industrial park?" and follow["asked"] == "What about FHKI?"
    assert follow["group"] == "feedback-down" and follow["type"] == "fact" and follow["bodies"] == ["CMA"]


def test_the_exported_file_is_read_by_the_gold_reader(small_corpus: Path, tmp_path: Path) -> None:
    records, _ = candidates([Rated("a", 0, "up", "", answer()), Rated("a", 1, "up", "", answer(abstained=True))],
                            Settings(corpus_dir=small_corpus))
    path = write_jsonl(records, tmp_path / "candidates.jsonl")
    questions = load_gold([path], documents=raw_documents(small_corpus), bodies=["CMA", "FHKI", "BPA"])
    assert [q.type for q in questions] == ["which_bodies", "unanswerable"]


def test_rag_feedback_export_writes_the_store_s_ratings(small_corpus: Path, tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    store = WorkspaceStore(Settings.from_env().workspace_db)
    conversation = store.new_conversation("me", "q")
    store.append(conversation, 0, 1, answer())
    store.rate(conversation, 0, "up", answer())
    out = tmp_path / "candidates.jsonl"
    assert main(["--corpus", str(small_corpus), "feedback", "export", str(out)]) == 0
    assert "1 candidate question(s)" in capsys.readouterr().err
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["question"] == "Which bodies propose a food industrial park?"


def test_rag_feedback_export_without_a_workspace_is_one_line_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "none"))
    assert main(["feedback", "export", str(tmp_path / "out.jsonl")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("rag: no ratings yet") and error.count("\n") == 1
