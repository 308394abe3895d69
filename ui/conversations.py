"""Saved conversations: every answer is kept in the workspace store, so a reload reopens the conversation and a
restart keeps them; a history list reopens, renames and deletes them.

The browser keeps two ids (gr.BrowserState, encrypted with a key the store keeps across restarts): its `owner` id,
whose conversations and briefing it sees, and the open `conversation`. The session keeps the last
TURNS_IN_MEMORY answers whole; an older one keeps only its question (for the turn picker and follow-ups, which read
the last answer) and is read back from the store when it is picked or exported.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

import gradio as gr

from rag.corpus.catalog import Catalog
from rag.types import Answer, Language, Mode
from ui import i18n, render
from ui.handlers import Handlers, Message, answer_status
from ui.store import ConversationInfo, WorkspaceStore

log = logging.getLogger("ui")

TURNS_IN_MEMORY = 20  # answers a session keeps whole; older ones live in the store

TEXTS = {
    "history": {"zh-Hant": "對話紀錄", "en": "History"},
    "history.list": {"zh-Hant": "已保存的對話（最新在前）", "en": "Saved conversations (newest first)"},
    "history.empty": {"zh-Hant": "還沒有保存的對話。", "en": "No saved conversations yet."},
    "history.open": {"zh-Hant": "打開", "en": "Open"},
    "history.rename": {"zh-Hant": "改名", "en": "Rename"},
    "history.delete": {"zh-Hant": "刪除", "en": "Delete"},
    "history.title": {"zh-Hant": "新名稱", "en": "New name"},
    "history.pick_first": {"zh-Hant": "請先在列表中選一個對話。", "en": "Pick a conversation in the list first."},
    "history.name_first": {"zh-Hant": "請先輸入新名稱。", "en": "Type the new name first."},
    "history.gone": {"zh-Hant": "這個對話已不存在。", "en": "That conversation no longer exists."},
    "history.deleted": {"zh-Hant": "已刪除對話。", "en": "Conversation deleted."},
    "history.save_failed": {
        "zh-Hant": "未能保存這個回答（工作區檔案無法寫入），重新載入後將看不到它。",
        "en": "This answer could not be saved (the workspace file is not writable); a reload will not show it.",
    },
    "history.turns": {"zh-Hant": "{n} 問", "en": "{n} Q"},
    "history.unreadable": {
        "zh-Hant": "（這個已保存的答案無法讀取）", "en": "(this saved answer could not be read)",
    },
}
i18n.register(TEXTS)


@dataclass
class Workspace:
    """What the page's features share: the store and the browser's ids; `build_conversations` adds the rest."""

    store: WorkspaceStore
    owner: Any  # gr.BrowserState: this browser's id
    conversation: Any  # gr.BrowserState: the open conversation's id ("" for a new one)
    loaded: Any = None  # the page-load event: features that read the owner chain on it with .then
    record: Any = None  # (event) -> event: saves the answer the event produced
    show_turn: Any = None  # turn picker handler reading older answers back from the store
    export: Any = None  # export handler over the whole saved conversation


def workspace(store: WorkspaceStore) -> Workspace:
    """The browser's ids, kept in its storage; encrypted with the store's key, so they outlive a restart."""
    secret = store.browser_secret()
    return Workspace(store, gr.BrowserState("", storage_key="hkpqa-owner", secret=secret),
                     gr.BrowserState("", storage_key="hkpqa-conversation", secret=secret))


def exchange(answer: Answer, turn: int, catalog: Catalog | None = None) -> list[Message]:
    """The chat's two messages for a saved answer, as the chat handler shows them (with its "copy answer")."""
    return [{"role": "user", "content": render.esc(answer.question)},
            {"role": "assistant", "content": render.answer_markdown(answer, turn, catalog, copy=True)}]


def in_memory(answers: list[Answer]) -> list[Answer]:
    """The session's copy of a conversation: the last TURNS_IN_MEMORY answers whole, older ones their question."""
    cut = len(answers) - TURNS_IN_MEMORY
    return [replace(a, answer="", sources=[], bodies=[], warnings=[], warning_codes=[], timings_ms={}) if i < cut
            else a for i, a in enumerate(answers)]


