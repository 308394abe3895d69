"""Chinese-aware tokenising for lexical retrieval: OpenCC t2s, then jieba, then stopwords.

Traditional and Simplified questions become the same tokens, so they retrieve the same passages. The
conversion is character for character, so token offsets map back to the original Traditional text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_WORDISH = re.compile(r"[\w\u3400-\u9fff]")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets into the original (unconverted) text
    end: int


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """OpenCC s2t: a Simplified question in the corpus's script, for the embedding model (no length promise)."""
    return _s2t().convert(text)


def to_simplified(text: str) -> str:
    """OpenCC t2s with the length kept: if a phrase rule changes length, convert character by character."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_t2s().convert(ch) for ch in text)


def fold(text: str) -> str:
    """Matching form of a text, same length: Simplified, fullwidth ASCII folded, lower case."""
    return to_simplified(text).translate(_FULLWIDTH).lower()


def read_terms(path: Path) -> list[str]:
    """Terms from a jieba-style user dictionary (`word [freq] [tag]`); missing file → none."""
    if not path.is_file():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line.split()[0])
    return terms


class ChineseTokenizer:
    """jieba (search mode) over folded text, with the corpus's domain terms and stopwords.

    Search mode emits a long word and its shorter parts (北部都會區 → 北部, 都會, 都會區 …), so a question
    that words a term differently still shares tokens with the passage.
    """

    def __init__(self, user_terms: Iterable[str] = (), stopwords: Iterable[str] = ()) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._tagger = None
        self._terms = sorted({fold(t) for t in user_terms if t.strip()})
        for term in self._terms:
            self._jieba.add_word(term, freq=2000)
        self.stopwords = frozenset(fold(w) for w in stopwords if w.strip())

    @classmethod
    def from_corpus(cls, corpus_dir: Path, extra_terms: Iterable[str] = ()) -> ChineseTokenizer:
        terms = [*read_terms(corpus_dir / "userdict.txt"), *extra_terms]
        return cls(user_terms=terms, stopwords=read_terms(corpus_dir / "stopwords.txt"))

    def tokens(self, text: str) -> list[Token]:
        """Tokens with offsets into `text`; stopwords, punctuation and spaces dropped."""
        folded = fold(text)
        with self._lock:  # jieba's lazy initialisation is not thread-safe
            pieces = list(self._jieba.tokenize(folded, mode="search"))
        out = []
        for word, start, end in pieces:
            word = word.strip()
            if not word or not _WORDISH.search(word) or word in self.stopwords:
                continue
            out.append(Token(word, start, end))
        return out

    def tokenize(self, text: str) -> list[str]:
        return [t.text for t in self.tokens(text)]

    def words(self, text: str) -> list[tuple[Token, str]]:
        """Whole words (jieba's precise mode, not the search-mode parts) with their part-of-speech tags.

        Offsets are into the folded text, as for `tokens`. Spaces and punctuation are dropped, stopwords kept:
        callers decide what a question's content words are.
        """
        folded = fold(text)
        with self._lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            pairs = list(self._tagger.cut(folded))
        out, start = [], 0
        for pair in pairs:
            end = start + len(pair.word)
            word = pair.word.strip()
            if word and _WORDISH.search(word):
                lead = len(pair.word) - len(pair.word.lstrip())
                out.append((Token(word, start + lead, start + lead + len(word)), pair.flag))
            start = end
        return out

    def signature(self) -> str:
        """What the index manifest records: changing terms or stopwords changes the tokens."""
        import hashlib

        digest = hashlib.sha256("\n".join([*self._terms, "--", *sorted(self.stopwords)]).encode()).hexdigest()
        return digest[:16]
