"""Quotes: the sentences of a passage that best answer a question, by their role in it, checked to be verbatim."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

from rag.answer.roles import NEVER_QUOTED, Reading, Role, SentenceRoles
from rag.text.normalize import match_key
from rag.text.sentences import ends_sentence, split_sentences
from rag.text.tokenize import Tokenizer


def is_verbatim(quote: str, source: str) -> bool:
    """A quote is exact when it is a substring of the source, whitespace aside."""
    return bool(quote.strip()) and match_key(quote) in _source_key(source)


@lru_cache(maxsize=256)
def _source_key(source: str) -> str:
    # Documents and chunks are checked again and again; normalise each once.
    return match_key(source)


@lru_cache(maxsize=8192)
def _sentence_tokens(tokenizer: Tokenizer, sentence: str) -> frozenset[str]:
    # The corpus's sentences are few and asked about again and again; jieba was most of a warm answer's time.
    return frozenset(tokenizer.tokenize(sentence))


class Quote(NamedTuple):
    """A quote: its offset in the passage, its verbatim text, and the role of its (first) sentence."""

    offset: int
    text: str
    reading: Reading


class _Unit(NamedTuple):
    """A sentence of the passage, with the lines of one broken across line ends joined (verbatim: a slice)."""

    start: int
    end: int
    reading: Reading


_PROPOSAL_BAND = 0.5  # the body's own proposal is quoted first when it shares this much of the best topic weight
_SHORT = 40  # a sentence shorter than this takes its neighbour in the same paragraph along
_TIER = {Role.BOILERPLATE: 3, Role.FRAGMENT: 2, Role.ELSEWHERE: 1}  # last resorts, in order; quotable ones are 0


def best_quote(
    text: str,
    query_tokens: list[str],
    tokenizer: Tokenizer,
    verify: Callable[[str], bool] = lambda quote: True,
    roles: SentenceRoles | None = None,
    body: str = "",
    proposals_first: bool = False,
    topic: Mapping[str, float] | None = None,
) -> Quote | None:
    """The sentence of `text` that best answers the question and passes `verify`, or None.

    Sentences rank by the weight of the `topic` tokens they share (the question's topic words by IDF; all its
    tokens alike when not given), then by all tokens shared. With `roles` (rag.answer.roles), a sentence broken
    across lines is read whole; boilerplate, fragments and background about another place the question does not
    name are quoted only when nothing else is; a lead-in ending in a colon is quoted with the sentence it
    introduces, within QUOTE_MAX_CHARS, or not at all; a lead-in announcing proposals by number gives way to a
    sentence naming the topic; and with `proposals_first`, the body's own proposal sharing at least
    _PROPOSAL_BAND of the best topic weight comes before a statement or another party's reported proposal.
    A very short sentence takes its neighbour in the same paragraph along. Candidates that fail the check
    (a sentence broken by a removed page number, say) give way to the next.
    """
    wanted = set(query_tokens)
    topical = dict(topic) if topic else dict.fromkeys(wanted, 1.0)
    units = _units(text, roles, body)
    scored = []
    for i, unit in enumerate(units):
        start, end, tier = _candidate(text, units, i)
        tokens = _sentence_tokens(tokenizer, text[start:end])
        if unit.reading.role is Role.ELSEWHERE and _sentence_tokens(tokenizer, unit.reading.place) & wanted:
            tier = 0  # the question asks about that place (South Korea's food industry output)
        # fsum: exact, so the total does not depend on the set's (hash-seeded) order and ties break alike every run
        scored.append((start, end, tier, math.fsum(topical.get(t, 0.0) for t in tokens), _overlap(tokens, wanted)))
    best_topic = max((s[3] for s in scored if not s[2]), default=0.0)

    def key(i: int) -> tuple:
        start, end, tier, on_topic, shared = scored[i]
        reading = units[i].reading
        own = reading.role is Role.PROPOSAL or (
            reading.role is Role.LEAD_IN and roles is not None and roles.proposes(text[start:end]))
        first = proposals_first and own and on_topic >= _PROPOSAL_BAND * best_topic
        return (tier, not first, -on_topic, reading.role is Role.ANNOUNCEMENT, -shared,
                reading.role is Role.REPORTED, i)

    for i in sorted(range(len(units)), key=key):
        start, end = scored[i][:2]
        quote = text[start:end]
        if len(quote) < _SHORT and i + 1 < len(units) and units[i + 1].reading.role not in NEVER_QUOTED:
            joined = text[start:units[i + 1].end]
            if "\n" not in joined and verify(joined):
                return Quote(start, joined, units[i].reading)
        quote = capped(quote)
        if verify(quote):
            return Quote(start, quote, units[i].reading)
        if scored[i][2] == 0 and (before := _verified_start(quote, verify)):
            return Quote(start, before, units[i].reading)  # a sentence the source breaks with a page footer
    if roles is not None:  # joined lines that the check refuses (a bullet the cleaner removed): sentence by sentence
        return best_quote(text, query_tokens, tokenizer, verify, topic=topic)
    return None


def prepare(passages: Iterable[tuple[str, str]], tokenizer: Tokenizer, roles: SentenceRoles) -> None:
    """Read and tokenise every candidate quote of the (text, body) passages now, as `best_quote` would on first
    quoting them (a long-lived process: its first answers are as fast as later ones). Answers are unchanged: the
    same cached functions are filled."""
    for text, body in passages:
        units = _units(text, roles, body)
        for i, unit in enumerate(units):
            start, end, _ = _candidate(text, units, i)
            _sentence_tokens(tokenizer, text[start:end])
            if unit.reading.role is Role.ELSEWHERE:
                _sentence_tokens(tokenizer, unit.reading.place)


@lru_cache(maxsize=4096)
def _units(text: str, roles: SentenceRoles | None, body: str) -> tuple[_Unit, ...]:
    """The passage's sentences, each read for its role; with `roles`, the lines of a sentence broken across line
    ends (a table cell, a wrapped line the cleaner left) joined into one. Cached: the corpus's passages are few
    and quoted again and again."""
    found = split_sentences(text)
    if roles is None:
        return tuple(_Unit(s.start, s.start + len(s.text), Reading(Role.STATEMENT)) for s in found)
    width = max((len(line.strip()) for line in text.splitlines()), default=0)
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, bool]] = []  # (start, end, joined to the line before only if the run ends a sentence)
    for i, sentence in enumerate(found):
        previous = found[i - 1] if i else None
        between = text[previous.start + len(previous.text):sentence.start] if previous else ""
        line = text[text.rfind("\n", 0, previous.start) + 1:previous.start + len(previous.text)] if previous else ""
        link = roles.continues(line, between, sentence.text, width) if previous else False
        if link is False and run:
            spans += _closed(text, run)
            run = []
        run.append((sentence.start, sentence.start + len(sentence.text), link is None))
    spans += _closed(text, run)
    return tuple(_Unit(start, end, roles.read(text[start:end], body)) for start, end in spans)


def _closed(text: str, run: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """A run of lines as sentences: whole when it ends a sentence, else split where the join was only a guess."""
    if not run:
        return []
    if ends_sentence(text[run[0][0]:run[-1][1]]):
        return [(run[0][0], run[-1][1])]
    spans = []
    for start, end, guessed in run:
        if guessed or not spans:
            spans.append((start, end))
        else:
            spans[-1] = (spans[-1][0], end)
    return spans


def _candidate(text: str, units: tuple[_Unit, ...], i: int) -> tuple[int, int, int]:
    """(start, end, tier) of sentence i as a quote: a lead-in joined with the sentence it introduces."""
    unit = units[i]
    if unit.reading.role is not Role.LEAD_IN:
        return unit.start, unit.end, _TIER.get(unit.reading.role, 0)
    if i + 1 < len(units) and units[i + 1].reading.role not in NEVER_QUOTED | {Role.LEAD_IN}:
        if units[i + 1].end - unit.start <= QUOTE_MAX_CHARS:
            return unit.start, units[i + 1].end, 0
    return unit.start, unit.end, _TIER[Role.FRAGMENT]  # a lead-in alone says nothing: a last resort


_BREAK_MIN = 20  # characters: a sentence quoted up to a page break says at least this much


def _verified_start(sentence: str, verify: Callable[[str], bool]) -> str | None:
    """The longest start of the sentence, ending at a clause mark, that passes `verify`: where the source prints
    a page number or a running header inside the sentence (removed from the passage), what comes before it is
    still the body's words, shown cut (`is_cut`)."""
    for match in reversed(list(_CLAUSE_MARK.finditer(sentence))):
        start = sentence[:match.end()].rstrip()
        if len(start) >= _BREAK_MIN and verify(start):
            return start
    return None


