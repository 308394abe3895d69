"""Answer objects → escaped HTML/Markdown for the chat, the source cards and the mode badge. No Gradio here.

Two languages meet here: the interface's (`ui`: captions, buttons, badge, empty states, warnings' wording when
the answer is in Chinese) and the answer's (section labels, English titles: what the documents say). Every
interface text comes from `ui.i18n`.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Sequence

from rag.answer import compose
from rag.answer.citations import CITATION, body_full, citation_line, document_title_en, marker_numbers, section_label
from rag.corpus.catalog import Catalog
from rag.types import Answer, Language, Source, WarningCode
from rag.understand.query import MAX_QUESTION_CHARS, NOTHING_ASKED
from ui import i18n
from ui.viewer import view_button

i18n.register({
    "sources.copy": {"zh-Hant": "複製引文", "en": "Copy citation"},
    "sources.pin": {"zh-Hant": "加入簡報", "en": "Pin to briefing"},
    "sources.none": {"zh-Hant": "這個回答沒有來源。", "en": "No sources for this answer."},
    "sources.caption": {"zh-Hant": "來源", "en": "Sources"},
    "sources.empty": {"zh-Hant": "答案的來源會顯示在這裏。", "en": "Sources of the answer appear here."},
    "answer.read_as": {"zh-Hant": "理解為：", "en": "Read as:"},
    "answer.timing": {"zh-Hant": "{ms} 毫秒", "en": "{ms} ms"},
    "mode.hybrid": {"zh-Hant": "混合檢索", "en": "hybrid"},
    "mode.lexical": {"zh-Hant": "詞彙檢索", "en": "lexical"},
    "mode.dense": {"zh-Hant": "語義檢索", "en": "dense"},
    "mode.lexical_offline": {"zh-Hant": "詞彙檢索（離線，未能載入語義模型）",
                             "en": "lexical (model unavailable offline)"},
    "answerer.extractive": {"zh-Hant": "原文摘錄", "en": "extractive"},
    "answerer.llm": {"zh-Hant": "語言模型", "en": "llm"},
    # Warnings by code, for an answer in Chinese (an English answer shows the pipeline's own message).
    "warning.model_unavailable": {"zh-Hant": "離線時未能載入語義模型：只用了詞彙檢索。",
                                  "en": "embedding model unavailable offline: lexical retrieval only"},
    "warning.mode_unavailable": {"zh-Hant": "所選的檢索方式需要語義模型：只用了詞彙檢索。",
                                 "en": "the chosen retrieval needs the embedding model: lexical retrieval only"},
    "warning.question_truncated": {"zh-Hant": "問題太長，只用了前 {limit} 個字。",
                                   "en": "The question was too long; only its first {limit} characters were used."},
    "warning.unread_words": {
        "zh-Hant": "問題中這些字詞在詞彙表和各段落中都找不到：{words}。沒有段落能證明它們，答案只根據問題的其餘部分。",
        "en": "Words of the question found neither in the glossary nor in any passage: {words}.",
    },
    "warning.unread_words_unnamed": {
        "zh-Hant": "問題中有些字詞在詞彙表和各段落中都找不到；答案只根據問題的其餘部分。",
        "en": "Some words of the question were found neither in the glossary nor in any passage.",
    },
    "warning.unchecked_language": {
        "zh-Hant": "這些段落與問題的語言不同，只由語義模型配對：未能在段落中核對問題的字詞。",
        "en": "The passages are in another language than the question and were matched by the model only.",
    },
    "warning.llm_corrected": {"zh-Hant": "語言模型的答案經過更正：刪去了不屬於來源的引用，或有句子沒有引用來源。",
                              "en": "The LLM answer was corrected."},
    "warning.llm_fallback": {"zh-Hant": "語言模型未能作答，改為顯示原文摘錄的答案。",
                             "en": "The LLM could not answer; the extractive answer is shown."},
})


def esc(text: object) -> str:
    """HTML-escape anything that came from a user or a document before it goes into HTML."""
    return html.escape(str(text), quote=True)


def card_id(turn: int, n: int) -> str:
    """The anchor of source [n] of answer `turn`, so a citation marker can point at its card."""
    return f"src-{turn}-{n}"


def marker_title(source: Source, language: str) -> str:
    """What hovering over a citation marker shows."""
    quote = source.quote if len(source.quote) <= 160 else source.quote[:159] + "…"
    return f"{source.body} {source.year} {section_label(source, language)}: 「{quote}」"


def answer_markdown(answer: Answer, turn: int, catalog: Catalog | None = None, copy: bool = False) -> str:
    """The answer text escaped, each [n] a link to its source card with the source as hover title; with `copy`,
    a "copy answer" button after it carrying the clean text (`answer_text`) in its value (the chat's HTML
    sanitizer drops data-* attributes). The button's label is drawn by the
    page's CSS in the interface language (`ui.assets`), so an answer already shown follows a language switch.

    Markers that name no source are left as text, so a model's stray "[7]" cannot point anywhere.
    """
    by_n = {s.n: s for s in answer.sources}

    def link(match: re.Match[str]) -> str:
        numbers = marker_numbers(match)
        if not all(n in by_n for n in numbers):
            return match.group(0)
        titles = {n: esc(marker_title(by_n[n], answer.language)) for n in numbers}
        return "".join(f'<a class="cite" href="#{card_id(turn, n)}" title="{titles[n]}">[{n}]</a>' for n in numbers)

    text = CITATION.sub(link, esc(answer.answer))
    if not copy:
        return text
    # Line breaks as character references: a raw one would end the Markdown's inline HTML and show it as text.
    clean = esc(answer_text(answer, catalog)).replace("\n", "&#10;")
    button = f'<button class="copy-answer" type="button" value="{clean}"></button>'
    return f"{text}\n\n{button}"


def answer_text(answer: Answer, catalog: Catalog | None) -> str:
    """What "copy answer" gives: the answer's text, then the citation line of each source (as "copy citation").
    The composer's bold marks (**) are dropped, as the Word export drops them; bullets stay, they read as text."""
    text = answer.answer.replace("**", "").strip()
    lines = [f"[{s.n}] {citation_line(s, catalog)}" for s in answer.sources]
    return "\n\n".join([text, "\n".join(lines)]) if lines else text


