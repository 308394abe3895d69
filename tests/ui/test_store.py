"""The workspace store: conversations, pinned quotes and ratings in one SQLite file, each write a transaction."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from rag.types import Answer, Filters, Reported, Source, WarningCode
from ui.store import WorkspaceError, WorkspaceStore


def source(n: int = 1, quote: str = "本會建議創建「香港食品產業園」。", **changes: object) -> Source:
    values: dict = {"n": n, "doc_id": "d1", "body": "CMA", "year": 2024, "title": "標題", "section": "7",
                    "heading": "創建「香港食品產業園」", "path": ["7. 創建"], "text": f"前文。{quote}後文。",
                    "quote": quote, "score": 0.5, "chunk_id": f"d1#{n}"}
    values.update(changes)
    return Source(**values)


def answer(question: str = "Which bodies propose a food industrial park?", **changes: object) -> Answer:
    values: dict = {"question": question, "language": "en", "mode": "hybrid", "answer": "CMA proposes it [1].",
                    "bodies": ["CMA"], "sources": [source()]}
    values.update(changes)
    return Answer(**values)


@pytest.fixture
def store(tmp_path) -> WorkspaceStore:
    return WorkspaceStore(tmp_path / "workspace.sqlite3")


def test_answer_round_trips_through_its_json_contract() -> None:
    original = answer(warnings=["lexical only"], warning_codes=[WarningCode.MODEL_UNAVAILABLE],
                      filters=Filters.of(["CMA"], [2024]), resolved_question="read as",
                      sources=[source(reports=Reported("梁振英", True))], timings_ms={"total": 3.0})
    assert Answer.from_dict(json.loads(json.dumps(original.to_dict()))) == original


def test_a_warning_code_this_version_does_not_know_is_dropped_with_its_message() -> None:
    data = answer(warnings=["a", "b"], warning_codes=[WarningCode.LLM, WarningCode.LLM]).to_dict()
    data["warning_codes"][0] = "from_the_future"
    read = Answer.from_dict(data)
    assert read.warnings == ["b"] and read.warning_codes == [WarningCode.LLM]


def test_saved_answers_read_back_after_reopening_the_file(store, tmp_path) -> None:
    conversation = store.new_conversation("me", "  Which   bodies propose a food industrial park? ")
    store.append(conversation, 0, 1, answer())
    store.append(conversation, 1, 3, answer("What about FHKI?"))
    again = WorkspaceStore(tmp_path / "workspace.sqlite3")
    assert [a.question for a in again.answers(conversation).values()] == [
        "Which bodies propose a food industrial park?", "What about FHKI?"]
    assert again.answers(conversation, [1])[1].question == "What about FHKI?"
    (info,) = again.conversations("me")
    assert info.title == "Which bodies propose a food industrial park?" and info.turns == 2


def test_history_is_newest_first_and_each_owner_sees_only_theirs(store) -> None:
    first = store.new_conversation("me", "first")
    second = store.new_conversation("me", "second")
    store.new_conversation("someone else", "theirs")
    store.append(first, 0, 1, answer())  # using a conversation makes it the newest
    assert [c.title for c in store.conversations("me")] == ["first", "second"]
    assert not store.owns("me", store.conversations("someone else")[0].id)
    assert store.owns("me", second)


def test_rename_and_delete_act_only_on_the_owners_conversation(store) -> None:
    mine = store.new_conversation("me", "mine")
    store.append(mine, 0, 1, answer())
    assert not store.rename("intruder", mine, "hijacked") and not store.delete("intruder", mine)
    assert not store.rename("me", mine, "   ")
    assert store.rename("me", mine, "Food park briefing")
    assert store.conversations("me")[0].title == "Food park briefing"
    assert store.delete("me", mine)
    assert store.conversations("me") == [] and store.answers(mine) == {}  # its answers went with it


def test_an_unreadable_row_is_skipped_not_raised(store) -> None:
    conversation = store.new_conversation("me", "q")
    store.append(conversation, 0, 1, answer())
    store.append(conversation, 1, 3, answer("second"))
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE turns SET answer = '{\"question\": 1' WHERE seq = 0")
    assert list(store.answers(conversation)) == [1]


def test_a_failed_write_leaves_nothing_half_done(store) -> None:
    conversation = store.new_conversation("me", "q")
    with sqlite3.connect(store.path) as con:  # the second statement of `append` (the conversation's time) fails
        con.execute("CREATE TRIGGER refuse BEFORE UPDATE ON conversations BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(sqlite3.IntegrityError):
        store.append(conversation, 0, 1, answer())
    assert store.turn_count(conversation) == 0  # the turn written first was rolled back with it


def test_an_answer_of_an_unknown_conversation_is_refused(store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.append("no-such-conversation", 0, 1, answer())


def test_the_chat_message_of_each_answer_names_it_for_a_thumb(store) -> None:
    conversation = store.new_conversation("me", "q")
    store.append(conversation, 0, 1, answer())
    store.append(conversation, 1, 5, answer("second"))  # an error reply sat between them
    assert store.seq_of_message(conversation, 5) == 1 and store.seq_of_message(conversation, 3) is None
    store.renumber_messages(conversation, {0: 1, 1: 3})  # reopened: the chat shows saved answers only
    assert store.seq_of_message(conversation, 3) == 1


def test_pins_keep_their_order_moves_notes_and_refuse_a_duplicate(store) -> None:
    assert store.pin("me", "q1", "en", source(1, "第一句。"))
    assert store.pin("me", "q2", "zh-Hant", source(2, "第二句。"))
    assert store.pin("me", "q3", "en", source(3, "第三句。"))
    assert not store.pin("me", "q1 again", "en", source(1, "第一句。"))
    first, second, third = store.pins("me")
    store.move_pin("me", third.id, -1)
    store.move_pin("me", first.id, -1)  # already first: nothing moves
    store.set_note("me", second.id, "  cite in para 2 ")
    store.unpin("intruder", first.id)
    assert [(p.question, p.note) for p in store.pins("me")] == [("q1", ""), ("q3", ""), ("q2", "cite in para 2")]
    store.unpin("me", first.id)
    assert [p.source.quote for p in store.pins("me")] == ["第三句。", "第二句。"]
    assert store.pins("someone else") == []


def test_a_rating_keeps_its_comment_and_can_be_withdrawn(store) -> None:
    conversation = store.new_conversation("me", "q")
    store.append(conversation, 0, 1, answer())
    assert not store.comment(conversation, 0, "before any rating")
    store.rate(conversation, 0, "down", answer())
    assert store.comment(conversation, 0, " misses FHKI ")
    store.rate(conversation, 0, "up", answer())
    (rated,) = store.feedback()
    assert (rated.rating, rated.comment, rated.answer) == ("up", "misses FHKI", answer())
    store.rate(conversation, 0, None, answer())
    assert store.feedback() == []
    with pytest.raises(ValueError, match="rating"):
        store.rate(conversation, 0, "meh", answer())


def test_concurrent_writers_all_land(store) -> None:
    conversation = store.new_conversation("me", "q")

    def write(seq: int) -> None:
        store.append(conversation, seq, 2 * seq + 1, answer(f"q{seq}"))

    threads = [threading.Thread(target=write, args=(seq,)) for seq in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.turn_count(conversation) == 20


def test_the_browser_secret_is_made_once_and_kept(store, tmp_path) -> None:
    assert store.browser_secret() == WorkspaceStore(tmp_path / "workspace.sqlite3").browser_secret()


def test_an_unwritable_place_is_one_sentence_naming_the_setting(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(WorkspaceError, match="RAG_DATA_DIR"):
        WorkspaceStore(blocker / "workspace.sqlite3")
