"""The added-documents evaluation: merging a folder of new documents into a corpus copy, and its groupings."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from eval.added import _direction, _section_exact, document_language, merge_corpus
from eval.gold import Evidence, GoldQuestion


def _catalog(folder: Path, body: str, doc_id: str, text: str) -> None:
    folder.mkdir(parents=True)
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "catalog.toml").write_text(
        f'[bodies.{body}]\nname_zh = "{body}會"\nname_en = "{body} Council"\nshort_zh = []\nshort_en = ["{body}"]\n\n'
        f'[[documents]]\nid = "{doc_id}"\nfile = "{doc_id}.txt"\nbody = "{body}"\ntitle_zh = "建議"\n'
        f'title_en = "Proposals"\nyear = 2025\n',
        encoding="utf-8",
    )


def test_merge_corpus_adds_files_bodies_and_documents(tmp_path: Path) -> None:
    _catalog(tmp_path / "base", "AAA", "a1", "一、建議\n本會建議設立基金。\n")
    (tmp_path / "base" / "glossary.tsv").write_text("english\tchinese\n", encoding="utf-8")
    _catalog(tmp_path / "new", "BBB", "b1", "1. Proposals\nWe propose a fund.\n")
    merge_corpus(tmp_path / "base", tmp_path / "new", tmp_path / "merged")
    catalog = tomllib.loads((tmp_path / "merged" / "catalog.toml").read_text(encoding="utf-8"))
    assert set(catalog["bodies"]) == {"AAA", "BBB"}
    assert [d["id"] for d in catalog["documents"]] == ["a1", "b1"]
    assert (tmp_path / "merged" / "b1.txt").read_text(encoding="utf-8").startswith("1. Proposals")
    assert (tmp_path / "merged" / "glossary.tsv").is_file()


def test_merge_corpus_refuses_a_body_code_defined_twice_differently(tmp_path: Path) -> None:
    _catalog(tmp_path / "base", "AAA", "a1", "一、建議\n")
    _catalog(tmp_path / "new", "AAA", "b1", "1. Other\n")
    (tmp_path / "new" / "catalog.toml").write_text(
        (tmp_path / "new" / "catalog.toml").read_text(encoding="utf-8").replace("AAA Council", "Another"),
        encoding="utf-8")
    with pytest.raises(ValueError, match="AAA"):
        merge_corpus(tmp_path / "base", tmp_path / "new", tmp_path / "merged")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We propose a food industrial park of twenty hectares in the Northern Metropolis.", "en"),
        ("本會建議在北部都會區設立食品產業園，面積約二十公頃。", "zh"),
        ("本會建議設立食品產業園。\nWe propose a food industrial park.\n", "bilingual"),
    ],
)
def test_document_language(text: str, language: str) -> None:
    assert document_language(text) == language


def _question(lang: str, docs: list[str], section: str = "1.1") -> GoldQuestion:
    return GoldQuestion(id="q", lang=lang, type="fact", question="?",
                        evidence=tuple(Evidence(doc=d, section=section, text="food park") for d in docs),
                        bodies=("AAA",), answer_keywords=())


def test_direction_pairs_question_and_document_language() -> None:
    languages = {"e": "en", "z": "zh", "b": "bilingual"}
    assert _direction(_question("zh-Hant", ["e"]), languages) == "zh→en"
    assert _direction(_question("en", ["z"]), languages) == "en→zh"
    assert _direction(_question("zh-Hans", ["b"]), languages) == "→bilingual"
    assert _direction(_question("en", ["e", "z"]), languages) == "mixed"


def test_section_exact_checks_the_section_of_sources_holding_evidence() -> None:
    question = _question("en", ["e"], section="2.1")
    answer = {"sources": [{"text": "a food park here", "section": "2.1"},
                          {"text": "unrelated", "section": "9"},
                          {"text": "the food park again", "section": "2"}]}
    assert _section_exact(question, answer) == 0.5
    assert _section_exact(question, {"sources": [{"text": "unrelated", "section": "2.1"}]}) is None


def test_cli_added_needs_gold_and_a_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eval.cli import main

    assert main(["--added", str(tmp_path)]) == 2
    assert "--gold" in capsys.readouterr().err
    assert main(["--added", str(tmp_path), "--gold", str(tmp_path / "q.jsonl")]) == 2
    assert "catalog.toml" in capsys.readouterr().err


def test_section_exact_reads_dotted_and_joined_paths_alike() -> None:
    question = _question("en", ["e"], section="2IIIB")
    assert _section_exact(question, {"sources": [{"text": "food park", "section": "2.III.B"}]}) == 1.0


def test_section_labels_compare_without_dots_spaces_or_width() -> None:
    from eval.added import _label_key

    assert _label_key("2.III.B") == _label_key("2IIIB")
    assert _label_key("一(一).1") == _label_key("一（一）1")
    assert _label_key("D.1") == _label_key("D1)") and _label_key("10(4)") != _label_key("104")
    assert _label_key("四(一)") != _label_key("四（二）")
