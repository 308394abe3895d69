"""Saving a conversation as it goes: every answer in the store, only the last ones whole in the session."""

from __future__ import annotations

import pytest

from tests.ui.test_store import answer, source
from ui import render
from ui.conversations import (
    TURNS_IN_MEMORY,
    exchange,
    filled,
    history_choices,
    in_memory,
    save_answers,
    saved_answers,
)
from ui.store import WorkspaceStore


@pytest.fixture
def store(tmp_path) -> WorkspaceStore:
    return WorkspaceStore(tmp_path / "workspace.sqlite3")


def converse(store: WorkspaceStore, turns: int) -> tuple[str, list]:
    """Ask `turns` questions one after another, saving after each as the page does."""
    conversation, kept = "", []
    for turn in range(turns):
        kept = [*kept, answer(f"question {turn}", sources=[source(1, f"第{turn}句。")])]
        conversation, kept = save_answers(store, "me", conversation, kept, 2 * turn + 1)
    return conversation, kept


def test_the_session_keeps_only_the_last_answers_whole_and_the_store_keeps_all(store) -> None:
    turns = TURNS_IN_MEMORY + 5
    conversation, kept = converse(store, turns)
    assert len(kept) == turns and store.turn_count(conversation) == turns
    assert all(not a.sources and not a.answer for a in kept[:5])  # older ones keep their question only …
    assert [a.question for a in kept[:2]] == ["question 0", "question 1"]  # … for the turn picker
    assert all(a.sources for a in kept[5:])
    assert store.seq_of_message(conversation, 2 * (turns - 1) + 1) == turns - 1


def test_an_older_answer_is_read_back_whole_when_picked(store) -> None:
    conversation, kept = converse(store, TURNS_IN_MEMORY + 3)
    picked = filled(store, kept, conversation, [1])
    assert picked[1].sources[0].quote == "第1句。" and not picked[0].sources  # only the one asked for
    assert all(a.sources for a in filled(store, kept, conversation))  # an export reads them all


def test_a_chat_begun_afresh_is_saved_as_a_new_conversation(store) -> None:
    first, _ = converse(store, 3)
    second, kept = save_answers(store, "me", first, [answer("a new start")], 1)
    assert second != first and store.turn_count(first) == 3 and store.turn_count(second) == 1
    assert [c.title for c in store.conversations("me")] == ["a new start", "question 0"]


def test_another_browsers_conversation_is_never_appended_to(store) -> None:
    theirs = store.new_conversation("them", "theirs")
    mine, _ = save_answers(store, "me", theirs, [answer()], 1)
    assert mine != theirs and store.turn_count(theirs) == 0


def test_a_reopened_answer_is_shown_as_the_chat_shows_it() -> None:
    shown = answer('<b>Which</b> bodies?', answer="CMA proposes it [1].")
    user, assistant = exchange(shown, 3)
    assert user == {"role": "user", "content": render.esc('<b>Which</b> bodies?')}
    assert assistant == {"role": "assistant", "content": render.answer_markdown(shown, 3, copy=True)}
    assert 'href="#src-3-1"' in assistant["content"] and 'class="copy-answer"' in assistant["content"]


def test_history_entries_name_the_title_count_and_time(store) -> None:
    conversation, _ = converse(store, 2)
    ((label, value),) = history_choices(store.conversations("me"), "zh-Hant")
    assert value == conversation and label.startswith("question 0 · 2 問 · 20")
    assert in_memory([]) == []


def test_an_unreadable_saved_answer_keeps_its_place(store) -> None:
    import sqlite3

    conversation, _ = converse(store, 3)
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE turns SET answer = 'not json' WHERE seq = 1")
    answers = saved_answers(store, conversation, "en")
    assert [a.question for a in answers] == ["question 0", "(this saved answer could not be read)", "question 2"]
    _, kept = save_answers(store, "me", conversation, [*answers, answer("question 3")], 7)
    assert store.turn_count(conversation) == 4 and len(kept) == 4  # the next answer is saved after them
