"""Domain objects that flow from the corpus to the answer: Chunk, Source, Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    """Retrieval modes, chosen by one config value."""

    LEXICAL = "lexical"
    DENSE = "dense"
    HYBRID = "hybrid"


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage: a section or a piece of one, with the metadata a citation needs."""

    chunk_id: str  # f"{doc_id}#{ordinal}"
    doc_id: str
    body: str  # body code, e.g. "CMA"
    year: int
    title: str  # document title (Chinese)
    section: str  # number path as printed, e.g. "7", "1(1)", "2.III.A"; "" for unnumbered headings
    heading: str  # the section's own heading (Chinese, as in the source)
    path: tuple[str, ...]  # headings from the top, each with its number, e.g. ("打造香港新質生產力", "7. 創建…")
    text: str  # source wording with only whitespace and extraction artefacts removed
    heading_en: str = ""  # curated English title of the section, where known
    # Where each section's text starts inside `text` when small sections were joined:
    # (offset, section, heading, path, English title).
    parts: tuple[tuple[int, str, str, tuple[str, ...], str], ...] = ()

    def part_at(self, offset: int) -> tuple[str, str, tuple[str, ...], str]:
        """(section, heading, path, English title) of the section that the text at `offset` belongs to."""
        found = (self.section, self.heading, self.path, self.heading_en)
        for start, section, heading, path, heading_en in self.parts:
            if start <= offset:
                found = (section, heading, tuple(path), heading_en)
        return found

    def match_text(self) -> str:
        """What lexical matching sees: section path and heading count in the match."""
        return "\n".join([*self.path, self.text])


@dataclass
class Source:
    """A ranked retrieval result as the answer cites it: [n] = sources[n-1]."""

    n: int
    doc_id: str
    body: str
    year: int
    title: str
    section: str
    heading: str
    path: list[str]
    text: str
    quote: str
    score: float
    heading_en: str = ""
    chunk_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What `rag ask --json` prints, per the contract in ARCHITECTURE.md."""

    question: str
    language: str  # en | zh-Hant | zh-Hans
    mode: str  # what actually ran
    answer: str
    bodies: list[str]
    sources: list[Source]
    warnings: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    abstained: bool = False  # nothing in the corpus answers: the sources are only "possibly related"
    answerer: str = "extractive"  # extractive | llm
    resolved_question: str | None = None  # a follow-up as read against the conversation

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": self.language,
            "mode": self.mode,
            "answer": self.answer,
            "bodies": self.bodies,
            "sources": [s.to_dict() for s in self.sources],
            "warnings": self.warnings,
            "timings_ms": self.timings_ms,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "resolved_question": self.resolved_question,
        }
