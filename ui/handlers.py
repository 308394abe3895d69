"""Gradio event handlers: widget values → service calls, service results → widget updates."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import gradio as gr

from rag.answer.citations import body_label, body_short
from rag.corpus.catalog import Catalog
from rag.types import Answer, Language
from rag.understand.query import QuestionError
from ui import i18n, render
from ui.service import PipelineService, Status

log = logging.getLogger("ui")

i18n.register({
    "chat.unknown_filter": {
        "zh-Hant": "所選的機構或文件已不在語料中：請重新整理頁面，再選擇篩選條件。",
        "en": "A chosen body or document is no longer in the corpus: reload the page and choose the filters again.",
    },
    "export.nothing": {"zh-Hant": "還沒有可匯出的內容：請先提問。", "zh-Hans": "还没有可导出的内容：请先提问。",
                       "en": "Nothing to export yet: ask a question first."},
    "export.title_conversation": {"zh-Hant": "香港商會政策建議問答：對話", "en": "HK Policy QA: conversation"},
    "export.title_answer": {"zh-Hant": "香港商會政策建議問答：{question}", "en": "HK Policy QA: {question}"},
})

EXAMPLES = [
    "Which bodies propose a food industrial park?",
    "經民聯對低空經濟有甚麼建議？",
    "哪些机构建议发展银发经济？",
]
READY_WAIT_S = 900.0  # how long a question waits for the first index build before giving up
STREAM_UPDATE_S = 0.05  # at most one chat update per interval while an answer streams
# A conversation's answers live in the server's session state: the latest keep their whole passages (source
# cards); older ones keep question, answer, quotes and citations (enough to export and to follow up), so a long
# conversation costs a few KB per answer instead of ~30 KB.
TURNS_WITH_PASSAGES = 20

Message = dict[str, Any]  # a Chatbot message: role and content


def filter_choices(catalog: Catalog, language: str | None = None) -> tuple[list[tuple[str, str]], list[int],
                                                                           list[tuple[str, str]]]:
    """(bodies, years, documents) choices for the filters, from the catalog, named in the interface language
    (English titles for English where the catalog has them)."""
    language = i18n.language_of(language)
    bodies = [(_body(code, catalog, language), code) for code in catalog.body_codes()]
    years = sorted({d.year for d in catalog.documents})
    documents = [(f"{d.body} {d.year} · {_title(d.title_zh, d.title_en, language)}", d.doc_id)
                 for d in catalog.documents]
    return bodies, years, documents


def _body(code: str, catalog: Catalog, language: str) -> str:
    """A body in a filter: code and English name on an English page, code and Chinese short name otherwise."""
    if language == Language.EN:
        return body_label(code, catalog, language)
    return f"{code} {body_short(code, catalog, language)}"


def _title(title_zh: str, title_en: str | None, language: str) -> str:
    """A document's title as printed (verbatim), its English one for an English page when there is one."""
    return title_en if language == Language.EN and title_en else title_zh


def status_html(status: Status, language: str | None = None) -> str:
    css = "failed" if status.failed else "ready" if status.ready else "building"
    return f'<div class="{css}">{render.esc(status.text(language))}</div>'


def answer_status(answer: Answer, language: str | None = None) -> str:
    """Badge, timing and how a follow-up was read in the interface language; warnings in the answer's."""
    lines = [render.status_line(answer, language)]
    lines += [f'<div class="answer-warning">⚠ {render.esc(w)}</div>' for w in render.warnings_shown(answer)]
    return "".join(lines)


