"""The member's workspace on disk: saved conversations, the briefing's pinned quotes and answer feedback.

One SQLite file (`Settings.workspace_db`, beside the index) holds them, so they survive a reload and a restart.
Answers are stored as their JSON contract (`Answer.to_dict`), read back with `Answer.from_dict`. Every write is
one transaction; a row that no longer reads (hand-edited, or written by another version) is logged and skipped,
never raised to the page. Each call opens its own connection: Gradio runs handlers on many threads, and SQLite
serialises the writers itself (WAL journal, a busy timeout).

Rows belong to an `owner`, the random id a browser keeps (gr.BrowserState): each browser sees its own history and
briefing. No Gradio here, so the store is tested on its own.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.types import Answer, Source

log = logging.getLogger("ui")

RATINGS = ("up", "down")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, message INTEGER NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (conversation, seq));
CREATE TABLE IF NOT EXISTS pins (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, position INTEGER NOT NULL, question TEXT NOT NULL,
    language TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS pins_by_owner ON pins (owner, position);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, conversation TEXT NOT NULL, seq INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL,
    created REAL NOT NULL, UNIQUE (conversation, seq));
"""
TITLE_CHARS = 80  # a conversation is named after its first question, cut here


class WorkspaceError(RuntimeError):
    """The workspace file cannot be opened or created; the message says where and what to do."""


@dataclass(frozen=True)
class ConversationInfo:
    """One entry of the history list."""

    id: str
    title: str
    updated: float
    turns: int


@dataclass(frozen=True)
class Pin:
    """A quote pinned to the briefing: the source as its answer cited it, the question asked, the member's note."""

    id: int
    question: str
    language: str
    source: Source
    note: str


@dataclass(frozen=True)
class Feedback:
    """Thumbs up or down on one saved answer, with the member's optional comment."""

    conversation: str
    seq: int
    rating: str  # up | down
    comment: str
    answer: Answer
    created: float


