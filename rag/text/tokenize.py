"""Tokenising for lexical retrieval, per language: Chinese runs through jieba, Latin runs as English words.

Chinese: OpenCC t2s, then jieba, then stopwords, so Traditional and Simplified questions become the same tokens.
English: lower-case words, stopwords dropped, spelt the American way (licence → license: Hong Kong writes British
English, the general dictionary American), Snowball-stemmed, so proposes / proposal / proposed and industry /
industrial meet. The folding is character for character, so token offsets map back to the original text.
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
# An English word in folded text: letters, possibly with digits (5g, covid19); apostrophes split (kong's → kong, s).
_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z0-9]*[a-z][a-z0-9]*(?![a-z0-9])")
# How the languages are read; change it when a change of code changes the tokens.
_ANALYSIS = "zh:jieba-search en:american-spelling snowball-english v3"
SHORT_TEXT = 200  # characters: a question, a term, a heading (passages are longer and tokenised once, at build)
CACHED_SHORT_TEXTS = 16384
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets into the original (unconverted) text
    end: int


def _english_stemmer():
    try:
        import Stemmer
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("English stemming needs PyStemmer: pip install PyStemmer") from exc
    return Stemmer.Stemmer("english")


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


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """A lower-case English word in American spelling (licence → license, neighbourhoods → neighborhoods,
    industrialisation → industrialization), by breame's table of British and American spellings and the -isation
    ending it lacks for rarer words; other words as they are. Matching only: text shown keeps its spelling."""
    from breame.spelling import get_american_spelling

    spelt = get_american_spelling(word)
    if spelt.replace("ss", "s") == word and spelt != word:
        return word  # the table's busses, gasses, bussing: buses and gases are American too, and match bus, gas
    return spelt.replace("isation", "ization") if spelt == word else spelt


@lru_cache(maxsize=65536)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """An English word's readings in lemminflect's lexicon, part of speech → lemmas ({} for a word it does not
    know). The lexicon loads on first use: a question with no English word never needs it."""
    from lemminflect import getAllLemmas

    return getAllLemmas(word)


@lru_cache(maxsize=65536)
def singular(word: str) -> str | None:
    """The singular of a plural noun, when English has no other reading of the word as a noun (buses → bus,
    fishes → fish; not goods, a noun of its own, nor news); None for any other word."""
    if not word.endswith("s"):
        return None
    nouns = lemmas(word).get("NOUN", ())
    return nouns[0] if len(nouns) == 1 and nouns[0] != word else None


@lru_cache(maxsize=65536)
def positive(word: str) -> str:
    """An English comparative or superlative as its adjective (greener → green, larger → large, earliest → early):
    "Greener Buildings" is about green buildings. A word with another reading stays as it is (lower the verb,
    better the noun, number); so does one the lexicon does not know."""
    if len(word) < 5 or not word.endswith(("er", "est")):
        return word
    readings = lemmas(word)
    adjectives = readings.get("ADJ", ())
    if not adjectives or set(readings) - {"ADJ", "ADV"}:
        return word
    return adjectives[0]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching form of a text, same length: Simplified, fullwidth ASCII folded, lower case. Cached: the same
    glossary terms, question words and corpus sentences are folded on every answer."""
    return to_simplified(text).translate(_FULLWIDTH).lower()


def _load_dictionary(segmenter) -> None:  # noqa: ANN001 - jieba's own type
    """jieba's word dictionary, from jieba's own cache file read in one piece.

    jieba reads its cache with `marshal.load` on the open file, which fetches each of its half a million entries
    from the file object one by one: about a second of every cold start here, where `marshal.loads` of the
    file's bytes takes a third of one. The cache is the one jieba writes and checks (its name and freshness rule
    below are jieba's); when it is missing, stale or unreadable, jieba builds and writes it as usual.
    """
    import marshal
    import os
    import tempfile

    import jieba

    dictionary = segmenter.dictionary
    name = ("jieba.cache" if dictionary == jieba.DEFAULT_DICT
            else f"jieba.u{jieba.md5(dictionary.encode('utf-8', 'replace')).hexdigest()}.cache")
    cache = Path(segmenter.cache_file or os.path.join(segmenter.tmp_dir or tempfile.gettempdir(), name))
    try:
        if dictionary != jieba.DEFAULT_DICT and cache.stat().st_mtime <= os.path.getmtime(dictionary):
            raise OSError("stale")
        freq, total = marshal.loads(cache.read_bytes())
        if not isinstance(freq, dict) or not isinstance(total, int):
            raise ValueError("not a jieba cache")
    except (OSError, ValueError, EOFError, TypeError):
        segmenter.initialize()
        return
    with segmenter.lock:
        segmenter.FREQ, segmenter.total, segmenter.initialized = freq, total, True


