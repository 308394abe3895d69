"""Follow-up questions ("What about the 2025 paper?", 「那工總呢？」) resolved against the previous question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.corpus.catalog import Catalog
from rag.corpus.lexicon import Lexicon
from rag.text.numbers import YEAR, years_in
from rag.text.tokenize import fold
from rag.understand.intent import Intent, classify, named_bodies

# A follow-up is short: at most this many words in a spaced language, or characters in an unspaced one.
MAX_FOLLOWUP_WORDS = 10
MAX_FOLLOWUP_CHARS = 20


@dataclass(frozen=True)
class Resolved:
    question: str  # what retrieval should answer
    years: list[int] = field(default_factory=list)  # a year the follow-up narrowed to ("the 2025 paper")
    followup: bool = False


def is_followup(question: str, lexicon: Lexicon) -> bool:
    text = question.strip()
    if lexicon.followup_spaced.search(text):
        return len(text.split()) <= MAX_FOLLOWUP_WORDS
    return bool(lexicon.followup_unspaced.search(fold(text))) and len(text) <= MAX_FOLLOWUP_CHARS


def resolve(question: str, previous: str | None, catalog: Catalog, lexicon: Lexicon) -> Resolved:
    """Fill in what a short follow-up leaves out from the previous (already resolved) question."""
    if not previous or not is_followup(question, lexicon):
        return Resolved(question)
    new_bodies = named_bodies(question, catalog)
    years = years_in(question)
    resolved = previous
    if new_bodies:
        old = named_bodies(previous, catalog)
        if old:
            for name in _names_in(previous, old[0], catalog):
                resolved = resolved.replace(name, _display_name(new_bodies[0], catalog, previous))
        else:
            resolved = f"{resolved} ({', '.join(new_bodies)})"
    for old_year in YEAR.findall(resolved):
        if years:
            resolved = resolved.replace(old_year, str(years[0]))
    if not new_bodies and not years:
        # A new topic with the previous question's frame: its bodies, and its "which bodies" ask if any.
        topic = _strip_markers(question, lexicon)
        bodies = " ".join(_display_name(code, catalog, previous) for code in named_bodies(previous, catalog))
        frame = ""
        if classify(previous, catalog, lexicon).kind is Intent.WHICH_BODIES:
            frame = " — which bodies propose it?" if topic.isascii() else "，哪些團體提出？"
        resolved = f"{bodies} {topic}{frame}".strip()
    return Resolved(resolved, years, followup=True)


def _strip_markers(question: str, lexicon: Lexicon) -> str:
    """The follow-up's topic: its opening words and closing particle removed."""
    text = lexicon.followup_lead.sub("", question.strip())
    return lexicon.followup_tail.sub("", text).strip()


def _names_in(text: str, code: str, catalog: Catalog) -> list[str]:
    body = catalog.bodies[code]
    return sorted((n for n in body.names() if n and n in text), key=len, reverse=True)


def _display_name(code: str, catalog: Catalog, previous: str) -> str:
    return catalog.bodies[code].short_name(chinese=re.search(r"[\u3400-\u9fff]", previous) is not None)