def save_answers(store: WorkspaceStore, owner: str, conversation: str, kept: list[Answer],
                 last_message: int) -> tuple[str, list[Answer]]:
    """After an answer: save the session's answers the store lacks (the newest shown as chat message
    `last_message`), in a new conversation when none is open or the chat began afresh; returns the conversation
    and the session's answers with only the last TURNS_IN_MEMORY kept whole."""
    if not store.owns(owner, conversation) or store.turn_count(conversation) > len(kept):
        conversation = store.new_conversation(owner, kept[0].question)
    for turn in range(store.turn_count(conversation), len(kept)):
        store.append(conversation, turn, last_message if turn == len(kept) - 1 else -1, kept[turn])
    return conversation, in_memory(kept)


def filled(store: WorkspaceStore, kept: list[Answer] | None, conversation: str | None,
           wanted: list[int] | None = None) -> list[Answer]:
    """The session's answers with the older ones (`wanted`, or all) read back whole from the store."""
    kept = list(kept or [])
    cut = len(kept) - TURNS_IN_MEMORY
    older = [i for i in (range(len(kept)) if wanted is None else wanted) if 0 <= i < cut]
    if older and conversation:
        for turn, answer in store.answers(conversation, older).items():
            kept[turn] = answer
    return kept


def saved_answers(store: WorkspaceStore, conversation: str, language: str) -> list[Answer]:
    """A saved conversation's answers in order; a row that no longer reads is a placeholder saying so, so every
    answer keeps its place (its number in the chat, the turn picker and the store)."""
    found = store.answers(conversation)
    missing = Answer(question=i18n.t("history.unreadable", language), language=Language(language),
                     mode=Mode.LEXICAL, answer="", bodies=[], sources=[])
    return [found.get(seq, missing) for seq in range(store.turn_count(conversation))]


def history_choices(conversations: list[ConversationInfo], language: str) -> list[tuple[str, str]]:
    stamp = "%Y-%m-%d %H:%M"
    return [(f"{c.title} · {i18n.t('history.turns', language, n=c.turns)} · "
             f"{time.strftime(stamp, time.localtime(c.updated))}", c.id) for c in conversations]


