"""Follow-up conversations: loading and validating the file, and scoring the later turns' answers by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.followups import followup_paths, load_followups, run_followups, score_turn, summarise
from eval.gold import GoldError

DOCS = {"d1": "本會建議設立香港食品產業園。", "d2": "工總建議預留土地興建食品工業園。"}
TURN_1 = {"question": "Which bodies propose a food park?", "lang": "en", "bodies": ["CMA", "FHKI"], "years": [],
          "evidence": [{"doc": "d1", "section": "7", "text": "設立香港食品產業園"}], "answer_keywords": []}
TURN_2 = {"question": "What about 2025?", "lang": "en", "bodies": ["CMA"], "years": [2025],
          "evidence": [{"doc": "d1", "section": "7", "text": "設立香港食品產業園"}], "answer_keywords": []}


def write(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def answer(bodies: list[str], years: list[int], language: str = "en", cite: str = "[1]",
           abstained: bool = False) -> dict:
    sources = [{"n": i, "year": y, "text": DOCS["d1"], "quote": "本會建議設立香港食品產業園。"}
               for i, y in enumerate(years, 1)]
    return {"answer": f"CMA proposes it {cite}", "language": language, "bodies": bodies, "sources": sources,
            "abstained": abstained}


def test_a_valid_file_loads_with_its_turns(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", {"id": "p1", "retarget": "year", "turns": [TURN_1, TURN_2]})
    [conversation] = load_followups([path], documents=DOCS, bodies={"CMA", "FHKI"})
    assert conversation.id == "p1" and conversation.extra == {"retarget": "year"}
    assert conversation.turns[1].years == (2025,) and conversation.turns[1].evidence[0].doc == "d1"


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    bad_turn = {**TURN_2, "lang": "fr", "bodies": ["XYZ"], "years": ["2025"],
                "evidence": [{"doc": "d1", "section": "7", "text": "不在文件裏的文字"}]}
    path = write(tmp_path / "f.jsonl", {"id": "p1", "turns": [TURN_1]}, "not json",
                 {"id": "p2", "turns": [TURN_1, bad_turn]}, {"id": "p3", "turns": [TURN_1, TURN_2]},
                 {"id": "p3", "turns": [TURN_1, TURN_2]})
    with pytest.raises(GoldError) as caught:
        load_followups([path], documents=DOCS, bodies={"CMA", "FHKI"})
    message = str(caught.value)
    assert "f.jsonl:1: 'turns' must be a list of at least two turns." in message
    assert "f.jsonl:2: not valid JSON" in message
    for part in ("lang 'fr'", "unknown body code(s) XYZ", "'years' must be a list of integers",
                 "text is not verbatim"):
        assert part in message
    assert "f.jsonl:5: duplicate id 'p3'" in message


def test_followup_files_of_a_split(tmp_path: Path) -> None:
    write(tmp_path / "followups_dev.jsonl", {"id": "p1", "turns": [TURN_1, TURN_2]})
    assert followup_paths("dev", tmp_path) == [tmp_path / "followups_dev.jsonl"]
    assert followup_paths("all", tmp_path) == [tmp_path / "followups_dev.jsonl"]
    assert followup_paths("test", tmp_path) == []


def test_a_later_turn_is_right_only_with_its_bodies_years_and_language(tmp_path: Path) -> None:
    [conversation] = load_followups([write(tmp_path / "f.jsonl", {"id": "p1", "turns": [TURN_1, TURN_2]})])
    turn = conversation.turns[1]
    assert score_turn(turn, answer(["CMA"], [2025]), 5)["correct"]
    wrong_year = score_turn(turn, answer(["CMA"], [2024, 2025], cite="[1][2]"), 5)
    assert not wrong_year["year_ok"] and wrong_year["years"] == [2024, 2025] and not wrong_year["correct"]
    assert score_turn(turn, answer(["CMA"], [2024, 2025], cite="[2]"), 5)["year_ok"]  # only cited sources count
    assert not score_turn(turn, answer(["CMA", "FHKI"], [2025]), 5)["body_ok"]
    assert not score_turn(turn, answer(["CMA"], [2025], language="zh-Hant"), 5)["language_ok"]
    abstained = score_turn(turn, answer([], [2025], abstained=True), 5)
    assert abstained["abstained"] and not abstained["correct"]
    assert score_turn(turn, answer(["CMA"], [2025]), 5)["hit@5"] == 1.0


def test_conversations_are_asked_in_order_and_summarised(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", {"id": "p1", "turns": [TURN_1, TURN_2]}, {"id": "p2", "turns": [TURN_1, TURN_2]})
    conversations = load_followups([path])
    asked: list[list[str]] = []

    def converse(questions: list[str], mode: str, k: int) -> list[dict]:
        asked.append(list(questions))
        if len(asked) == 2:
            raise RuntimeError("model gone")
        return [answer(["CMA", "FHKI"], [2024, 2025], cite="[1][2]"), answer(["CMA"], [2025])]

    advanced: list[int] = []
    rows = run_followups(conversations, "lexical", 5, converse, 10, advanced.append)
    assert asked == [[TURN_1["question"], TURN_2["question"]]] * 2 and advanced == [2, 2]
    assert rows[0]["correct"] and rows[0]["first_correct"]
    assert not rows[1]["correct"] and rows[1]["error"] == "RuntimeError: model gone"
    summary = summarise(rows, 5)
    assert summary["n"] == 2 and summary["accuracy"] == 0.5 and summary["errors"] == 1
    assert summary["body_accuracy"] == 1.0 and summary["language_accuracy"] == 1.0