def one_line(quote: str) -> str:
    """A quote for a one-line bullet: its line breaks (a lead-in and its item, a broken line) closed up, a space
    kept between English words; the words stay as written."""
    return re.sub(r"\s*\n\s*", lambda m: _gap(quote, m), quote)


def _gap(quote: str, match: re.Match[str]) -> str:
    before, after = quote[match.start() - 1:match.start()], quote[match.end():match.end() + 1]
    return " " if before.isascii() and after.isascii() else ""  # Chinese runs on; English words keep a space


def _overlap(tokens: frozenset[str], wanted: set[str]) -> int:
    return sum(len(t) for t in tokens & wanted)


QUOTE_MAX_CHARS = 320  # a briefing quotes a sentence, not a page: longer sentences end at a clause before this
_CLAUSE_END = re.compile(r"[，；：、,;:](?=\s*\S)|\s(?=\S)")
_CLAUSE_MARK = re.compile(r"[，；、,;](?=\s*\S)")  # a clause ends here, in either language


def capped(sentence: str, limit: int = QUOTE_MAX_CHARS) -> str:
    """The sentence, or for one longer than `limit` its start up to the last clause boundary (a comma, a
    semicolon or, in English, a space) within the limit, still verbatim; callers mark the cut (see `is_cut`)."""
    if len(sentence) <= limit:
        return sentence
    ends = [m.end() for m in _CLAUSE_END.finditer(sentence, 0, limit) if m.end() >= limit // 2]
    return sentence[:ends[-1]].rstrip() if ends else sentence[:limit]


def is_cut(quote: str) -> bool:
    """Whether a quote stops before its sentence ends (it was `capped`, or stops at a page break after a clause
    mark): shown followed by "…"."""
    if ends_sentence(quote):
        return False
    return len(quote) >= QUOTE_MAX_CHARS // 2 or quote.rstrip()[-1:] in "，；、,;"


def shown(quote: str) -> str:
    """A quote as printed between 「」: verbatim, with "…" after it when it was cut short."""
    return quote + "…" if is_cut(quote) else quote