def badge(answer: Answer, ui: str | None = None) -> str:
    """Mode and answerer, e.g. hybrid · extractive, or lexical (model unavailable offline) · extractive."""
    ui = ui or answer.language
    mode = "lexical_offline" if answer.has_warning(WarningCode.MODEL_UNAVAILABLE) else str(answer.mode)
    return f"{_text(f'mode.{mode}', ui, mode)} · {_text(f'answerer.{answer.answerer}', ui, answer.answerer)}"


def warnings_shown(answer: Answer) -> list[str]:
    """The answer's warnings in the answer's language: the pipeline's message for English, by code for Chinese
    (the pipeline writes its warnings in English; a Chinese answer must not carry English under it)."""
    language = str(answer.language)
    if language == Language.EN:
        return list(answer.warnings)
    shown: list[str] = []
    for message, code in zip(answer.warnings, answer.warning_codes, strict=False):
        text = _warning(code, message, answer, language)
        if text not in shown:
            shown.append(text)
    return shown


def _warning(code: WarningCode, message: str, answer: Answer, language: str) -> str:
    if code == WarningCode.NOTHING_ASKED:
        return NOTHING_ASKED[Language(language)]
    if code == WarningCode.QUESTION_TRUNCATED:
        return i18n.t("warning.question_truncated", language, limit=MAX_QUESTION_CHARS)
    if code == WarningCode.UNREAD_WORDS:
        words = template_fields(compose._UNREAD, message).get("words")
        return i18n.t("warning.unread_words", language, words=words) if words \
            else i18n.t("warning.unread_words_unnamed", language)
    if code == WarningCode.LLM:
        return i18n.t("warning.llm_fallback" if answer.answerer == "extractive" else "warning.llm_corrected", language)
    return i18n.t(f"warning.{code.value}", language)


def template_fields(template: str, message: str) -> dict[str, str]:
    """The {fields} of a str.format `template` as filled in `message`; {} when the message is not of it."""
    pattern = "".join(re.escape(literal) + (f"(?P<{name}>.+?)" if name else "")
                      for literal, name, _, _ in string.Formatter().parse(template))
    found = re.fullmatch(pattern, message, re.DOTALL)
    return found.groupdict() if found else {}


