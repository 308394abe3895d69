"""The runner, report and CLI on a tiny gold set with a fake `ask`, hand-checked numbers."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from eval.cli import main
from eval.report import compare, find_previous, render_markdown, write_report
from eval.runner import run_eval

# The tiny gold set cites shipped documents, and the runner checks every evidence string against corpus/.
pytestmark = pytest.mark.corpus

E1 = "將「創新科技地帶」正名為「創新科技及工業地帶」"
E2A = "以科技賦能、以出口為導向、以品牌為依託的「香港食品產業園」"
E2B = "預留北部都會區土地興建先進食品加工多層式大樓或食品工業園"
GOLD = [
    {
        "id": "q1",
        "lang": "zh-Hant",
        "type": "fact",
        "question": "Q1 正名",
        "bodies": ["CMA"],
        "evidence": [{"doc": "000_f19342d821a7e080", "section": "5", "text": E1}],
        "answer_keywords": ["創新科技及工業地帶"],
    },
    {
        "id": "q2",
        "lang": "en",
        "type": "which_bodies",
        "question": "Q2 food park",
        "bodies": ["CMA", "FHKI"],
        "evidence": [
            {"doc": "000_f19342d821a7e080", "section": "7", "text": E2A},
            {"doc": "002_c6cbd0b05b50272d", "section": "2IIIB", "text": E2B},
        ],
        "answer_keywords": ["食品產業園", "食品工業園"],
    },
    {
        "id": "q3",
        "lang": "en",
        "type": "unanswerable",
        "question": "Q3 HKGCC",
        "bodies": [],
        "evidence": [],
        "answer_keywords": [],
    },
]


def source(n: int, doc: str, text: str, quote: str) -> dict:
    return {"n": n, "doc_id": doc, "body": "CMA", "section": str(n), "heading": "", "text": text, "quote": quote}


ANSWERS = {
    "Q1 正名": {
        "answer": "見 [2]",
        "bodies": ["CMA"],
        "sources": [
            source(1, "000_f19342d821a7e080", "無關段落", ""),
            source(2, "000_f19342d821a7e080", "本會建議" + E1 + "。", E1),
        ],
    },
    "Q2 food park": {
        "answer": "CMA proposes a 食品產業園 [1]",
        "bodies": ["CMA"],
        "sources": [
            source(1, "000_f19342d821a7e080", E2A, E2A),
            source(2, "000_f19342d821a7e080", "其他", "杜撰的引文"),
            source(3, "001_71c315f42cdfb4f4", "其他", ""),
        ],
    },
    "Q3 HKGCC": {"answer": "No passage in the corpus answers this question.", "bodies": [], "sources": [],
                 "abstained": True},
}


def fake_ask(question: str, mode: str, k: int) -> dict:
    if mode == "hybrid":
        raise RuntimeError("embedding model unavailable")
    answer = ANSWERS[question]
    return {
        "question": question,
        "mode": "lexical",
        "warnings": [] if mode == "lexical" else ["lexical only"],
        **answer,
    }


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in GOLD), encoding="utf-8")
    return path


@pytest.fixture
def results(gold_file: Path) -> dict:
    return run_eval(
        gold_file,
        modes=["lexical", "dense", "hybrid"],
        k=5,
        baselines=False,
        progress=False,
        ask=fake_ask,
        chunk_texts=["…" + E1 + "…", E2A],
    )


def test_retrieval_metrics_by_hand(results):
    lexical = results["systems"]["lexical"]
    assert lexical["status"] == "ok" and lexical["label"] == "lexical"
    overall = lexical["overall"]
    ndcg_q1 = 1 / math.log2(3)
    ndcg_q2 = 1 / (1 + 1 / math.log2(3))
    assert overall["n"] == 3 and overall["n_answerable"] == 2
    assert overall["hit@1"] == 0.5 and overall["hit@5"] == 1.0
    assert overall["recall@5"] == 0.75 and overall["mrr@10"] == 0.75
    assert overall["ndcg@10"] == pytest.approx((ndcg_q1 + ndcg_q2) / 2)
    assert lexical["by_lang"]["en"]["hit@1"] == 1.0 and lexical["by_lang"]["zh-Hant"]["hit@1"] == 0.0
    assert lexical["by_type"]["unanswerable"]["hit@5"] is None


def test_answer_metrics_by_hand(results):
    overall = results["systems"]["lexical"]["overall"]
    assert overall["abstention_accuracy"] == 1.0 and overall["false_abstention_rate"] == 0.0
    assert overall["body_precision"] == 1.0 and overall["body_recall"] == 0.5
    assert overall["body_f1"] == pytest.approx(2 / 3)
    assert overall["keyword_recall"] == 0.75  # q1 1.0 (in the quote), q2 0.5
    assert overall["citation_exactness"] == 0.75  # q1 1/1, q2 1/2, q3 has no quotes
    assert overall["p50_ms"] is not None


def test_fallback_and_failed_modes_are_labelled_not_hidden(results):
    dense, hybrid = results["systems"]["dense"], results["systems"]["hybrid"]
    assert dense["status"] == "fallback" and dense["label"] == "dense (ran as lexical)"
    assert dense["warnings"] == ["lexical only"]
    assert hybrid["status"] == "failed" and "embedding model unavailable" in hybrid["error"]
    assert hybrid["overall"] is None
    assert {r["system"] for r in results["questions"]} == {"lexical", "dense"}


def test_coverage_lists_unreachable_evidence(results):
    coverage = results["meta"]["coverage"]
    assert coverage["evidence_items"] == 3 and coverage["reachable"] == 2
    assert [m["text"] for m in coverage["unreachable"]] == [E2B]


def test_rejects_bad_arguments(gold_file):
    with pytest.raises(ValueError, match="Unknown mode"):
        run_eval(gold_file, modes=["sparse"], ask=fake_ask, baselines=False, progress=False)
    with pytest.raises(ValueError, match="k must be between"):
        run_eval(gold_file, modes=["lexical"], k=11, ask=fake_ask, baselines=False, progress=False)


def test_baselines_run_on_the_same_questions(gold_file):
    results = run_eval(gold_file, modes=[], k=5, baselines=True, progress=False)
    assert set(results["systems"]) == {"llama_index_bm25", "fixed_size_bm25"}
    assert all(s["overall"]["n"] == 3 and s["description"] for s in results["systems"].values())


def test_report_files_and_regression_flag(results, tmp_path):
    root = tmp_path / "reports"
    before = root / "2000-01-01-old"
    before.mkdir(parents=True)
    worse_than_before = json.loads(json.dumps({"meta": results["meta"], "systems": results["systems"]}))
    worse_than_before["meta"]["created"] = "2000-01-01T00:00:00+00:00"
    worse_than_before["systems"]["lexical"]["overall"]["mrr@10"] = 0.9  # now 0.75: a 0.15 drop
    (before / "metrics.json").write_text(json.dumps(worse_than_before), encoding="utf-8")
    out = write_report(results, root / "2000-01-02-new")
    assert find_previous(root, out) == before
    assert find_previous(root, out, gold="test") is None  # only reports on the same gold are compared
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "metrics.json", "questions.csv", "by_language.png", "vs_baselines.png"} <= names
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.index("## Retrieval") < report.index("## By language") < report.index("## Answers")
    assert report.index("## Latency") < report.index("## The 10 worst questions")
    assert "**1 regression(s)**" in report and "⚠ regression | lexical | overall | mrr@10" in report
    assert "dense (ran as lexical)" in report and "hybrid (failed)" in report
    with (out / "questions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6 and {"id", "system", "hit@5", "top_doc"} <= set(rows[0])


def test_compare_treats_false_abstention_as_lower_is_better(results):
    before = json.loads(json.dumps({"meta": results["meta"], "systems": results["systems"]}))
    now = json.loads(json.dumps(before))
    now["systems"]["lexical"]["overall"]["false_abstention_rate"] = 0.2
    flagged = [c for c in compare(now, before) if c["regression"]]
    assert [(c["system"], c["group"], c["metric"]) for c in flagged] == [
        ("lexical", "overall", "false_abstention_rate")
    ]


def test_cli_json_and_errors(gold_file, tmp_path, capsys):
    code = main(
        [
            "--gold",
            str(gold_file),
            "--modes",
            "lexical",
            "--no-baselines",
            "--json",
            "--quiet",
            "--out",
            str(tmp_path / "r"),
        ],
        ask=fake_ask,
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["systems"]["lexical"]["overall"]["hit@5"] == 1.0 and "questions" not in printed
    assert (tmp_path / "r" / "report.md").is_file()
    assert (
        main(
            [
                "--gold",
                str(gold_file),
                "--modes",
                "lexical",
                "--no-baselines",
                "--no-report",
                "--quiet",
                "--write-baseline",
            ],
            ask=fake_ask,
        )
        == 1
    )
    assert "baseline holds the dev split" in capsys.readouterr().err
    assert main(["--gold", str(tmp_path / "missing.jsonl"), "--modes", "lexical"], ask=fake_ask) == 1
    assert "does not exist" in capsys.readouterr().err


GROUPED = [
    {**GOLD[0], "group": "colloquial"},
    {**GOLD[1], "group": "which_bodies"},
    {**GOLD[2], "id": "q4", "question": "Q4 sugar tax", "group": "which_bodies", "asks": "which_bodies"},
]
FOLLOWUP = {"id": "p1", "retarget": "body", "turns": [
    {"question": "Q1 正名", "lang": "zh-Hant", "bodies": ["CMA"], "years": [2024],
     "evidence": [{"doc": "000_f19342d821a7e080", "section": "5", "text": E1}]},
    {"question": "那工總呢？", "lang": "zh-Hant", "bodies": ["FHKI"], "years": [2023],
     "evidence": [{"doc": "002_c6cbd0b05b50272d", "section": "2IIIB", "text": E2B}]},
]}


def grouped_ask(question: str, mode: str, k: int) -> dict:
    if question == "Q4 sugar tax":
        return {"question": question, "mode": mode, "answer": "None of the bodies proposes this.", "bodies": [],
                "sources": [source(1, "000_f19342d821a7e080", "(1)", "(1)")], "abstained": True}
    return fake_ask(question, "lexical", k)


def grouped_converse(questions: list[str], mode: str, k: int) -> list[dict]:
    first = {**grouped_ask(questions[0], mode, k), "language": "zh-Hant"}
    second = {"question": questions[1], "mode": mode, "language": "en", "answer": "工總 [1]", "bodies": ["FHKI"],
              "sources": [{**source(1, "002_c6cbd0b05b50272d", E2B, E2B), "body": "FHKI", "year": 2023}]}
    return [first, second]


def test_groups_which_bodies_asks_followups_and_quote_flags(tmp_path: Path) -> None:
    gold = tmp_path / "dev.jsonl"
    gold.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in GROUPED), encoding="utf-8")
    (tmp_path / "followups_dev.jsonl").write_text(json.dumps(FOLLOWUP, ensure_ascii=False) + "\n", encoding="utf-8")
    results = run_eval("dev", modes=["lexical"], baselines=False, progress=False, ask=grouped_ask,
                       converse=grouped_converse, gold_dir=tmp_path)
    assert results["meta"]["gold"] == f"{tmp_path.name}/dev" and results["meta"]["n_followups"] == 1
    lexical = results["systems"]["lexical"]
    which = lexical["by_group"]["which_bodies"]
    assert which["n"] == 2 and which["abstention_accuracy"] == 1.0
    assert which["body_f1"] == pytest.approx((2 / 3 + 1.0) / 2)  # q2 names CMA of CMA+FHKI; q4 rightly none
    # q1 quotes from mid-sentence (its source reads 本會建議 before the quote), q4 shows only 「(1)」
    assert lexical["overall"]["quotes_checked"] == 3 and lexical["overall"]["quotes_flagged"] == 2
    assert lexical["overall"]["quotes_fragment"] == 2 and lexical["overall"]["quotes_lead_in"] == 0
    followups = lexical["followups"]
    assert followups["n"] == 1 and followups["accuracy"] == 0.0 and followups["body_accuracy"] == 1.0
    assert followups["language_accuracy"] == 0.0 and followups["year_accuracy"] == 1.0
    report = render_markdown(results, [], None)
    assert "### Answers by group" in report and "## Quote quality" in report and "## Follow-ups" in report
    assert "q4 [1] fragment: 「(1)」" in report and "p1 (body): 「那工總呢？」 → language en" in report
    out = write_report(results, tmp_path / "report")
    assert json.loads((out / "followups.json").read_text(encoding="utf-8"))[0]["id"] == "p1"
    assert main(["--set", "missing-set", "--modes", "lexical", "--no-baselines", "--no-report"], ask=grouped_ask) == 1
