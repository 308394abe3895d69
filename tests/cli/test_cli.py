"""The `rag` command as a user runs it: contract JSON, batch, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[2]


def rag(*args: str, index: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "--index", str(index), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-index")
    assert rag("index", index=path).returncode == 0
    return path


def test_ask_json_follows_the_contract(index_dir: Path) -> None:
    done = rag("ask", "Which bodies propose a food industrial park?", "--json", index=index_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"question", "language", "mode", "answer", "bodies", "sources", "warnings", "timings_ms"}
    assert out["language"] == "en" and out["mode"] == "hybrid"  # the bundled model, offline
    source = out["sources"][0]
    assert set(source) >= {
        "n",
        "doc_id",
        "body",
        "year",
        "title",
        "section",
        "heading",
        "path",
        "text",
        "quote",
        "score",
    }
    assert [s["n"] for s in out["sources"]] == list(range(1, len(out["sources"]) + 1))


def test_batch_json_lines_in_and_out_keep_ids(index_dir: Path) -> None:
    lines = "\n".join(
        json.dumps(q, ensure_ascii=False)
        for q in [
            {"id": "q1", "question": "經民聯對低空經濟有甚麼建議？"},
            {"id": "q2", "question": "   "},
        ]
    )
    done = rag("ask", "--batch", "-", "--json", index=index_dir, stdin=lines)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["id"] == "q1" and first["language"] == "zh-Hant" and first["sources"]
    assert second["id"] == "q2" and "empty" in second["error"]


def test_a_follow_up_is_read_against_the_previous_question(index_dir: Path) -> None:
    done = rag("ask", "那工總呢？", "--previous", "廠商會對食品產業園有甚麼建議？", "--json", "--mode", "lexical",
               index=index_dir)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["resolved_question"] == "工總對食品產業園有甚麼建議？" and out["bodies"] == ["FHKI"]
    line = json.dumps({"id": "f1", "question": "What about 2025?", "previous": "廠商會2024年對人才有甚麼建議？"},
                      ensure_ascii=False)
    done = rag("ask", "--batch", "-", "--json", "--mode", "lexical", index=index_dir, stdin=line)
    out = json.loads(done.stdout)
    assert out["id"] == "f1" and out["language"] == "en" and {s["year"] for s in out["sources"]} == {2025}


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_a_one_line_error_with_exit_2(index_dir: Path, question: str) -> None:
    done = rag("ask", question, index=index_dir)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "empty" in done.stderr


def test_overlong_question_is_truncated_with_a_warning(index_dir: Path) -> None:
    done = rag("ask", "食品產業園" * 500, "--json", index=index_dir)
    assert done.returncode == 0
    out = json.loads(done.stdout)
    assert len(out["question"]) == 2000 and any("2000" in w for w in out["warnings"])


def test_unknown_body_lists_the_known_codes(index_dir: Path) -> None:
    done = rag("ask", "食品產業園", "--body", "XYZ", index=index_dir)
    assert done.returncode == 2 and "BPA, CMA, FHKI" in done.stderr


def test_filters_restrict_sources(index_dir: Path) -> None:
    done = rag("ask", "食品產業園", "--body", "FHKI", "--json", index=index_dir)
    out = json.loads(done.stdout)
    assert out["sources"] and {s["body"] for s in out["sources"]} == {"FHKI"}
    done = rag("ask", "食品產業園", "--year", "2025", "--json", index=index_dir)
    assert {s["year"] for s in json.loads(done.stdout)["sources"]} == {2025}


def test_outline_prints_the_section_tree(index_dir: Path) -> None:
    done = rag("outline", "000_f19342d821a7e080", index=index_dir)
    assert done.returncode == 0 and "7. " not in done.stdout.splitlines()[0]
    assert "  7 創建「香港食品產業園」" in done.stdout


def test_undecodable_document_is_named(tmp_path: Path, small_corpus: Path) -> None:
    (small_corpus / "002_c6cbd0b05b50272d.txt").write_bytes(bytes(range(256)) * 16)
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "--corpus", str(small_corpus), "--index", str(tmp_path / "i"), "ask", "食品"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1 and "002_c6cbd0b05b50272d.txt" in done.stderr


def test_bad_lexicon_pattern_is_named_in_one_line(tmp_path: Path, small_corpus: Path) -> None:
    zh = small_corpus / "lexicon" / "zh.toml"
    zh.write_text(zh.read_text(encoding="utf-8").replace("compare = '''", "compare = '''(", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "--corpus", str(small_corpus), "--index", str(tmp_path / "i"), "ask", "食品"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "zh.toml: cues.compare is not a valid regular expression" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
