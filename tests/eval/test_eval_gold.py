"""Gold loading, validation messages (file:line) and the deterministic stratified split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.corpus import body_codes, raw_documents
from eval.gold import GoldError, GoldQuestion, gold_paths, load_gold
from eval.make_split import main as make_split_main
from eval.make_split import split_questions

DOC = "000_f19342d821a7e080"
GOOD = {
    "id": "t1",
    "lang": "zh-Hant",
    "type": "fact",
    "question": "廠商會建議把「創新科技地帶」改成甚麼？",
    "evidence": [{"doc": DOC, "section": "5", "text": "將「創新科技地帶」正名為「創新科技及工業地帶」"}],
    "bodies": ["CMA"],
    "answer_keywords": ["創新科技及工業地帶"],
    "hard": False,
}
UNANSWERABLE = {
    "id": "t2",
    "lang": "en",
    "type": "unanswerable",
    "question": "What does HKGCC propose?",
    "evidence": [],
    "bodies": [],
    "answer_keywords": [],
}


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def load(path: Path) -> list[GoldQuestion]:
    return load_gold([path], documents=raw_documents(), bodies=body_codes())


@pytest.mark.corpus
def test_loads_valid_file_and_keeps_extra_fields(tmp_path):
    questions = load(write_jsonl(tmp_path / "g.jsonl", [GOOD, "", UNANSWERABLE]))
    assert [q.id for q in questions] == ["t1", "t2"]
    assert questions[0].evidence[0].section == "5" and questions[0].extra == {"hard": False}
    assert questions[0].answerable and not questions[1].answerable
    assert questions[1].where.endswith("g.jsonl:3")
    assert questions[0].to_dict() == GOOD


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lang": "fr"}, "lang 'fr' is not one of"),
        ({"type": "opinion"}, "type 'opinion' is not one of"),
        ({"evidence": []}, "'unanswerable' exactly when its evidence list is empty"),
        ({"bodies": ["HKGCC"]}, "unknown body code"),
        ({"evidence": [{"doc": "nope", "section": "1", "text": "香港"}]}, "unknown document 'nope'"),
        ({"evidence": [{"doc": DOC, "section": "5", "text": "此句不在文件中出現過"}]}, "not verbatim"),
        ({"evidence": [{"doc": DOC, "text": "香港"}]}, "string fields doc, section and text"),
        ({"answer_keywords": "食品"}, "'answer_keywords' must be a list"),
    ],
)
def test_invalid_rows_are_reported_with_file_and_line(tmp_path, change, message):
    path = write_jsonl(tmp_path / "bad.jsonl", [UNANSWERABLE, {**GOOD, **change}])
    with pytest.raises(GoldError, match=message) as info:
        load(path)
    assert f"{path}:2:" in str(info.value)


def test_missing_field_bad_json_and_duplicates_are_all_listed(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [GOOD])
    no_question = {k: v for k, v in UNANSWERABLE.items() if k != "question"}
    second = write_jsonl(tmp_path / "b.jsonl", ["{not json", no_question, GOOD])
    with pytest.raises(GoldError) as info:
        load_gold([first, second])
    text = str(info.value)
    assert "3 problem(s)" in text
    assert f"{second}:1: not valid JSON" in text
    assert f"{second}:2: missing field 'question'" in text
    assert f"{second}:3: duplicate id 't1' (first at {first}:1)" in text


def test_missing_file_and_unknown_split(tmp_path):
    with pytest.raises(GoldError, match="does not exist"):
        load_gold([tmp_path / "none.jsonl"])
    with pytest.raises(GoldError, match="Unknown split 'train'"):
        gold_paths("train")
    with pytest.raises(GoldError, match="python -m eval.make_split"):
        gold_paths("dev", gold_dir=tmp_path)


def _fake(i: int, qtype: str, lang: str) -> GoldQuestion:
    return GoldQuestion(id=f"x{i:03d}", lang=lang, type=qtype, question="?", evidence=(), bodies=(), answer_keywords=())


def test_split_is_stratified_deterministic_and_stable():
    questions = [
        _fake(i, t, lang)
        for i, (t, lang) in enumerate(
            [(t, lang) for t in ("fact", "why", "list") for lang in ("en", "zh-Hant", "zh-Hans")] * 7
        )
    ]
    dev, test = split_questions(questions)
    assert {q.id for q in dev}.isdisjoint(q.id for q in test) and len(dev) + len(test) == len(questions)
    for t in ("fact", "why", "list"):
        for lang in ("en", "zh-Hant", "zh-Hans"):
            n_dev = sum(q.type == t and q.lang == lang for q in dev)
            assert n_dev in (3, 4)  # 7 per stratum → 3 or 4 each side
    assert split_questions(list(reversed(questions))) == (dev, test)
    more_dev, _ = split_questions([*questions, _fake(999, "fact", "en")])
    moved = {q.id for q in dev} ^ ({q.id for q in more_dev} - {"x999"})
    assert len(moved) <= 1


@pytest.mark.corpus
def test_committed_split_matches_the_parts():
    assert make_split_main(["--check"]) == 0, "eval/gold/dev|test.jsonl are stale: run python -m eval.make_split"


@pytest.mark.corpus
def test_committed_split_is_valid_and_balanced():
    dev = load_gold(gold_paths("dev"), documents=raw_documents(), bodies=body_codes())
    test = load_gold(gold_paths("test"), documents=raw_documents(), bodies=body_codes())
    assert {q.id for q in dev}.isdisjoint(q.id for q in test)
    assert abs(len(dev) - len(test)) <= 0.1 * (len(dev) + len(test))
