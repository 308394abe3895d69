"""Quotes: the sentences of a passage that best match a question, checked to be verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rag.corpus.lexicon import Cue
from rag.text.normalize import match_key
from rag.text.sentences import ends_sentence, split_sentences
from rag.text.tokenize import Tokenizer


def _proposes(sentence: str, proposes: Cue) -> bool:
    """A sentence that puts a proposal, not a lead-in to one (本會提出以下的建議：)."""
    return proposes.search(sentence) is not None and not sentence.rstrip().endswith((":", "："))


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


def best_quote(
    text: str,
    query_tokens: list[str],
    tokenizer: Tokenizer,
    verify: Callable[[str], bool] = lambda quote: True,
    proposes: Cue | None = None,
) -> tuple[int, str] | None:
    """(offset, quote): the sentence sharing most question tokens that passes `verify`, or None.

    Given the `proposes` cue (proposals first), of sentences sharing as much, one that proposes (本會建議, 應,
    propose …) wins
    over one that only reports (a Korean food park "set up in 2016" against "we propose a Hong Kong one").
    A very short best sentence takes its neighbour in the same paragraph along. Candidates that fail the
    check (a sentence broken by a removed page number, say) give way to the next best.
    """
    wanted = set(query_tokens)
    found = split_sentences(text)
    ranked = sorted(
        range(len(found)),
        key=lambda i: (-sum(len(t) for t in _sentence_tokens(tokenizer, found[i][1]) & wanted),
                       not (proposes is not None and _proposes(found[i][1], proposes)), i),
    )
    for i in ranked:
        offset, quote = found[i]
        if len(quote) < 40 and i + 1 < len(found):
            end = found[i + 1][0] + len(found[i + 1][1])
            joined = text[offset:end]
            if "\n" not in joined and verify(joined):
                return offset, joined
        quote = capped(quote)
        if verify(quote):
            return offset, quote
    return None


QUOTE_MAX_CHARS = 320  # a briefing quotes a sentence, not a page: longer sentences end at a clause before this
_CLAUSE_END = re.compile(r"[，；：、,;:](?=\s*\S)|\s(?=\S)")


def capped(sentence: str, limit: int = QUOTE_MAX_CHARS) -> str:
    """The sentence, or for one longer than `limit` its start up to the last clause boundary (a comma, a
    semicolon or, in English, a space) within the limit, still verbatim; callers mark the cut (see `is_cut`)."""
    if len(sentence) <= limit:
        return sentence
    ends = [m.end() for m in _CLAUSE_END.finditer(sentence, 0, limit) if m.end() >= limit // 2]
    return sentence[:ends[-1]].rstrip() if ends else sentence[:limit]


def is_cut(quote: str) -> bool:
    """Whether a quote stops before its sentence ends (it was `capped`): shown followed by "…"."""
    return not ends_sentence(quote) and len(quote) >= QUOTE_MAX_CHARS // 2


def shown(quote: str) -> str:
    """A quote as printed between 「」: verbatim, with "…" after it when it was cut short."""
    return quote + "…" if is_cut(quote) else quote
