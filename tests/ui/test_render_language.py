"""What an answer shows around its text follows the interface language; its warnings follow the answer's."""

from __future__ import annotations

import re

import pytest

from rag.answer import compose
from rag.answer.citations import citation_line
from rag.types import Answer, Notice, WarningCode
from rag.understand.query import MAX_QUESTION_CHARS, NOTHING_ASKED_WARNING
from tests.ui.test_render import answer, source
from ui import render
from ui.handlers import answer_status
from ui.service import Status

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def warned(language: str, *notices: Notice, answerer: str = "extractive") -> Answer:
    shown = answer("廠商會建議 [1]。", language=language, answerer=answerer)
    for notice in notices:
        shown.warn(notice)
    return shown


def unread(words: str) -> Notice:
    return Notice(WarningCode.UNREAD_WORDS, compose._UNREAD.format(words=words))


def test_an_english_answer_keeps_the_pipelines_own_warning() -> None:
    notice = unread("zorb")
    assert render.warnings_shown(warned("en", notice)) == [notice.message]


@pytest.mark.parametrize("code", list(WarningCode))
def test_every_warning_code_reads_in_chinese_under_a_chinese_answer(code: WarningCode) -> None:
    shown = render.warnings_shown(warned("zh-Hant", Notice(code, "An English message from the pipeline.")))
    assert len(shown) == 1 and not ENGLISH_WORD.search(shown[0])
    simplified = render.warnings_shown(warned("zh-Hans", Notice(code, "An English message.")))
    assert not ENGLISH_WORD.search(simplified[0])


def test_unread_words_are_carried_into_the_chinese_warning() -> None:
    (text,) = render.warnings_shown(warned("zh-Hant", unread("鑽石山, 月餅")))
    assert "鑽石山, 月餅" in text


def test_truncation_and_nothing_asked_say_their_specifics_in_chinese() -> None:
    truncated = Notice(WarningCode.QUESTION_TRUNCATED, "The question was 9000 characters long; ...")
    assert str(MAX_QUESTION_CHARS) in render.warnings_shown(warned("zh-Hant", truncated))[0]
    assert render.warnings_shown(warned("zh-Hans", NOTHING_ASKED_WARNING))[0].startswith("问题中没有")


def test_template_fields_reads_a_formatted_message_back() -> None:
    assert render.template_fields("Words: {words}. Done.", "Words: a, b. Done.") == {"words": "a, b"}
    assert render.template_fields("Words: {words}. Done.", "Something else") == {}


def test_status_under_an_english_answer_on_a_chinese_page_is_chinese_but_warnings_stay_english() -> None:
    shown = warned("en", unread("zorb"))
    shown.timings_ms = {"total": 12.0}
    html = answer_status(shown, "zh-Hant")
    assert "混合檢索 · 原文摘錄" in html and "12 毫秒" in html
    assert "Words of the question" in html  # the answer is English: its warning too


def test_badge_names_the_offline_fallback_in_the_interface_language() -> None:
    shown = warned("en", Notice(WarningCode.MODEL_UNAVAILABLE, "embedding model unavailable offline"))
    shown.mode = "lexical"
    assert render.badge(shown, "zh-Hant") == "詞彙檢索（離線，未能載入語義模型） · 原文摘錄"
    assert render.badge(shown, "en") == "lexical (model unavailable offline) · extractive"


def test_cards_and_empty_states_follow_the_interface_language() -> None:
    english = answer()
    cards = render.source_cards(english, 0, None, "zh-Hans")
    assert "来源 · " in cards and "复制引文" in cards
    assert "Sources of the answer" not in render.source_cards(None, 0, None, "zh-Hant")
    assert render.source_cards(None, 0, None, "en") == '<div class="src-empty">Sources of the answer appear here.</div>'


def test_copy_answer_carries_the_text_and_each_sources_citation_line() -> None:
    two = answer("CMA & FHKI propose it [1][2].", sources=[source(1), source(2, quote="後文。")])
    two.answer = "**CMA** & FHKI propose it [1][2]."
    expected = "CMA & FHKI propose it [1][2].\n\n" + "\n".join(
        f"[{s.n}] {citation_line(s, None)}" for s in two.sources)
    assert render.answer_text(two, None) == expected
    html = render.answer_markdown(two, 3, None, copy=True)
    button = re.search(r'<button class="copy-answer" type="button" value="([^"]*)"></button>$', html)
    assert button and "\n" not in button.group(1)  # one line: the Markdown keeps it as HTML
    assert button.group(1).replace("&#10;", "\n") == render.esc(expected)


def test_index_status_reads_in_each_language() -> None:
    ready = Status(ready=True, failed=False, key="status.ready", fields={"documents": 5, "passages": 263})
    assert ready.message == "Index ready: 5 documents, 263 passages."
    assert ready.text("zh-Hans") == "索引已就绪：5 份文件，263 个段落。"
    building = Status(ready=False, failed=False, key="status.building", fields={"step": "embedding", "steps": 3})
    assert not ENGLISH_WORD.search(building.text("zh-Hant")) and "embedding" in building.message