def _text(key: str, language: str, fallback: str) -> str:
    """An interface text that may not exist (a mode or answerer added later shows its own name)."""
    return i18n.t(key, language) if key in i18n.TEXTS else fallback


def highlighted_passage(text: str, quote: str) -> str:
    """The passage escaped, with the quoted sentence wrapped in <mark> when it occurs verbatim."""
    start = text.find(quote) if quote else -1
    if start < 0:
        passage = esc(text)
        return passage + (f'<div class="src-quote"><mark>{esc(quote)}</mark></div>' if quote else "")
    end = start + len(quote)
    return f"{esc(text[:start])}<mark>{esc(quote)}</mark>{esc(text[end:])}"


def source_card(source: Source, turn: int, catalog: Catalog | None, language: str, ui: str | None = None) -> str:
    """One source: body (both names), document title and year, section, passage with the quote marked.
    `language` is the answer's (section label, English title), `ui` the interface's (the button)."""
    title_en = document_title_en(source.doc_id, catalog) if language == Language.EN else ""
    attributes = (
        f'class="src-card" id="{card_id(turn, source.n)}" data-n="{source.n}" data-body="{esc(source.body)}" '
        f'data-year="{source.year}" data-section="{esc(source.section)}" data-doc="{esc(source.doc_id)}"'
    )
    parts = [
        f"<div {attributes}>",
        f'<div class="src-head"><span class="src-n">[{source.n}]</span> {esc(body_full(source.body, catalog))}</div>',
        f'<div class="src-doc">{esc(source.title)} · <span class="src-year">{source.year}</span></div>',
        f'<div class="src-title-en">{esc(title_en)}</div>' if title_en else "",
        f'<div class="src-section">{esc(section_label(source, language))}</div>',
        f'<div class="src-text">{highlighted_passage(source.text, source.quote)}</div>',
        f'<button class="copy-cite" type="button" data-cite="{esc(citation_line(source, catalog))}">',
        f"{esc(i18n.t('sources.copy', ui or language))}</button>",
        view_button(turn, source.n, ui or language),
        f'<button class="pin-quote" type="button" data-turn="{turn}" data-n="{source.n}">',  # ui.briefing
        f"{esc(i18n.t('sources.pin', ui or language))}</button>",
        "</div>",
    ]
    return "".join(parts)


def source_cards(answer: Answer | None, turn: int, catalog: Catalog | None, ui: str | None = None) -> str:
    """All cards of one answer, best first; an empty-state line before the first question."""
    if answer is None:
        empty = i18n.t("sources.empty", ui) if ui else i18n.both("sources.empty")
        return f'<div class="src-empty">{esc(empty)}</div>'
    ui = ui or answer.language
    if not answer.sources:
        return f'<div class="src-empty">{esc(i18n.t("sources.none", ui))}</div>'
    head = (f'<div class="src-caption" data-turn="{turn}">{esc(i18n.t("sources.caption", ui))} · '
            f"{esc(answer.question)}</div>")
    return head + "".join(source_card(s, turn, catalog, answer.language, ui) for s in answer.sources)


def status_line(answer: Answer, ui: str | None = None) -> str:
    """The badge plus timing, for the line under the chat."""
    ui = ui or answer.language
    total = answer.timings_ms.get("total")
    timing = f" · {i18n.t('answer.timing', ui, ms=f'{total:.0f}')}" if isinstance(total, int | float) else ""
    line = f'<span class="mode-badge">{esc(badge(answer, ui))}</span><span class="timing">{esc(timing)}</span>'
    resolved = answer.resolved_question
    if resolved and resolved != answer.question:  # a follow-up, as the pipeline read it
        line += f'<div class="resolved">{esc(i18n.t("answer.read_as", ui))} {esc(resolved)}</div>'
    return line


def turn_choices(questions: Sequence[str]) -> list[tuple[str, int]]:
    """Dropdown choices naming each answered question, newest last."""
    return [(f"{i + 1}. {q if len(q) <= 60 else q[:59] + '…'}", i) for i, q in enumerate(questions)]