class Handlers:
    """One set of handlers over the shared service; per-session data travels in gr.State."""

    def __init__(self, service: PipelineService) -> None:
        self.service = service

    # -- index status -------------------------------------------------------------------------------------
    def poll_status(self, language: str | None = None) -> tuple[str, gr.Timer]:
        status = self.service.status()
        return status_html(status, language), gr.Timer(active=not (status.ready or status.failed))

    def filters(self, language: str | None = None) -> tuple[Any, Any, Any]:
        """Filter choices from the current catalog (a page opened after a library change sees the new one)."""
        bodies, years, documents = filter_choices(self.service.catalog, language)
        return gr.CheckboxGroup(choices=bodies), gr.CheckboxGroup(choices=years), gr.Dropdown(choices=documents)

    # -- chat ---------------------------------------------------------------------------------------------
    def chat(
        self,
        question: str | None,
        messages: list[Message] | None,
        turns: list[Answer] | None,
        bodies: list[str] | None,
        years: list[int] | None,
        doc_ids: list[str] | None,
        language: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; outputs: chat, turns, sources, answer status, turn picker. The question
        box is not an output: the page clears it in an event of its own (`take_question`, see `_set`). `language`
        is the interface's (the answer follows the question's)."""
        skip = gr.skip()
        question = (question or "").strip()
        if not question:
            gr.Warning(i18n.t("chat.empty_question", language))
            yield skip, skip, skip, skip, skip
            return
        # An empty chat is a new conversation (the page clears both; an API call may send no history): earlier
        # answers kept in the session would otherwise pile up unseen and be read as context for follow-ups.
        turns = list(turns or []) if messages else []
        messages = [*(messages or []), {"role": "user", "content": render.esc(question)}]
        reply: Message = {"role": "assistant", "content": "…"}
        messages.append(reply)
        yield messages, skip, skip, skip, skip
        while not self.service.wait(0.5):
            status = self.service.status()
            reply["content"] = render.esc(status.text(language))
            yield messages, skip, skip, skip, skip
            if status.failed:
                return
        history = [(t.question, t) for t in turns]
        text, shown = "", time.monotonic()
        try:
            for item in self.service.ask_stream(question, history, bodies or [], years or [], doc_ids or []):
                if isinstance(item, Answer):
                    turns.append(item)
                    _drop_old_passages(turns)
                    turn = len(turns) - 1
                    reply["content"] = render.answer_markdown(item, turn, self.service.catalog, copy=True)
                    choices = render.turn_choices([t.question for t in turns])
                    yield (
                        messages,
                        turns,
                        _set(render.source_cards(item, turn, self.service.catalog, language)),
                        _set(answer_status(item, language)),
                        gr.Dropdown(choices=choices, value=turn),
                    )
                    return
                text += item
                if time.monotonic() - shown >= STREAM_UPDATE_S:  # coalesce fast deltas: one update per interval
                    reply["content"], shown = render.esc(text), time.monotonic()
                    yield messages, skip, skip, skip, skip
        except QuestionError as exc:  # an empty question is caught above: what is left are stale filters
            log.info("question refused: %s", exc)
            reply["content"] = render.esc(i18n.t("chat.unknown_filter", language))
        except Exception:
            log.exception("answering %r failed", question)
            reply["content"] = render.esc(i18n.t("chat.failed", language))
        yield messages, skip, skip, skip, skip

    def show_turn(self, turn: int | None, turns: list[Answer] | None, language: str | None = None) -> tuple[dict, dict]:
        """Source cards and badge of the answer picked in the turn picker."""
        turns = turns or []
        if turn is None or not 0 <= turn < len(turns):
            return _set(render.source_cards(None, 0, None, i18n.language_of(language))), _set("")
        cards = render.source_cards(turns[turn], turn, self.service.catalog, language)
        return _set(cards), _set(answer_status(turns[turn], language))

    def clear(self, language: str | None = None) -> tuple[Any, ...]:
        cards = _set(render.source_cards(None, 0, None, i18n.language_of(language)))
        return [], [], cards, _set(""), gr.Dropdown(choices=[], value=None), ""

    def ask_api(
        self,
        question: str,
        bodies: list[str] | None = None,
        years: list[int] | None = None,
        doc_ids: list[str] | None = None,
    ) -> dict:
        """One question → the `rag ask --json` contract (for scripts and the load test)."""
        if not self.service.wait(READY_WAIT_S):
            raise gr.Error(self.service.status().message)
        try:
            answer = self.service.ask(question, bodies=bodies or [], years=years or [], doc_ids=doc_ids or [])
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except Exception as exc:  # never a bare {"error": null}: say what to do, keep the details in the log
            log.exception("answering %r failed", question)
            raise gr.Error("The question could not be answered; the server log has the details.") from exc
        return answer.to_dict()

    # -- export -------------------------------------------------------------------------------------------
    def export(self, fmt: str, scope: str, turns: list[Answer] | None, turn: int | None,
               language: str | None = None) -> Any:
        turns = turns or []
        if not turns:
            gr.Warning(i18n.t("export.nothing", language))
            return None
        if scope == "answer":
            index = turn if turn is not None and 0 <= turn < len(turns) else len(turns) - 1
            title = i18n.t("export.title_answer", language, question=turns[index].question)
            answers, stem = [turns[index]], f"answer-{index + 1}"
        else:
            answers, title, stem = turns, i18n.t("export.title_conversation", language), "conversation"
        return gr.File(value=str(self.service.export(answers, fmt, title, stem)), visible=True)


def _set(value: Any) -> dict[str, Any]:
    """`value` for the sources panel or the answer status: as an update, never a plain value.

    The chat handler skips these while it streams, and Gradio keeps a skipped (or otherwise updated) component as
    a copy with a new block id in the session. A plain value sent to it afterwards is then filed in the session
    under that new id, config and value together, and never replaced: about 30 KB per answer (the source cards)
    for as long as the session lives. A value sent as an update is filed under the component's own id, replacing
    the last one. (Gradio files an input under the copy's id the same way, so the question box, cleared by each
    answer and read by the next, would leave a copy of itself per answer: so it is never updated, only given plain
    values, and the page clears it in an event of its own, `take_question`.)
    """
    return gr.update(value=value)


def _drop_old_passages(turns: list[Answer]) -> None:
    """Keep whole passages for the latest TURNS_WITH_PASSAGES answers only (see there)."""
    for index in range(max(0, len(turns) - TURNS_WITH_PASSAGES)):
        if any(source.text for source in turns[index].sources):
            turns[index] = replace(turns[index], sources=[replace(s, text="") for s in turns[index].sources])


def example_question(sample: Sequence[str] | str) -> str:
    """The question text of a clicked example (gr.Dataset passes the sample as a list)."""
    return sample if isinstance(sample, str) else sample[0]


def take_question(question: str | None) -> tuple[str, str]:
    """The question box emptied (a plain value, never an update: see `_set`) and its question kept for `chat`."""
    return "", question or ""
