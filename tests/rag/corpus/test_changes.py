"""Library changes on a small synthetic corpus: remove and replace keep the catalog's other lines, refuse bad
requests with one sentence, and a change undone (a failed rebuild) leaves the folder byte for byte as it was."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rag.corpus.catalog import load_catalog
from rag.corpus.changes import catalog_text_with, corpus_change, remove_document, replace_document
from rag.corpus.ingest import CorpusError

CATALOG = """# The catalog's own comment survives every edit.

[bodies.AAA]
name_zh = "甲商會"
name_en = "Alpha Chamber"

[bodies.BBB]
name_zh = "乙商會"
name_en = "Beta Chamber"

[[documents]]
id = "000_aaaaaaaaaaaaaaaa"
file = "000_aaaaaaaaaaaaaaaa.txt"
body = "AAA"
title_zh = "甲商會建議書"
title_en = "Alpha proposals"
year = 2024
date = "2024"
kind = "submission"
front_matter_lines = 1

# a comment before the second entry
[[documents]]
id = "001_bbbbbbbbbbbbbbbb"
file = "001_bbbbbbbbbbbbbbbb.txt"
body = "BBB"
title_zh = "乙商會建議書"
title_en = ""
year = 2025
date = "2025"
kind = "submission"
"""

ALPHA = ("甲商會建議書\n\n一、發展創新科技\n\n本會建議政府設立創新科技基金，支援中小企業數碼轉型，"
         "並加強與大灣區城市的合作，提升香港的競爭力。\n\n二、鞏固金融中心\n\n本會建議擴大人民幣業務，發展綠色金融。\n")
BETA = ("乙商會建議書\n\n1. 推動旅遊業\n\n本會建議發展郵輪旅遊，並在啟德興建更多旅遊設施，"
        "吸引更多海外旅客來港消費，帶動零售及餐飲業。\n")
NEW_ALPHA = ("甲商會建議書（修訂本）\n\n一、發展低空經濟\n\n本會建議政府制定低空經濟發展藍圖，開放更多試飛空域，"
             "並資助無人機物流的試點計劃，讓香港成為區內樞紐。\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (folder / "000_aaaaaaaaaaaaaaaa.txt").write_text(ALPHA, encoding="utf-8")
    (folder / "001_bbbbbbbbbbbbbbbb.txt").write_text(BETA, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def upload(tmp_path: Path, text: str, name: str = "revised.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_remove_takes_out_the_entry_and_its_file_and_keeps_the_rest_of_the_catalog(corpus: Path) -> None:
    removed = remove_document(corpus, "000_aaaaaaaaaaaaaaaa")
    assert removed.title_zh == "甲商會建議書"
    text = (corpus / "catalog.toml").read_text(encoding="utf-8")
    assert "# The catalog's own comment survives every edit." in text and "# a comment before the second" in text
    assert [d.doc_id for d in load_catalog(corpus).documents] == ["001_bbbbbbbbbbbbbbbb"]
    assert set(load_catalog(corpus).bodies) == {"AAA", "BBB"}  # a body stays, even with no document left
    assert sorted(p.name for p in corpus.iterdir()) == ["001_bbbbbbbbbbbbbbbb.txt", "catalog.toml"]


def test_replace_with_the_same_type_keeps_id_body_year_and_catalog(corpus: Path, tmp_path: Path) -> None:
    before = (corpus / "catalog.toml").read_bytes()
    document = replace_document(corpus, "001_bbbbbbbbbbbbbbbb", upload(tmp_path, NEW_ALPHA), "revised.txt")
    assert (document.doc_id, document.body, document.year) == ("001_bbbbbbbbbbbbbbbb", "BBB", 2025)
    assert (corpus / "catalog.toml").read_bytes() == before
    assert (corpus / "001_bbbbbbbbbbbbbbbb.txt").read_text(encoding="utf-8") == NEW_ALPHA
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]  # no backup left behind


def test_replace_drops_the_old_files_title_block_count(corpus: Path, tmp_path: Path) -> None:
    document = replace_document(corpus, "000_aaaaaaaaaaaaaaaa", upload(tmp_path, NEW_ALPHA), "revised.txt")
    assert document.front_matter_lines is None
    assert load_catalog(corpus).document("000_aaaaaaaaaaaaaaaa").front_matter_lines is None
    assert (corpus / "000_aaaaaaaaaaaaaaaa.txt").read_text(encoding="utf-8") == NEW_ALPHA


def test_replace_with_another_type_renames_the_file_in_the_entry_only(corpus: Path, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "revised.docx"
    word = docx.Document()
    for paragraph in NEW_ALPHA.split("\n\n"):
        word.add_paragraph(paragraph.strip())
    word.save(str(path))
    document = replace_document(corpus, "000_aaaaaaaaaaaaaaaa", path, "revised.docx")
    assert document.file == "000_aaaaaaaaaaaaaaaa.docx"
    assert not (corpus / "000_aaaaaaaaaaaaaaaa.txt").exists()
    old, new = tomllib.loads(CATALOG), tomllib.loads((corpus / "catalog.toml").read_text(encoding="utf-8"))
    old["documents"][0]["file"] = "000_aaaaaaaaaaaaaaaa.docx"
    del old["documents"][0]["front_matter_lines"]
    assert new == old
    assert "# a comment before the second entry" in (corpus / "catalog.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("step", "message"), [
    (lambda change, tmp: change.remove("999_missing"), "Unknown document '999_missing'"),
    (lambda change, tmp: change.replace("000_aaaaaaaaaaaaaaaa", upload(tmp, ALPHA), "same.txt"), "already has"),
    (lambda change, tmp: change.replace("000_aaaaaaaaaaaaaaaa", upload(tmp, BETA), "beta.txt"),
     "already in the corpus as 001_bbbbbbbbbbbbbbbb"),
    (lambda change, tmp: change.replace("000_aaaaaaaaaaaaaaaa", upload(tmp, "x", "a.exe"), "a.exe"),
     "not a supported type"),
    (lambda change, tmp: change.replace("001_bbbbbbbbbbbbbbbb", upload(tmp, "封面\n2026\n"), "cover.txt"),
     "yields no passage"),
])
def test_a_refused_step_is_one_sentence_and_changes_nothing(corpus: Path, tmp_path: Path, step, message) -> None:
    before = snapshot(corpus)
    with pytest.raises(CorpusError, match=message), corpus_change(corpus) as change:
        step(change, tmp_path)
    assert snapshot(corpus) == before


def test_the_last_document_cannot_be_removed(corpus: Path) -> None:
    remove_document(corpus, "000_aaaaaaaaaaaaaaaa")
    with pytest.raises(CorpusError, match="only document"):
        remove_document(corpus, "001_bbbbbbbbbbbbbbbb")


def test_a_failed_rebuild_undoes_add_replace_and_remove_together(corpus: Path, tmp_path: Path) -> None:
    before = snapshot(corpus)
    new = upload(tmp_path, NEW_ALPHA.replace("低空經濟", "銀髮經濟"), "new.txt")
    with pytest.raises(RuntimeError, match="rebuild failed"), corpus_change(corpus) as change:
        added = change.add(new, "new.txt", body="BBB", title_zh="乙商會新建議", title_en="", year=2026)
        assert (corpus / added.file).exists()
        change.replace("000_aaaaaaaaaaaaaaaa", upload(tmp_path, NEW_ALPHA), "revised.txt")
        change.remove("001_bbbbbbbbbbbbbbbb")
        assert len(load_catalog(corpus).documents) == 2
        raise RuntimeError("rebuild failed")
    assert snapshot(corpus) == before


def test_catalog_text_with_edits_only_the_named_entry() -> None:
    entry = {**tomllib.loads(CATALOG)["documents"][1], "title_en": "Beta proposals"}
    text = catalog_text_with(CATALOG, "001_bbbbbbbbbbbbbbbb", entry)
    assert text.startswith(CATALOG.split("[[documents]]\nid = \"001")[0])
    assert tomllib.loads(text)["documents"][1]["title_en"] == "Beta proposals"
    removed = catalog_text_with(CATALOG, "000_aaaaaaaaaaaaaaaa", None)
    assert "000_aaaaaaaaaaaaaaaa" not in removed and "# a comment before the second entry" in removed
    with pytest.raises(CorpusError, match="no \\[\\[documents\\]\\] entry"):
        catalog_text_with(CATALOG, "002_cccccccccccccccc", None)
