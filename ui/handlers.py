"""Gradio event handlers: widget values → service calls, service results → widget updates."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import gradio as gr

from rag.answer.citations import body_short
from rag.corpus.catalog import Catalog
from rag.types import Answer, Language
from rag.understand.query import QuestionError
from ui import render
from ui.service import PipelineService

log = logging.getLogger("ui")

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


def filter_choices(catalog: Catalog) -> tuple[list[tuple[str, str]], list[int], list[tuple[str, str]]]:
    """(bodies, years, documents) choices for the filters, from the catalog."""
    bodies = [(f"{code} {body_short(code, catalog, Language.ZH_HANT)}", code) for code in catalog.body_codes()]
    years = sorted({d.year for d in catalog.documents})
    documents = [(f"{d.body} {d.year} · {d.title_zh}", d.doc_id) for d in catalog.documents]
    return bodies, years, documents


def status_html(message: str, failed: bool = False, ready: bool = False) -> str:
    css = "failed" if failed else "ready" if ready else "building"
    return f'<div class="{css}">{render.esc(message)}</div>'


def answer_status(answer: Answer) -> str:
    lines = [render.status_line(answer)]
    lines += [f'<div class="answer-warning">⚠ {render.esc(w)}</div>' for w in answer.warnings]
    return "".join(lines)


class Handlers:
    """One set of handlers over the shared service; per-session data travels in gr.State."""

    def __init__(self, service: PipelineService) -> None:
        self.service = service

    # -- index status -------------------------------------------------------------------------------------
    def poll_status(self) -> tuple[str, gr.Timer]:
        status = self.service.status()
        html = status_html(status.message, failed=status.failed, ready=status.ready)
        return html, gr.Timer(active=not (status.ready or status.failed))

    def filters(self) -> tuple[Any, Any, Any]:
        """Filter choices from the current catalog (a page opened after a library change sees the new one)."""
        bodies, years, documents = filter_choices(self.service.catalog)
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
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; outputs: chat, turns, sources, answer status, turn picker. The question
        box is not an output: the page clears it in an event of its own (`take_question`, see `_set`)."""
        skip = gr.skip()
        question = (question or "").strip()
        if not question:
            gr.Warning('The question is empty: type a question, e.g. "Which bodies propose a food industrial park?"')
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
            reply["content"] = render.esc(status.message)
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
                    reply["content"] = render.answer_markdown(item, turn)
                    choices = render.turn_choices([t.question for t in turns])
                    yield (
                        messages,
                        turns,
                        _set(render.source_cards(item, turn, self.service.catalog)),
                        _set(answer_status(item)),
                        gr.Dropdown(choices=choices, value=turn),
                    )
                    return
                text += item
                if time.monotonic() - shown >= STREAM_UPDATE_S:  # coalesce fast deltas: one update per interval
                    reply["content"], shown = render.esc(text), time.monotonic()
                    yield messages, skip, skip, skip, skip
        except QuestionError as exc:
            reply["content"] = render.esc(str(exc))
        except Exception:
            log.exception("answering %r failed", question)
            reply["content"] = "Something went wrong while answering; the server log has the details. Please try again."
        yield messages, skip, skip, skip, skip

    def show_turn(self, turn: int | None, turns: list[Answer] | None) -> tuple[dict, dict]:
        """Source cards and badge of the answer picked in the turn picker."""
        turns = turns or []
        if turn is None or not 0 <= turn < len(turns):
            return _set(render.source_cards(None, 0, None)), _set("")
        return _set(render.source_cards(turns[turn], turn, self.service.catalog)), _set(answer_status(turns[turn]))

    def clear(self) -> tuple[Any, ...]:
        cards = _set(render.source_cards(None, 0, None))
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
    def export(self, fmt: str, scope: str, turns: list[Answer] | None, turn: int | None) -> Any:
        turns = turns or []
        if not turns:
            gr.Warning("Nothing to export yet: ask a question first.")
            return None
        if scope == "answer":
            index = turn if turn is not None and 0 <= turn < len(turns) else len(turns) - 1
            answers, title, stem = [turns[index]], f"HK Policy QA: {turns[index].question}", f"answer-{index + 1}"
        else:
            answers, title, stem = turns, "HK Policy QA: conversation", "conversation"
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
