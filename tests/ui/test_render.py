"""Rendering answers: escaping, citation markers, source cards, the mode badge."""

from __future__ import annotations

import re

import pytest

from rag.answer.citations import citation_line
from rag.corpus.catalog import load_catalog
from rag.types import Answer, Notice, Source, WarningCode
from ui import render

CMA_2024 = "000_f19342d821a7e080"


def source(n: int = 1, **changes: object) -> Source:
    values: dict = {
        "n": n,
        "doc_id": CMA_2024,
        "body": "CMA",
        "year": 2024,
        "title": "香港中華廠商聯合會對2024年施政報告的建議：打造香港新質生產力",
        "section": "7",
        "heading": "創建「香港食品產業園」",
        "path": ["切實推動「新型工業化」", "7. 創建「香港食品產業園」"],
        "text": "前文。本會建議創建「香港食品產業園」。後文。",
        "quote": "本會建議創建「香港食品產業園」。",
        "score": 1.0,
        "heading_en": "Creating a Hong Kong food industrial park",
    }
    values.update(changes)
    return Source(**values)


def answer(text: str = "CMA proposes it [1].", language: str = "en", **changes: object) -> Answer:
    values: dict = {
        "question": "Which bodies propose a food industrial park?",
        "language": language,
        "mode": "hybrid",
        "answer": text,
        "bodies": ["CMA"],
        "sources": [source()],
    }
    values.update(changes)
    return Answer(**values)


@pytest.fixture(scope="module")
def catalog(corpus_dir):
    return load_catalog(corpus_dir)


@pytest.mark.corpus
def test_the_copy_button_carries_the_one_citation_line(catalog) -> None:
    card = render.source_card(source(), 0, catalog, "zh-Hant")
    assert f'data-cite="{render.esc(citation_line(source(), catalog))}"' in card


def test_a_group_marker_links_each_of_its_sources() -> None:
    two = answer("Both [1, 2].", sources=[source(1), source(2)])
    html = render.answer_markdown(two, turn=0)
    assert 'href="#src-0-1"' in html and 'href="#src-0-2"' in html


def test_markers_link_to_their_card_with_the_source_as_hover_title() -> None:
    html = render.answer_markdown(answer(), turn=2)
    assert '<a class="cite" href="#src-2-1"' in html
    assert 'title="CMA 2024 §7 Creating a Hong Kong food industrial park: 「本會建議' in html


def test_markers_naming_no_source_stay_plain_text() -> None:
    assert render.answer_markdown(answer("See [9]."), 0) == "See [9]."


@pytest.mark.corpus
@pytest.mark.parametrize(
    "attack",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '"><b onmouseover=alert(1)>', "${1+1} {{value}}"],
)
def test_question_and_document_text_are_escaped_everywhere(attack: str, catalog) -> None:
    hostile = answer(
        f"Answer {attack} [1]",
        question=attack,
        sources=[
            source(
                text=f"{attack} 本會建議創建「香港食品產業園」。",
                heading=attack,
                quote="本會建議創建「香港食品產業園」。",
            )
        ],
        warnings=[attack],
    )
    rendered = [
        render.answer_markdown(hostile, 0),
        render.source_cards(hostile, 0, catalog),
        render.status_line(hostile),
    ]
    for html in rendered:
        assert "<script" not in html and "<img" not in html and "<b " not in html
    assert render.esc(attack) in rendered[1]  # shown as text, not dropped


@pytest.mark.corpus
def test_card_shows_both_body_names_title_year_section_and_marks_the_quote(catalog) -> None:
    html = render.source_card(source(), 0, catalog, "en")
    for expected in ("香港中華廠商聯合會", "Chinese Manufacturers&#x27; Association of Hong Kong", "2024", "§7"):
        assert expected in html
    assert "Creating a Hong Kong food industrial park" in html  # English heading for an English question
    assert "CMA proposals for the 2024 Policy Address" in html  # English title too
    assert "前文。<mark>本會建議創建「香港食品產業園」。</mark>後文。" in html
    assert 'data-body="CMA" data-year="2024" data-section="7"' in html


@pytest.mark.corpus
def test_card_for_a_chinese_question_keeps_the_chinese_heading(catalog) -> None:
    html = render.source_card(source(), 0, catalog, "zh-Hant")
    assert '<div class="src-section">§7 創建「香港食品產業園」</div>' in html and "複製引文" in html
    shown = re.sub(r'data-cite="[^"]*"', "", html)  # the copied citation carries both languages
    assert "CMA proposals for the 2024 Policy Address" not in shown and "Creating a Hong Kong" not in shown


def test_quote_not_found_verbatim_is_shown_under_the_passage() -> None:
    html = render.highlighted_passage("甲乙丙", "丁")
    assert html == '甲乙丙<div class="src-quote"><mark>丁</mark></div>'


@pytest.mark.parametrize(
    ("mode", "warnings", "answerer", "expected"),
    [
        ("hybrid", [], None, "hybrid · extractive"),
        ("lexical", [WarningCode.MODEL_UNAVAILABLE], None, "lexical (model unavailable offline) · extractive"),
        ("lexical", [WarningCode.UNREAD_WORDS], None, "lexical · extractive"),  # the code decides, not the text
        ("hybrid", [], "llm", "hybrid · llm"),
    ],
)
def test_badge_shows_mode_and_answerer(mode, warnings, answerer, expected) -> None:
    shown = answer(mode=mode)
    for code in warnings:
        shown.warn(Notice(code, "lexical retrieval only: the model is unavailable offline"))
    if answerer:
        shown.answerer = answerer
    assert render.badge(shown) == expected


def test_no_answer_yet_and_no_sources_have_their_own_lines() -> None:
    assert "src-empty" in render.source_cards(None, 0, None)
    assert "沒有來源" in render.source_cards(answer(language="zh-Hant", sources=[]), 0, None)


def test_a_follow_up_shows_how_it_was_read() -> None:
    follow_up = answer(question="And FHKI?", resolved_question="Which bodies propose a food industrial park? FHKI")
    assert "Read as: Which bodies propose a food industrial park? FHKI" in render.status_line(follow_up)
    assert "Read as" not in render.status_line(answer())