def _pos_tagger(segmenter):  # noqa: ANN001, ANN202 - jieba's own types
    """jieba's part-of-speech tagger over `segmenter`. `POSTokenizer(segmenter)` reads jieba's 350,000-line
    dictionary for its word tags, which importing jieba.posseg has just done for its default tagger; a segmenter
    on that same dictionary gets a copy of those tags instead (half a second or more of every cold start)."""
    import jieba.posseg

    default = jieba.posseg.dt
    if segmenter.dictionary != default.tokenizer.dictionary:
        return jieba.posseg.POSTokenizer(segmenter)
    tagger = object.__new__(jieba.posseg.POSTokenizer)  # what its __init__ sets, without reading the file again
    tagger.tokenizer = segmenter
    tagger.word_tag_tab = dict(default.word_tag_tab)
    return tagger


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


class Tokenizer:
    """Mixed-language tokens: jieba (search mode) over the Chinese runs of the folded text, with the corpus's
    domain terms; English words (letters, possibly with digits: 5g, covid) stemmed; stopwords of both dropped.

    Search mode emits a long word and its shorter parts (北部都會區 → 北部, 都會, 都會區 …), so a question
    that words a term differently still shares tokens with the passage. English words never reach jieba, so a
    short user term (ai, esg) is never found inside a longer English word.
    """

    def __init__(self, user_terms: Iterable[str] = (), stopwords: Iterable[str] = ()) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        _load_dictionary(self._jieba)
        self._lock = threading.Lock()
        self._tagger = None
        self._terms = sorted({fold(t) for t in user_terms if t.strip()})
        for term in self._terms:
            self._jieba.add_word(term, freq=2000)
        self.stopwords = frozenset(fold(w) for w in stopwords if w.strip())
        self._stemmer = _english_stemmer()
        self._stem_lock = threading.Lock()
        # Questions, glossary terms and framing words are tokenised again and again (every answer reads the
        # question's glossary terms in both languages); the tokenizer never changes once built, so short texts
        # are kept. lru_cache is thread-safe; Token is frozen, so the cached tuples can be shared.
        self._short_tokens = lru_cache(maxsize=CACHED_SHORT_TEXTS)(lambda text: tuple(self._tokens(text)))

    def frequency(self, word: str) -> int:
        """How common a (folded) Chinese word is in jieba's dictionary: 0 when it is not there."""
        with self._lock:
            self._jieba.check_initialized()
            return self._jieba.FREQ.get(word, 0)

    @classmethod
    def from_corpus(cls, corpus_dir: Path, extra_terms: Iterable[str] = ()) -> Tokenizer:
        terms = [*read_terms(corpus_dir / "userdict.txt"), *extra_terms]
        return cls(user_terms=terms, stopwords=read_terms(corpus_dir / "stopwords.txt"))

    def tokens(self, text: str) -> list[Token]:
        """Tokens with offsets into `text`; stopwords, punctuation and spaces dropped. An English token's text is
        its stem, its offsets the word's."""
        if len(text) <= SHORT_TEXT:
            return list(self._short_tokens(text))
        return self._tokens(text)

    def _tokens(self, text: str) -> list[Token]:
        folded = fold(text)
        out: list[Token] = []
        at = 0
        for match in _LATIN_WORD.finditer(folded):
            out += self._chinese_tokens(folded, at, match.start())
            stem = self.stem(match.group(0))
            if stem:
                out.append(Token(stem, match.start(), match.end()))
            at = match.end()
        out += self._chinese_tokens(folded, at, len(folded))
        return out

    def _chinese_tokens(self, folded: str, start: int, end: int) -> list[Token]:
        run = folded[start:end]
        if not _WORDISH.search(run):
            return []
        with self._lock:  # jieba's lazy initialisation is not thread-safe
            pieces = list(self._jieba.tokenize(run, mode="search"))
        out = []
        for word, begin, finish in pieces:
            word = word.strip()
            if not word or not _WORDISH.search(word) or word in self.stopwords:
                continue
            out.append(Token(word, start + begin, start + finish))
        return out

    def stem(self, word: str) -> str:
        """An English word's matching form: its Snowball stem, or "" for a stopword (folded input expected)."""
        word = word.strip("'")
        if not word or word in self.stopwords:
            return ""
        word = american(word)
        word = singular(word) or positive(word)  # buses as bus (the stemmer makes "buse"), greener as green
        with self._stem_lock:  # the stemmer's cache is not thread-safe
            return self._stemmer.stemWord(word)

    def english(self, text: str) -> str:
        """The text's English words as stems, space-separated and space-framed (" food industri park "), for
        matching an English phrase as consecutive words with `in`."""
        stems = (self.stem(m.group(0)) for m in _LATIN_WORD.finditer(fold(text)))
        return " " + " ".join(s for s in stems if s) + " "

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
                self._tagger = _pos_tagger(self._jieba)
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
        """What the index manifest records: changing terms, stopwords or how a language is read changes the
        tokens (an index built with other tokens is rebuilt)."""
        import hashlib

        parts = [_ANALYSIS, *self._terms, "--", *sorted(self.stopwords)]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return digest[:16]
