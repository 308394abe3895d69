"""Domain objects that flow from the corpus to the answer: Chunk, Part, ScoredChunk, Filters, Source, Answer;
and the enumerations they carry: Mode, Language, Warning codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


class Mode(StrEnum):
    """Retrieval modes, chosen by one config value."""

    LEXICAL = "lexical"
    DENSE = "dense"
    HYBRID = "hybrid"


class Language(StrEnum):
    """The language of a question, and so of its answer."""

    EN = "en"
    ZH_HANT = "zh-Hant"
    ZH_HANS = "zh-Hans"


class WarningCode(StrEnum):
    """What kind of thing a warning says; code branches on these, people read the message."""

    MODEL_UNAVAILABLE = "model_unavailable"  # the embedding model could not load: lexical retrieval only
    MODE_UNAVAILABLE = "mode_unavailable"  # dense or hybrid asked for without a model
    QUESTION_TRUNCATED = "question_truncated"
    UNREAD_WORDS = "unread_words"  # words of the question that nothing in the corpus or glossary knows
    UNCHECKED_LANGUAGE = "unchecked_language"  # passages in the other language, matched by the model alone
    LLM = "llm"  # the LLM answer was corrected or fell back to the extractive one
    NOTHING_ASKED = "nothing_asked"  # the question has no word naming anything (punctuation, emoji, "which bodies?")


@dataclass(frozen=True)
class Notice:
    """A warning: its code for code, its message for people."""

    code: WarningCode
    message: str


@dataclass(frozen=True)
class Part:
    """Where, inside a chunk's text, one section's text begins (small sections are joined into one chunk)."""

    offset: int
    section: str
    heading: str
    path: tuple[str, ...]
    heading_en: str = ""


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
    parts: tuple[Part, ...] = ()  # where each section's text starts inside `text` when small sections were joined

    def part_at(self, offset: int) -> Part:
        """The section that the text at `offset` belongs to."""
        found = Part(0, self.section, self.heading, self.path, self.heading_en)
        for part in self.parts:
            if part.offset <= offset:
                found = part
        return found

    def english_titles(self) -> list[str]:
        """The English titles of every section whose text the chunk holds."""
        return list(dict.fromkeys(t for t in [self.heading_en, *(p.heading_en for p in self.parts)] if t))

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists); `Chunk.from_record` reads it back."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Chunk:
        return cls(
            chunk_id=record["chunk_id"],
            doc_id=record["doc_id"],
            body=record["body"],
            year=int(record["year"]),
            title=record["title"],
            section=record["section"],
            heading=record["heading"],
            path=tuple(record["path"]),
            text=record["text"],
            heading_en=record.get("heading_en", ""),
            parts=tuple(Part(int(p["offset"]), p["section"], p["heading"], tuple(p["path"]), p.get("heading_en", ""))
                        for p in record.get("parts", [])),
        )

    def match_text(self) -> str:
        """What lexical matching sees: section path and heading count in the match."""
        return "\n".join([*self.path, self.text])


class ScoredChunk(NamedTuple):
    """A ranked retrieval result: the chunk's position in the index's chunk list and its score."""

    position: int
    score: float


@dataclass(frozen=True)
class Filters:
    """What a question is restricted to: for each field, None admits all, a set admits only its members."""

    bodies: frozenset[str] | None = None
    years: frozenset[int] | None = None
    doc_ids: frozenset[str] | None = None

    @classmethod
    def of(cls, bodies: Iterable[str] | None = None, years: Iterable[int] | None = None,
           doc_ids: Iterable[str] | None = None) -> Filters:
        """Filters from lists as the CLI and UI give them: an empty or missing list restricts nothing."""
        return cls(*(frozenset(values) if values else None for values in (bodies, years, doc_ids)))

    def __bool__(self) -> bool:
        return any(values is not None for values in (self.bodies, self.years, self.doc_ids))

    def admits(self, chunk: Chunk) -> bool:
        return ((self.bodies is None or chunk.body in self.bodies)
                and (self.years is None or chunk.year in self.years)
                and (self.doc_ids is None or chunk.doc_id in self.doc_ids))

    def to_dict(self) -> dict[str, list]:
        """The fields that restrict, as sorted lists ({} when nothing is filtered)."""
        values = {"bodies": self.bodies, "years": self.years, "doc_ids": self.doc_ids}
        return {key: sorted(value) for key, value in values.items() if value is not None}

    def narrowed(self, body: str | None = None, years: Iterable[int] | None = None) -> Filters:
        """These filters, further restricted to one body and/or some years."""
        return Filters(_meet(self.bodies, {body} if body else None), _meet(self.years, set(years or ()) or None),
                       self.doc_ids)


NO_FILTERS = Filters()


def _meet(have: frozenset | None, want: set | None) -> frozenset | None:
    if want is None:
        return have
    return frozenset(want) if have is None else have & want


@dataclass(frozen=True)
class Reported:
    """Another party's suggestion, view or measure that a quote reports (全國政協副主席梁振英建議…, "Some argue …",
    中國證監會於今年4月公布…措施)."""

    who: str  # the party as the text names it; "" when it leaves it unnamed (有意見認為)
    suggestion: bool  # a suggestion (建議, suggested), else a view (認為, argued) …
    measure: bool = False  # … or a measure it announced (公布, 推出)


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
    reports: Reported | None = None  # the quote reports another party's words, not the body's own

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """The inverse of `to_dict` (what a saved conversation stores); unknown keys are ignored, so a row written
        by a later version still reads. Raises KeyError, TypeError or ValueError for a malformed one."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        reports = known.get("reports")
        known["reports"] = Reported(**reports) if isinstance(reports, dict) else None
        known["path"] = list(known.get("path") or [])
        return cls(**known)


