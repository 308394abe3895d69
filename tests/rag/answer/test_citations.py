"""One citation format: body, document, year and section are named the same way wherever a source is cited."""

from __future__ import annotations

import pytest

from rag.answer.citations import (
    CITATION,
    body_full,
    body_label,
    body_short,
    citation,
    citation_line,
    marker_numbers,
    section_label,
)
from rag.corpus.catalog import Body, Catalog, Document
from rag.types import Source


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    body = Body("ABC", "甲乙丙商會", "ABC Chamber", short_zh=("甲乙商會",), short_en=("ABC",))
    document = Document("d1", "d1.txt", "ABC", "甲乙丙商會建議書", "ABC proposals", 2024, "2024", "submission")
    return Catalog(tmp_path, {"ABC": body}, (document,))


def source(**changes: object) -> Source:
    values: dict = dict(n=1, doc_id="d1", body="ABC", year=2024, title="甲乙丙商會建議書", section="2.1",
                        heading="發展無人機", path=["2. 經濟", "2.1 發展無人機"], text="本會建議發展無人機。",
                        quote="本會建議發展無人機。", score=1.0, heading_en="Developing drones")
    values.update(changes)
    return Source(**values)


def test_a_citation_names_body_document_year_and_section_in_both_languages(catalog) -> None:
    assert citation(source(), catalog) == (
        "ABC 甲乙丙商會 (ABC Chamber), 《甲乙丙商會建議書》 (ABC proposals), 2024, §2.1 發展無人機 (Developing drones)"
    )
    assert citation_line(source(), catalog) == citation(source(), catalog) + ": 「本會建議發展無人機。」"


def test_without_catalog_or_section_the_citation_still_reads(catalog) -> None:
    line = citation_line(source(section="", heading="前言", heading_en=""), None)
    assert line == "ABC, 《甲乙丙商會建議書》, 2024, 前言: 「本會建議發展無人機。」"


def test_a_multi_line_quote_stays_inside_its_citation() -> None:
    assert "\n    第二行" in citation_line(source(quote="第一行\n第二行"), None)


@pytest.mark.parametrize(("language", "label", "short"), [
    ("en", "ABC (ABC Chamber)", "ABC"),
    ("zh-Hant", "甲乙商會", "甲乙商會"),
    ("zh-Hans", "甲乙商会", "甲乙商会"),
])
def test_body_names_follow_the_answer_language(catalog, language, label, short) -> None:
    assert body_label("ABC", catalog, language) == label
    assert body_short("ABC", catalog, language) == short
    assert body_full("ABC", catalog) == "ABC 甲乙丙商會 (ABC Chamber)"
    assert body_label("XYZ", catalog, language) == "XYZ"  # a body the catalog lacks keeps its code


def test_section_label_uses_the_english_heading_for_english_only() -> None:
    assert section_label(source(), "en") == "§2.1 Developing drones"
    assert section_label(source(), "zh-Hant") == "§2.1 發展無人機"
    assert section_label(source(heading_en=""), "en") == "§2.1 發展無人機"


def test_citation_markers_single_and_grouped() -> None:
    found = [marker_numbers(m) for m in CITATION.finditer("a [1] b [2, 3] c [4、5] d [x]")]
    assert found == [[1], [2, 3], [4, 5]]
