"""Bad command-line input ends in one line on stderr and the right exit code; a batch survives bad lines."""

from __future__ import annotations

import io

import pytest

from cli.main import _batch_answers, main
from rag.types import Answer
from rag.understand.query import QuestionError


class FakePipeline:
    def ask(self, question: str, **_: object) -> Answer:
        if question == "empty":
            raise QuestionError("The question is empty.")
        return Answer(question=question, language="en", mode="lexical", answer="ok", bodies=[], sources=[])


def test_a_bad_batch_line_is_reported_as_that_lines_error_and_the_batch_goes_on() -> None:
    lines = io.StringIO('{"id":"b","question":1}\nnot json\n[1]\n{"id":"a","question":"q"}\n\n'
                        '{"id":"a","question":"q2"}\n{"id":"c","question":"empty"}\n')
    out = list(_batch_answers(lines, FakePipeline(), {}))
    assert [o["id"] for o in out] == ["b", "2", "3", "a", "a@line6", "c"]
    assert [("error" in o) for o in out] == [True, True, True, False, True, True]
    assert out[3]["answer"] == "ok" and "unique" in out[4]["error"] and "empty" in out[5]["error"]


@pytest.mark.parametrize(("env", "message"), [
    ({"RAG_TOP_K": "abc"}, "RAG_TOP_K must be a whole number"),
    ({"RAG_TOP_K": "0"}, "top_k must be between 1 and"),
    ({"RAG_MODE": "bogus"}, "RAG_MODE must be one of lexical, dense, hybrid"),
])
def test_bad_settings_in_the_environment_are_one_line_errors(monkeypatch, capsys, env, message) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["ask", "食品產業園"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("args", [
    ["ask", "q", "--batch", "nowhere.jsonl"],
    ["ask", "--batch", "nowhere.jsonl"],
    ["ask", "q", "--format", "md", "--out", "no/such/folder/brief.md"],
    ["ask", "q", "--top-k", "0"],
    ["ask", "q", "--top-k", "100000"],
])
def test_bad_arguments_exit_2_before_any_index_is_built(tmp_path, monkeypatch, capsys, args) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag: ") and err.count("\n") == 1
    if "--top-k" not in args:
        assert not (tmp_path / "index").exists()


def test_the_batch_reader_refuses_a_folder(tmp_path, capsys) -> None:
    assert main(["ask", "--batch", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err