@dataclass
class Answer:
    """What `rag ask --json` prints, per the contract in ARCHITECTURE.md."""

    question: str
    language: Language
    mode: Mode  # what actually ran
    answer: str
    bodies: list[str]
    sources: list[Source]
    warnings: list[str] = field(default_factory=list)
    warning_codes: list[WarningCode] = field(default_factory=list)  # one per warning, same order
    timings_ms: dict[str, float] = field(default_factory=dict)
    abstained: bool = False  # nothing in the corpus answers: the sources are only "possibly related"
    answerer: str = "extractive"  # extractive | llm
    resolved_question: str | None = None  # a follow-up as read against the conversation
    filters: Filters = NO_FILTERS  # what the question was restricted to (bodies, years, documents)

    def warn(self, notice: Notice) -> None:
        """Add a warning once."""
        if notice.message not in self.warnings:
            self.warnings.append(notice.message)
            self.warning_codes.append(notice.code)

    def has_warning(self, code: WarningCode) -> bool:
        return code in self.warning_codes

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": str(self.language),
            "mode": str(self.mode),
            "answer": self.answer,
            "bodies": self.bodies,
            "sources": [s.to_dict() for s in self.sources],
            "warnings": self.warnings,
            "warning_codes": [str(code) for code in self.warning_codes],
            "timings_ms": self.timings_ms,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "resolved_question": self.resolved_question,
            "filters": self.filters.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The inverse of `to_dict` (the JSON contract), for answers saved and read back. Raises KeyError,
        TypeError or ValueError for a malformed one; a warning code this version does not know is dropped with
        its message."""
        codes, warnings = [], []
        for message, code in zip(data.get("warnings") or [], data.get("warning_codes") or [], strict=False):
            if code in WarningCode._value2member_map_:
                warnings.append(str(message))
                codes.append(WarningCode(code))
        filters = data.get("filters") or {}
        return cls(
            question=str(data["question"]),
            language=Language(data["language"]),
            mode=Mode(data["mode"]),
            answer=str(data["answer"]),
            bodies=[str(b) for b in data.get("bodies") or []],
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            warnings=warnings,
            warning_codes=codes,
            timings_ms=dict(data.get("timings_ms") or {}),
            abstained=bool(data.get("abstained", False)),
            answerer=str(data.get("answerer") or "extractive"),
            resolved_question=data.get("resolved_question"),
            filters=Filters.of(filters.get("bodies"), filters.get("years"), filters.get("doc_ids")),
        )