class WorkspaceStore:
    """Conversations, pins and feedback in one SQLite file, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._transaction() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise WorkspaceError(f"cannot open the workspace file {self.path} ({exc}); set RAG_DATA_DIR to a "
                                 "writable folder.") from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One connection, one transaction: committed when the block ends, rolled back when it raises."""
        with closing(sqlite3.connect(self.path, timeout=10)) as con:
            con.execute("PRAGMA foreign_keys=ON")
            with con:
                yield con

    def browser_secret(self) -> str:
        """The key the browser's stored ids are encrypted with (gr.BrowserState): made once and kept here, so
        a restarted server still reads what the browser kept."""
        with self._transaction() as con:
            con.execute("INSERT OR IGNORE INTO meta VALUES ('browser_secret', ?)", (secrets.token_hex(16),))
            return con.execute("SELECT value FROM meta WHERE key = 'browser_secret'").fetchone()[0]

    # -- conversations ----------------------------------------------------------------------------------------
    def new_conversation(self, owner: str, title: str) -> str:
        conversation = uuid.uuid4().hex
        now = time.time()
        with self._transaction() as con:
            con.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                        (conversation, owner, _title(title), now, now))
        return conversation

    def conversations(self, owner: str) -> list[ConversationInfo]:
        """The owner's conversations, the most recently used first."""
        with self._transaction() as con:
            rows = con.execute(
                "SELECT c.id, c.title, c.updated, (SELECT COUNT(*) FROM turns t WHERE t.conversation = c.id) "
                "FROM conversations c WHERE c.owner = ? ORDER BY c.updated DESC, c.rowid DESC", (owner,)).fetchall()
        return [ConversationInfo(*row) for row in rows]

    def owns(self, owner: str, conversation: str | None) -> bool:
        if not conversation:
            return False
        with self._transaction() as con:
            row = con.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conversation, owner))
            return row.fetchone() is not None

    def rename(self, owner: str, conversation: str, title: str) -> bool:
        """False when the title is empty or the conversation is not the owner's."""
        if not title.strip():
            return False
        with self._transaction() as con:
            changed = con.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                                  (_title(title), conversation, owner)).rowcount
        return changed == 1

    def delete(self, owner: str, conversation: str) -> bool:
        """The conversation and its turns (its feedback stays: it is the member's verdict, kept for export)."""
        with self._transaction() as con:
            return con.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                               (conversation, owner)).rowcount == 1

    def turn_count(self, conversation: str) -> int:
        with self._transaction() as con:
            return con.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conversation,)).fetchone()[0]

    def append(self, conversation: str, seq: int, message: int, answer: Answer) -> None:
        """Save answer `seq` of the conversation, shown as chat message `message` (what a thumb click names)."""
        with self._transaction() as con:
            con.execute("INSERT OR REPLACE INTO turns VALUES (?, ?, ?, ?)",
                        (conversation, seq, message, json.dumps(answer.to_dict(), ensure_ascii=False)))
            con.execute("UPDATE conversations SET updated = ? WHERE id = ?", (time.time(), conversation))

    def answers(self, conversation: str, seqs: Sequence[int] | None = None) -> dict[int, Answer]:
        """seq → answer for the conversation's saved answers (only `seqs` when given); unreadable rows skipped."""
        query, args = "SELECT seq, answer FROM turns WHERE conversation = ?", [conversation]
        if seqs is not None:
            query += f" AND seq IN ({','.join('?' * len(seqs))})"
            args += list(seqs)
        with self._transaction() as con:
            rows = con.execute(query + " ORDER BY seq", args).fetchall()
        found = {}
        for seq, text in rows:
            answer = _read(Answer.from_dict, text, f"answer {seq} of conversation {conversation}")
            if answer is not None:
                found[seq] = answer
        return found

    def renumber_messages(self, conversation: str, messages: dict[int, int]) -> None:
        """Record where each answer now sits in the chat (seq → message index), e.g. after reopening it."""
        with self._transaction() as con:
            con.executemany("UPDATE turns SET message = ? WHERE conversation = ? AND seq = ?",
                            [(message, conversation, seq) for seq, message in messages.items()])

    def seq_of_message(self, conversation: str, message: int) -> int | None:
        """Which answer the chat shows as message `message`; None for a message that is no saved answer."""
        with self._transaction() as con:
            row = con.execute("SELECT seq FROM turns WHERE conversation = ? AND message = ?",
                              (conversation, message)).fetchone()
        return row[0] if row else None

    # -- briefing -------------------------------------------------------------------------------------------
    def pins(self, owner: str) -> list[Pin]:
        with self._transaction() as con:
            rows = con.execute("SELECT id, question, language, source, note FROM pins WHERE owner = ? "
                               "ORDER BY position, id", (owner,)).fetchall()
        pins = []
        for pin_id, question, language, text, note in rows:
            source = _read(Source.from_dict, text, f"pinned quote {pin_id}")
            if source is not None:
                pins.append(Pin(pin_id, question, language, source, note))
        return pins

    def pin(self, owner: str, question: str, language: str, source: Source) -> bool:
        """Pin a quote at the end of the briefing; False when the same quote of the same passage is already there."""
        text = json.dumps(source.to_dict(), ensure_ascii=False)
        with self._transaction() as con:
            for (existing,) in con.execute("SELECT source FROM pins WHERE owner = ?", (owner,)):
                same = _read(dict, existing, "pinned quote")
                if same and (same.get("chunk_id"), same.get("doc_id"), same.get("quote")) == \
                        (source.chunk_id, source.doc_id, source.quote):
                    return False
            last = con.execute("SELECT COALESCE(MAX(position), -1) FROM pins WHERE owner = ?", (owner,)).fetchone()
            con.execute("INSERT INTO pins (owner, position, question, language, source, note, created) "
                        "VALUES (?, ?, ?, ?, ?, '', ?)", (owner, last[0] + 1, question, language, text, time.time()))
        return True

    def move_pin(self, owner: str, pin_id: int, step: int) -> None:
        """Move a pinned item `step` places (-1 up, +1 down) by swapping it with its neighbour."""
        with self._transaction() as con:
            order = [row[0] for row in con.execute("SELECT id FROM pins WHERE owner = ? ORDER BY position, id",
                                                    (owner,))]
            if pin_id not in order:
                return
            here = order.index(pin_id)
            there = here + step
            if not 0 <= there < len(order):
                return
            order[here], order[there] = order[there], order[here]
            con.executemany("UPDATE pins SET position = ? WHERE id = ?", [(i, p) for i, p in enumerate(order)])

    def set_note(self, owner: str, pin_id: int, note: str) -> None:
        with self._transaction() as con:
            con.execute("UPDATE pins SET note = ? WHERE id = ? AND owner = ?", (note.strip(), pin_id, owner))

    def unpin(self, owner: str, pin_id: int) -> None:
        with self._transaction() as con:
            con.execute("DELETE FROM pins WHERE id = ? AND owner = ?", (pin_id, owner))

    # -- feedback -------------------------------------------------------------------------------------------
    def rate(self, conversation: str, seq: int, rating: str | None, answer: Answer) -> None:
        """Thumbs up or down on answer `seq` (None takes the rating back); a new rating keeps the comment."""
        with self._transaction() as con:
            if rating is None:
                con.execute("DELETE FROM feedback WHERE conversation = ? AND seq = ?", (conversation, seq))
                return
            if rating not in RATINGS:
                raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}.")
            con.execute(
                "INSERT INTO feedback (conversation, seq, rating, answer, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (conversation, seq) DO UPDATE SET rating = excluded.rating, created = excluded.created",
                (conversation, seq, rating, json.dumps(answer.to_dict(), ensure_ascii=False), time.time()))

    def comment(self, conversation: str, seq: int, comment: str) -> bool:
        """Attach a comment to the answer's rating; False when the answer has not been rated."""
        with self._transaction() as con:
            return con.execute("UPDATE feedback SET comment = ? WHERE conversation = ? AND seq = ?",
                               (comment.strip(), conversation, seq)).rowcount == 1

    def feedback(self) -> list[Feedback]:
        """Every rating, oldest first (all owners: it is exported for the maintainers' gold set)."""
        with self._transaction() as con:
            rows = con.execute("SELECT conversation, seq, rating, comment, answer, created FROM feedback "
                               "ORDER BY created, id").fetchall()
        found = []
        for conversation, seq, rating, comment, text, created in rows:
            answer = _read(Answer.from_dict, text, f"feedback on answer {seq} of {conversation}")
            if answer is not None and rating in RATINGS:
                found.append(Feedback(conversation, seq, rating, comment, answer, created))
        return found


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _read(parse: Any, text: str, what: str) -> Any:
    """`parse` of a stored JSON row (a dict), or None (logged) when the row does not read."""
    try:
        return parse(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("skipping unreadable %s in the workspace store: %s", what, exc)
        return None
