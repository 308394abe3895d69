"""Answer objects → escaped HTML/Markdown for the chat, the source cards and the mode badge. No Gradio here."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from rag.answer.citations import CITATION, body_full, citation_line, document_title_en, marker_numbers, section_label
from rag.corpus.catalog import Catalog
from rag.types import Answer, Language, Source, WarningCode
from ui.viewer import view_button

_WORDS = {
    "en": {"copy": "Copy citation", "pin": "Pin to briefing", "none": "No sources for this answer.",
           "sources": "Sources", "read_as": "Read as:"},
    "zh-Hant": {"copy": "複製引文", "pin": "加入簡報", "none": "這個回答沒有來源。", "sources": "來源",
                "read_as": "理解為："},
    "zh-Hans": {"copy": "复制引文", "pin": "加入简报", "none": "这个回答没有来源。", "sources": "来源",
                "read_as": "理解为："},
}


def esc(text: object) -> str:
    """HTML-escape anything that came from a user or a document before it goes into HTML."""
    return html.escape(str(text), quote=True)


def words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["zh-Hant"])


def card_id(turn: int, n: int) -> str:
    """The anchor of source [n] of answer `turn`, so a citation marker can point at its card."""
    return f"src-{turn}-{n}"


def marker_title(source: Source, language: str) -> str:
    """What hovering over a citation marker shows."""
    quote = source.quote if len(source.quote) <= 160 else source.quote[:159] + "…"
    return f"{source.body} {source.year} {section_label(source, language)}: 「{quote}」"


def answer_markdown(answer: Answer, turn: int) -> str:
    """The answer text escaped, each [n] a link to its source card with the source as hover title.

    Markers that name no source are left as text, so a model's stray "[7]" cannot point anywhere.
    """
    by_n = {s.n: s for s in answer.sources}

    def link(match: re.Match[str]) -> str:
        numbers = marker_numbers(match)
        if not all(n in by_n for n in numbers):
            return match.group(0)
        titles = {n: esc(marker_title(by_n[n], answer.language)) for n in numbers}
        return "".join(f'<a class="cite" href="#{card_id(turn, n)}" title="{titles[n]}">[{n}]</a>' for n in numbers)

    return CITATION.sub(link, esc(answer.answer))


def badge(answer: Answer) -> str:
    """Mode and answerer, e.g. hybrid · extractive, or lexical (model unavailable offline) · extractive."""
    mode = str(answer.mode)
    if answer.has_warning(WarningCode.MODEL_UNAVAILABLE):
        mode = "lexical (model unavailable offline)"
    return f"{mode} · {answer.answerer}"


def highlighted_passage(text: str, quote: str) -> str:
    """The passage escaped, with the quoted sentence wrapped in <mark> when it occurs verbatim."""
    start = text.find(quote) if quote else -1
    if start < 0:
        passage = esc(text)
        return passage + (f'<div class="src-quote"><mark>{esc(quote)}</mark></div>' if quote else "")
    end = start + len(quote)
    return f"{esc(text[:start])}<mark>{esc(quote)}</mark>{esc(text[end:])}"


def source_card(source: Source, turn: int, catalog: Catalog | None, language: str) -> str:
    """One source: body (both names), document title and year, section, passage with the quote marked."""
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
        f"{esc(words(language)['copy'])}</button>",
        view_button(turn, source.n, language),
        f'<button class="pin-quote" type="button" data-turn="{turn}" data-n="{source.n}">',  # ui.briefing
        f"{esc(words(language)['pin'])}</button>",
        "</div>",
    ]
    return "".join(parts)


def source_cards(answer: Answer | None, turn: int, catalog: Catalog | None) -> str:
    """All cards of one answer, best first; an empty-state line before the first question."""
    if answer is None:
        return '<div class="src-empty">Sources of the answer appear here. 答案的來源會顯示在這裏。</div>'
    if not answer.sources:
        return f'<div class="src-empty">{esc(words(answer.language)["none"])}</div>'
    head = f'<div class="src-caption">{esc(words(answer.language)["sources"])} · {esc(answer.question)}</div>'
    return head + "".join(source_card(s, turn, catalog, answer.language) for s in answer.sources)


def status_line(answer: Answer) -> str:
    """The badge plus timing, for the line under the chat."""
    total = answer.timings_ms.get("total")
    timing = f" · {total:.0f} ms" if isinstance(total, int | float) else ""
    line = f'<span class="mode-badge">{esc(badge(answer))}</span><span class="timing">{esc(timing)}</span>'
    resolved = answer.resolved_question
    if resolved and resolved != answer.question:  # a follow-up, as the pipeline read it
        line += f'<div class="resolved">{esc(words(answer.language)["read_as"])} {esc(resolved)}</div>'
    return line


def turn_choices(questions: Sequence[str]) -> list[tuple[str, int]]:
    """Dropdown choices naming each answered question, newest last."""
    return [(f"{i + 1}. {q if len(q) <= 60 else q[:59] + '…'}", i) for i, q in enumerate(questions)]