def build_conversations(app: gr.Blocks, space: Workspace, h: Handlers, labels: i18n.Labels, language: Any,
                        chat: Any, turns: Any, sources: Any, status: Any, turn_pick: Any,
                        new_buttons: list[Any]) -> None:
    """The history panel and the events that save, reopen, rename and delete conversations; fills in `space`."""
    store, owner, conversation = space.store, space.owner, space.conversation
    with labels.add(gr.Accordion(i18n.t("history"), open=False, elem_id="history"), "history"):
        listing = labels.add(gr.Radio([], value=None, label=i18n.t("history.list"), elem_id="history-list"),
                             "history.list")
        with gr.Row():
            title = labels.add(gr.Textbox(label=i18n.t("history.title"), elem_id="history-title", scale=3,
                                          max_length=200), "history.title")
            open_ = labels.add(gr.Button(i18n.t("history.open"), elem_id="history-open", scale=1),
                               "history.open", "value")
            rename = labels.add(gr.Button(i18n.t("history.rename"), elem_id="history-rename", scale=1),
                                "history.rename", "value")
            delete = labels.add(gr.Button(i18n.t("history.delete"), elem_id="history-delete", variant="stop",
                                          scale=1), "history.delete", "value")

    def listed(who: str, current: str | None, language: str) -> dict:
        return gr.update(choices=history_choices(store.conversations(who), language), value=current or None)

    def page(who: str, current: str, language: str) -> tuple[Any, ...]:
        """Outputs of `opened`: owner, conversation, chat, turns, sources, status, turn picker, history list."""
        answers = saved_answers(store, current, language) if current else []
        messages = [m for turn, answer in enumerate(answers) for m in exchange(answer, turn, h.service.catalog)]
        if answers:
            store.renumber_messages(current, {turn: 2 * turn + 1 for turn in range(len(answers))})
        last = answers[-1] if answers else None
        return (
            who, current, messages, in_memory(answers),
            gr.update(value=render.source_cards(last, len(answers) - 1, h.service.catalog, language)),
            gr.update(value=answer_status(last, language) if last else ""),
            gr.Dropdown(choices=render.turn_choices([a.question for a in answers]),
                        value=len(answers) - 1 if answers else None),
            listed(who, current, language),
        )

    def restore(who: str | None, current: str | None, language: str) -> tuple[Any, ...]:
        """On page load: this browser's id (made on its first visit) and its open conversation, if it still is."""
        who = who or uuid.uuid4().hex
        return page(who, current if store.owns(who, current) else "", language)

    def reopen(who: str, picked: str | None, language: str) -> tuple[Any, ...]:
        if not picked:
            gr.Warning(i18n.t("history.pick_first", language))
            return (gr.skip(),) * 8
        if not store.owns(who, picked):
            gr.Warning(i18n.t("history.gone", language))
            return (*(gr.skip(),) * 7, listed(who, None, language))
        return page(who, picked, language)

    def renamed(who: str, picked: str | None, name: str | None, current: str, language: str) -> tuple[Any, Any]:
        if not picked:
            gr.Warning(i18n.t("history.pick_first", language))
        elif not (name or "").strip():
            gr.Warning(i18n.t("history.name_first", language))
        elif store.rename(who, picked, name or ""):
            return listed(who, picked, language), ""
        return gr.skip(), gr.skip()

    def deleted(who: str, picked: str | None, current: str, language: str) -> tuple[Any, ...]:
        if not picked:
            gr.Warning(i18n.t("history.pick_first", language))
            return (gr.skip(),) * 8
        store.delete(who, picked)
        gr.Info(i18n.t("history.deleted", language))
        if picked == current:  # the open conversation is gone: start a new one
            return page(who, "", language)
        return (*(gr.skip(),) * 7, listed(who, current, language))

    def new(who: str, language: str) -> tuple[str, dict]:
        return "", listed(who, None, language)

    def saved(who: str, current: str, kept: list[Answer] | None, messages: list[Message] | None,
              language: str) -> tuple[Any, Any, Any]:
        if not kept or not who:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            current, kept = save_answers(store, who, current, kept, len(messages or []) - 1)
        except sqlite3.Error:
            log.exception("saving the conversation failed")
            gr.Warning(i18n.t("history.save_failed", language))
            return gr.skip(), gr.skip(), gr.skip()
        return current, kept, listed(who, current, language)

    def show_turn(turn: int | None, kept: list[Answer] | None, current: str | None,
                  language: str | None = None) -> tuple[dict, dict]:
        return h.show_turn(turn, filled(store, kept, current, [turn] if turn is not None else []), language)

    def export(fmt: str, scope: str, kept: list[Answer] | None, turn: int | None, current: str | None,
               language: str | None = None) -> Any:
        return h.export(fmt, scope, filled(store, kept, current), turn, language)

    opened = [owner, conversation, chat, turns, sources, status, turn_pick, listing]
    private = {"api_visibility": "private"}
    space.loaded = app.load(restore, [owner, conversation, language], opened, **private)
    # The page's language may arrive from the browser while `restore` runs: list again in the one it has now.
    space.loaded.then(listed, [owner, conversation, language], listing, **private)
    open_.click(reopen, [owner, listing, language], opened, **private)
    rename.click(renamed, [owner, listing, title, conversation, language], [listing, title], **private)
    delete.click(deleted, [owner, listing, conversation, language], opened, **private)
    for button in new_buttons:
        button.click(new, [owner, language], [conversation, listing], **private)
    chat.clear(new, [owner, language], [conversation, listing], **private)  # the chat's own trash button
    language.change(listed, [owner, conversation, language], listing, **private)

    def record(event: Any) -> Any:
        return event.then(saved, [owner, conversation, turns, chat, language], [conversation, turns, listing],
                          **private)

    space.record, space.show_turn, space.export = record, show_turn, export
