"""Follow-up questions ("What about the 2025 paper?", 「那工總呢？」) resolved against the previous question.

A follow-up keeps what it does not say from the previous question and changes what it does: a body it names
replaces the previous one (asked of a "which bodies" question, it asks that body), a year replaces the previous
year, and a topic of its own replaces the previous topic, asked of the previous bodies. The answer is in the
follow-up's own language (`answer_language`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.corpus.catalog import Catalog
from rag.corpus.lexicon import Lexicon
from rag.text.numbers import YEAR, years_in
from rag.text.tokenize import fold, to_simplified, to_traditional
from rag.types import Language
from rag.understand.intent import Intent, classify, name_matches, named_bodies
from rag.understand.query import detect_language
from rag.understand.reading import QuestionReader

# A follow-up is short: at most this many words in a spaced language, or characters in an unspaced one.
MAX_FOLLOWUP_WORDS = 10
MAX_FOLLOWUP_CHARS = 20
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Resolved:
    question: str  # what retrieval should answer
    years: list[int] = field(default_factory=list)  # a year the follow-up narrowed to ("the 2025 paper")
    followup: bool = False
    retargeted: bool = False  # the previous question put to the bodies the follow-up names ("What about SFTA?")


def is_followup(question: str, lexicon: Lexicon) -> bool:
    text = question.strip()
    if lexicon.followup_spaced.search(text):
        return len(text.split()) <= MAX_FOLLOWUP_WORDS
    return bool(lexicon.followup_unspaced.search(fold(text))) and len(text) <= MAX_FOLLOWUP_CHARS


def answer_language(question: str, previous: Language | None = None) -> Language:
    """The language to answer in: the question's own. A Chinese question whose characters are the same in both
    scripts (「那BPA呢？」) keeps the conversation's script."""
    chinese = previous if previous in (Language.ZH_HANT, Language.ZH_HANS) else None
    return detect_language(question, chinese)


def in_script(text: str, language: Language) -> str:
    """A resolved follow-up in the answer's Chinese script: a Traditional follow-up to a Simplified question reads,
    and is shown, in Traditional (工總对低空经济… → 工總對低空經濟…). English is left as it is."""
    if language is Language.EN or not _CJK.search(text):
        return text
    return to_traditional(text) if language is Language.ZH_HANT else to_simplified(text)


def resolve(question: str, previous: str | None, catalog: Catalog, lexicon: Lexicon,
            reader: QuestionReader) -> Resolved:
    """Fill in what a short follow-up leaves out from the previous (already resolved) question. A follow-up that
    names no body, year or topic (「呢？」) is not resolved: there is nothing to carry over to. A question asking
    "it", "they" or 佢哋 (`followup_pronoun`) and naming no body asks the previous question's bodies."""
    if not previous:
        return Resolved(question)
    new_bodies, previous_bodies = named_bodies(question, catalog), named_bodies(previous, catalog)
    pronoun = lexicon.followup_pronoun.search(fold(question))  # fold keeps offsets
    if pronoun is not None and previous_bodies and not new_bodies:
        start, end = pronoun.span("who")
        joiner = " and " if detect_language(question) is Language.EN else "和"
        names = joiner.join(_display_name(code, catalog, question) for code in previous_bodies)
        return Resolved(question[:start] + names + question[end:], years_in(question), followup=True)
    if not is_followup(question, lexicon):
        return Resolved(question)
    years = years_in(question)
    topic = _strip_markers(question, lexicon)
    which = classify(reader.written(previous), catalog, lexicon).kind is Intent.WHICH_BODIES
    if reader.topic_words(topic):
        # A topic of its own: asked of the bodies it names, else of the previous ones (or of all, "which bodies").
        if new_bodies:
            return Resolved(topic, years, followup=True)
        names = " ".join(_display_name(code, catalog, topic) for code in previous_bodies)
        frame = ""
        if which:
            frame = " — which bodies propose it?" if topic.isascii() else "，哪些團體提出？"
        return Resolved(f"{names} {topic}{frame}".strip(), years, followup=True)
    if not new_bodies and not years:
        return Resolved(question)
    resolved = previous
    if new_bodies:
        resolved = _retarget(previous, previous_bodies, new_bodies, which, catalog, lexicon)
    if years:
        for old_year in YEAR.findall(resolved):
            resolved = resolved.replace(old_year, str(years[0]))
    return Resolved(resolved, years, followup=True, retargeted=bool(new_bodies))


def _retarget(previous: str, previous_bodies: list[str], new_bodies: list[str], which: bool, catalog: Catalog,
              lexicon: Lexicon) -> str:
    """The previous question asked of the follow-up's body: its body's names replaced, its "which bodies" words
    replaced by the body (哪些團體建議… → 工總建議…), or the body put first when it named none."""
    name = _display_name(new_bodies[0], catalog, previous)
    if previous_bodies:
        spans = _name_spans(previous, previous_bodies[0], catalog)
        for start, end in reversed(spans):
            previous = previous[:start] + name + previous[end:]
        return previous if spans else f"{name} {previous}"
    if which:
        asks = lexicon.asks_which_bodies.search(fold(previous))
        if asks:  # fold keeps offsets, so the span is the previous question's
            return previous[:asks.start()] + name + previous[asks.end():]
    return f"{name} {previous}"


def _strip_markers(question: str, lexicon: Lexicon) -> str:
    """The follow-up's topic: its opening words and closing particle removed."""
    text = lexicon.followup_lead.sub("", question.strip())
    return lexicon.followup_tail.sub("", text).strip()


def _name_spans(text: str, code: str, catalog: Catalog) -> list[tuple[int, int]]:
    """Where the text names the body, in order, however it is cased or scripted ("the Saltreed association"):
    the longest name at each place, as `named_bodies` finds them (fold keeps offsets)."""
    folded, spans = fold(text), []
    for name in sorted((fold(n) for n in catalog.bodies[code].names() if n), key=len, reverse=True):
        for m in name_matches(folded, name):
            if not any(m.start() < end and start < m.end() for start, end in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def _display_name(code: str, catalog: Catalog, text: str) -> str:
    """The body's short name in the language and script of `text` (子午线商会 inside a Simplified question)."""
    name = catalog.bodies[code].short_name(chinese=_CJK.search(text) is not None)
    return to_simplified(name) if detect_language(text) is Language.ZH_HANS else name
