from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from rag.answer.export import CJK_FONT, to_docx, to_markdown
from rag.corpus.catalog import Body, Catalog
from rag.corpus.catalog import Document as CatalogDocument
from rag.types import Answer, Source


def make_source(
    n: int, doc_id: str, body: str, year: int, section: str, heading: str, quote: str, heading_en: str = ""
) -> Source:
    return Source(
        n=n,
        doc_id=doc_id,
        body=body,
        year=year,
        title=f"{body}對{year}年施政報告的建議",
        section=section,
        heading=heading,
        path=[heading],
        text=f"前文。{quote}後文。",
        quote=quote,
        score=1.0,
        heading_en=heading_en,
    )


@pytest.fixture
def answers() -> list[Answer]:
    park = make_source(
        1,
        "cma24",
        "CMA",
        2024,
        "7",
        "創建「香港食品產業園」",
        "創建「香港食品產業園」，支援食品製造業。",
        "A food industrial park",
    )
    fhki = make_source(2, "fhki25", "FHKI", 2025, "2.III.A", "發展食品業", "工總建議設立食品產業園。")
    bpa = make_source(1, "bpa23", "BPA", 2023, "", "人才培訓", "加強職業培訓。")
    first = Answer(
        question="Which bodies propose a food industrial park?",
        language="en",
        mode="lexical",
        answer="CMA proposes a food park [1]. FHKI agrees [2]. Both are cited again [2][1].",
        bodies=["CMA", "FHKI"],
        sources=[park, fhki],
    )
    second = Answer(
        question="經民聯對人才培訓有何建議？",
        language="zh-Hant",
        mode="lexical",
        answer="經民聯建議「加強職業培訓。」[1]\n- 另見 [1, 5]",
        bodies=["BPA"],
        sources=[bpa],
    )
    return [first, second]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    bodies = {
        "CMA": Body("CMA", "香港中華廠商聯合會", "Chinese Manufacturers' Association of Hong Kong"),
        "FHKI": Body("FHKI", "香港工業總會", "Federation of Hong Kong Industries"),
        "BPA": Body("BPA", "經民聯", "Business and Professionals Alliance for Hong Kong"),
    }
    docs = (
        CatalogDocument(
            "cma24", "cma24.txt", "CMA", "建議", "CMA proposals for the 2024 Policy Address", 2024, "2024", "x"
        ),
    )
    return Catalog(directory=tmp_path, bodies=bodies, documents=docs)


def test_markdown_renumbers_citations_across_answers(answers):
    text = to_markdown(answers, title="Food and skills briefing")
    assert text.startswith("# Food and skills briefing\n")
    assert "## Which bodies propose a food industrial park?" in text
    assert "CMA proposes a food park [^1]. FHKI agrees [^2]. Both are cited again [^2][^1]." in text
    assert "經民聯建議「加強職業培訓。」[^3]" in text
    assert "- 另見 [^3]" in text  # [5] names no source: dropped, not left dangling
    assert "[1]" not in text and "[^4]" not in text
    for number in (1, 2, 3):
        assert text.count(f"[^{number}]:") == 1
    assert text.index("[^1]:") < text.index("[^2]:") < text.index("## 經民聯") < text.index("[^3]:")


def test_markdown_footnotes_carry_body_document_year_section_and_quote(answers, catalog):
    text = to_markdown(answers, catalog=catalog)
    note = next(line for line in text.splitlines() if line.startswith("[^1]:"))
    assert "CMA 香港中華廠商聯合會 (Chinese Manufacturers' Association of Hong Kong)" in note
    assert "《CMA對2024年施政報告的建議》 (CMA proposals for the 2024 Policy Address)" in note
    assert "2024" in note and "§7 創建「香港食品產業園」 (A food industrial park)" in note
    assert note.endswith("「創建「香港食品產業園」，支援食品製造業。」")
    bpa_note = next(line for line in text.splitlines() if line.startswith("[^3]:"))
    assert "BPA 經民聯" in bpa_note and "人才培訓" in bpa_note and "§" not in bpa_note
    assert text.startswith("## Which bodies")


def test_markdown_without_catalog_uses_codes(answers):
    note = next(line for line in to_markdown(answers).splitlines() if line.startswith("[^2]:"))
    assert note.startswith(
        "[^2]: FHKI, 《FHKI對2025年施政報告的建議》, 2025, §2.III.A 發展食品業: 「工總建議設立食品產業園。」"
    )


def test_docx_holds_question_quote_and_citation(answers, catalog, tmp_path: Path):
    path = to_docx(answers, tmp_path / "out" / "briefing.docx", catalog=catalog, title="Briefing")
    assert path == tmp_path / "out" / "briefing.docx" and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["briefing.docx"]  # no temporary file left behind
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "Which bodies propose a food industrial park?" in texts and "經民聯對人才培訓有何建議？" in texts
    full = "\n".join(texts)
    assert "「創建「香港食品產業園」，支援食品製造業。」" in full
    assert "CMA 香港中華廠商聯合會 (Chinese Manufacturers' Association of Hong Kong)" in full
    assert "§7 創建「香港食品產業園」" in full
    sources = [t for t in texts if t[:2] in {"1.", "2.", "3."}]
    assert [t.split(".")[0] for t in sources] == ["1", "2", "3"]
    answer = next(p for p in document.paragraphs if p.text.startswith("CMA proposes"))
    supers = [r.text for r in answer.runs if r.font.superscript]
    assert supers == ["1", "2", "2", "1"]
    assert "[" not in answer.text


def test_docx_sets_an_east_asian_font(answers, tmp_path: Path):
    document = Document(str(to_docx(answers, tmp_path / "b.docx")))
    style_fonts = document.styles["Normal"].element.rPr.rFonts
    assert style_fonts.get(qn("w:eastAsia")) == CJK_FONT
    question = next(p for p in document.paragraphs if p.text == "經民聯對人才培訓有何建議？")
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) == CJK_FONT for r in question.runs)


def test_docx_overwrites_atomically(answers, tmp_path: Path):
    path = tmp_path / "b.docx"
    path.write_bytes(b"old")
    to_docx(answers[:1], path)
    assert "Which bodies propose a food industrial park?" in [p.text for p in Document(str(path)).paragraphs]


def test_markdown_and_docx_name_the_filters_an_answer_was_given(answers, catalog, tmp_path: Path):
    from rag.types import Filters

    answers[0].filters = Filters.of(bodies=["FHKI"], years=[2023])
    answers[1].filters = Filters.of(years=[2023])
    text = to_markdown(answers, catalog=catalog)
    assert "## Which bodies propose a food industrial park?\n\n" \
           "*Filtered to: body FHKI (Federation of Hong Kong Industries); year 2023*\n" in text
    assert "## 經民聯對人才培訓有何建議？\n\n*篩選範圍：年份：2023*\n" in text
    texts = [p.text for p in Document(str(to_docx(answers, tmp_path / "f.docx", catalog=catalog))).paragraphs]
    assert texts[texts.index("Which bodies propose a food industrial park?") + 1] == (
        "Filtered to: body FHKI (Federation of Hong Kong Industries); year 2023")


def test_an_unfiltered_answer_names_no_filter(answers):
    assert "Filtered to" not in to_markdown(answers) and "篩選" not in to_markdown(answers)
