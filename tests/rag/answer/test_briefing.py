"""Briefing export: pinned quotes with real Word footnotes (DOCX) and [^n] footnotes (Markdown), whose text is the
copy-citation line."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from rag.answer.briefing import BriefingItem, BriefingLabels, to_docx, to_markdown
from rag.answer.citations import citation_line
from rag.corpus.catalog import load_catalog
from rag.types import Source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def source(n: int, quote: str, **changes: object) -> Source:
    values: dict = {"n": n, "doc_id": "000_f19342d821a7e080", "body": "CMA", "year": 2024,
                    "title": "香港中華廠商聯合會對2024年施政報告的建議", "section": str(n), "heading": f"第{n}節",
                    "path": [], "text": quote, "quote": quote, "score": 1.0, "heading_en": f"Section {n}"}
    values.update(changes)
    return Source(**values)


ITEMS = [
    BriefingItem(source(7, "本會建議創建「香港食品產業園」。"), "Which bodies propose a food industrial park?",
                 "Lead with this"),
    BriefingItem(source(3, "第一行\n第二行"), "廠商會對新型工業化有甚麼建議？"),
    BriefingItem(source(2, "Set up a <fund> & \"review\" it."), "What about funds?", "Check the amount"),
]


def footnotes(path: Path) -> dict[int, str]:
    """Footnote id → its text (lines joined by \\n, the leading space after the mark dropped)."""
    with zipfile.ZipFile(path) as docx:
        root = etree.fromstring(docx.read("word/footnotes.xml"))
    notes = {}
    for note in root.iter(f"{W}footnote"):
        parts = [("\n" if el.tag == f"{W}br" else el.text or "") for el in note.iter(f"{W}t", f"{W}br")]
        notes[int(note.get(f"{W}id"))] = "".join(parts).removeprefix(" ")
    return notes


def references(path: Path) -> list[int]:
    with zipfile.ZipFile(path) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    return [int(ref.get(f"{W}id")) for ref in root.iter(f"{W}footnoteReference")]


@pytest.fixture(scope="module")
def catalog(corpus_dir):
    return load_catalog(corpus_dir)


def test_docx_has_one_word_footnote_per_quote_with_the_citation_line(tmp_path, catalog) -> None:
    path = to_docx(ITEMS, tmp_path / "briefing.docx", catalog, title="簡報")
    notes = footnotes(path)
    assert notes.pop(-1) == "" and notes.pop(0) == ""  # Word's separator and continuation separator
    assert notes == {i: citation_line(item.source, catalog) for i, item in enumerate(ITEMS, 1)}
    assert references(path) == [1, 2, 3]  # each referenced once, in the member's order
    assert "Chinese Manufacturers' Association" in notes[1]


def test_docx_declares_its_footnotes_part_and_opens_again(tmp_path) -> None:
    path = to_docx(ITEMS, tmp_path / "briefing.docx", title="Briefing", labels=BriefingLabels("提問：", "備註："))
    with zipfile.ZipFile(path) as docx:
        types = docx.read("[Content_Types].xml").decode()
        rels = docx.read("word/_rels/document.xml.rels").decode()
        styles = docx.read("word/styles.xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types and "wordprocessingml.footnotes+xml" in types
    assert re.search(r'relationships/footnotes" Target="footnotes.xml"', rels)
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles
    text = [p.text for p in Document(str(path)).paragraphs]  # python-docx reads it back
    assert text[0] == "Briefing" and "「本會建議創建「香港食品產業園」。」" in text
    assert "備註：Lead with this" in text and "提問：What about funds?" in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx_with_its_footnotes(tmp_path) -> None:
    path = to_docx(ITEMS, tmp_path / "briefing.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    assert "本會建議創建" in (tmp_path / "briefing.txt").read_text(encoding="utf-8")


def test_markdown_footnotes_follow_the_members_order_and_carry_the_citation_line(catalog) -> None:
    text = to_markdown(ITEMS, catalog, title="Briefing", labels=BriefingLabels("Question: ", "Note: "))
    assert text.startswith("# Briefing\n")
    assert "> 「本會建議創建「香港食品產業園」。」[^1]" in text
    assert "> 「第一行\n> 第二行」[^2]" in text  # a quote over two lines stays one block quote
    assert "**Note:** Lead with this" in text and "*Question: What about funds?*" in text
    for number, item in enumerate(ITEMS, 1):
        assert f"[^{number}]: {citation_line(item.source, catalog)}" in text
    assert text.index("[^1]:") < text.index("[^2]:") < text.index("[^3]:")


def test_an_empty_briefing_says_so(tmp_path) -> None:
    labels = BriefingLabels(empty="還沒有釘選的引文。")
    assert "還沒有釘選的引文。" in to_markdown([], labels=labels)
    path = to_docx([], tmp_path / "empty.docx", labels=labels)
    assert references(path) == [] and "還沒有釘選的引文。" in [p.text for p in Document(str(path)).paragraphs]
