"""The bilingual glossary: English expressions and the Chinese terms the documents use, read both ways.

An English question reaches Chinese wordings (`expand`), a Chinese question the English wordings of its terms
(`expand_english`), so a question finds a passage in either language.

Two sorts of entry. Terms (bodies, schemes, places, concepts …) name one thing however a document words it, so
their variants are synonyms everywhere. Dictionary words (kinds `word` and `verb`: plan → 規劃,
計劃, 藍圖 …) only let an English question reach the corpus's ordinary vocabulary; they are looser, so a
Chinese question is never rephrased or segmented by them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rag.text.tokenize import american, singular

DICTIONARY_KINDS = frozenset({"word", "verb", "dictionary"})  # "dictionary": rag.corpus.dictionary
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # what a phrase may not touch in normalised text


@dataclass(frozen=True)
class Entry:
    english: tuple[str, ...]
    chinese: tuple[str, ...]
    kind: str

    @property
    def dictionary(self) -> bool:
        """An everyday word for English questions rather than a term (see the module docstring)."""
        return self.kind in DICTIONARY_KINDS


@dataclass(frozen=True)
class Found:
    start: int  # in the normalised text
    end: int
    phrase: str
    entry: Entry | None  # None: an English word no glossary phrase covers


class Glossary:
    """Finds glossary expressions in an English question, longest match first, in either spelling of
    -isation / -ization; a dictionary word also inflected (plans, taxes, policies, commuting)."""

    def __init__(self, entries: list[Entry],
                 phrases: tuple[dict[str, Entry], dict[str, Entry]] | None = None) -> None:
        """`phrases`: the (typed, inflected) phrase maps of these entries, when known (`extended`)."""
        self.entries = entries
        self._chinese: list[tuple[str, Entry]] | None = None  # folded Chinese wordings, longest first (lazy)
        self._loose: dict[str, list[str]] | None = None  # the dictionary's Chinese words → English glosses (lazy)
        self._variants: list[Entry] | None = None  # terms with more than one Chinese wording (lazy)
        if phrases is None:
            typed: dict[str, Entry] = {}
            inflected: dict[str, Entry] = {}
            for entry in entries:
                for phrase in entry.english:
                    typed.setdefault(normalise(phrase), entry)
                    if entry.dictionary:  # a dictionary word's inflections are the word; a term lists its wordings
                        for form in inflections(normalise(phrase)):
                            inflected.setdefault(normalise(form), entry)  # as a text's word is: respelt
            phrases = (typed, inflected)
        self._phrase_maps = phrases
        # a phrase as some entry types it first, then as an inflection; the first entry having it wins
        self._by_phrase = dict(phrases[0])
        for form, entry in phrases[1].items():
            self._by_phrase.setdefault(form, entry)
        self._by_phrase.pop("", None)  # an English column of only spaces or dashes names nothing
        lengths = {len(phrase) for phrase in self._by_phrase}
        lengths |= {len(phrase) - len(ending) for phrase in self._by_phrase for ending in ("s", "es")
                    if phrase.endswith(ending)}  # a plural's singular (`_entry`)
        self._lengths = sorted(lengths, reverse=True)

    @classmethod
    def load(cls, path: Path) -> Glossary:
        if not path.is_file():
            return cls([])
        entries = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if number == 1 or not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2:
                raise ValueError(f"{path}:{number}: a glossary line needs English and Chinese columns.")
            english = tuple(p.strip() for p in cols[0].split("|") if p.strip())
            chinese = tuple(p.strip() for p in cols[1].split("|") if p.strip())
            entries.append(Entry(english, chinese, cols[2].strip() if len(cols) > 2 else ""))
        return cls(entries)

    def loose_english(self, words: Iterable[str]) -> list[str]:
        """English glosses of (folded) Chinese words by the general dictionary's entries (kind "dictionary",
        rag.corpus.dictionary), so a Chinese question also reaches English passages (仲裁 → arbitration)."""
        if self._loose is None:
            self._loose = {}
            for entry in self.entries:
                if entry.kind == "dictionary":
                    for word in entry.chinese:
                        self._loose.setdefault(word, []).extend(entry.english)
        return list(dict.fromkeys(gloss for word in words for gloss in self._loose.get(word, ())))

    def extended(self, other: Glossary) -> Glossary:
        """This glossary with another's entries after its own: where both have a phrase, this one's entry wins."""
        if not other.entries:
            return self
        typed, inflected = dict(self._phrase_maps[0]), dict(self._phrase_maps[1])
        for mine, theirs in ((typed, other._phrase_maps[0]), (inflected, other._phrase_maps[1])):
            for phrase, entry in theirs.items():
                mine.setdefault(phrase, entry)
        return Glossary([*self.entries, *other.entries], (typed, inflected))

    def chinese_terms(self) -> list[str]:
        """The terms' Chinese wordings (for the segmenter); dictionary words are jieba's own already."""
        return [term for entry in self.entries if not entry.dictionary for term in entry.chinese]

    def scan(self, text: str) -> list[Found]:
        """In reading order, the text's glossary phrases (longest first, without overlaps) and the English
        words no phrase covers (lower case, entry None)."""
        normed = normalise(text)
        found = self._phrases(normed)
        words = re.finditer(r"[a-z][a-z0-9'-]+", normed)
        found += [Found(m.start(), m.end(), _as_typed(m.group(0), text), None)
                  for m in words if not any(f.start <= m.start() < f.end for f in found)]
        return sorted(found, key=lambda f: f.start)

    def _phrases(self, normed: str) -> list[Found]:
        """The glossary phrases of a normalised text: leftmost first, at each place the longest, none overlapping,
        none touching a letter or digit on either side. One lookup per phrase length at each place a word may
        start: with the general dictionary's thousands of glosses and their inflections, one regular expression
        of every phrase took seconds to compile and milliseconds per question to run."""
        found, start, size = [], 0, len(normed)
        while start < size:
            match = None
            if start == 0 or normed[start - 1] not in _ALNUM:
                for length in self._lengths:
                    end = start + length
                    if end <= size and (end == size or normed[end] not in _ALNUM):
                        entry = self._entry(normed[start:end])
                        if entry is not None:
                            match = Found(start, end, normed[start:end], entry)
                            break
            if match is None:
                start += 1
            else:
                found.append(match)
                start = match.end
        return found

    def _entry(self, phrase: str) -> Entry | None:
        """The entry with this phrase, or the dictionary's entry glossed with its plural (魚類 "fishes" for a
        question's "fish"; not "goods", a noun of its own, for "good")."""
        entry = self._by_phrase.get(phrase)
        if entry is not None or not phrase[-1:].isalpha():
            return entry
        last = phrase.rsplit(" ", 1)[-1]
        for ending in ("es", "s"):
            plural = self._by_phrase.get(phrase + ending)
            if plural is not None and plural.dictionary and singular(last + ending) == last:
                return plural
        return None

    def matches(self, text: str) -> list[tuple[str, Entry]]:
        """(phrase, entry) for every glossary phrase in the text, longest first, without overlaps."""
        return [(f.phrase, f.entry) for f in self.scan(text) if f.entry is not None]

    def unmatched_words(self, text: str) -> list[str]:
        """The English words of the text that no glossary phrase covers (lower case, in order)."""
        return [f.phrase for f in self.scan(text) if f.entry is None]

    def rephrasings(self, text: str, limit: int = 6) -> list[str]:
        """The text with a glossary term swapped for another variant of its entry (食品產業園 → 食品工業園).

        Used where a topic must be recognised however a document words it, not to widen every search.
        """
        from rag.text.tokenize import fold

        if self._variants is None:  # the general dictionary adds thousands of entries that have no variants
            self._variants = [e for e in self.entries if len(e.chinese) >= 2 and not e.dictionary]
        folded, out = fold(text), []
        for entry in self._variants:
            present = [t for t in entry.chinese if fold(t) in folded]
            if not present:
                continue
            term = max(present, key=len)
            start = folded.index(fold(term))
            for variant in entry.chinese:
                if fold(variant) not in folded:
                    out.append(text[:start] + variant + text[start + len(term):])
        return out[:limit]

    def chinese_matches(self, text: str) -> list[tuple[str, Entry]]:
        """(term, entry) for every glossary term's Chinese wording in the text (any script), longest first,
        without overlaps. Dictionary words are left out: they are jieba's own vocabulary, too loose to stand
        for one thing."""
        from rag.text.tokenize import fold

        if self._chinese is None:
            wordings = {fold(t): entry for entry in self.entries if not entry.dictionary for t in entry.chinese}
            self._chinese = sorted(((w, e) for w, e in wordings.items() if w.strip()), key=lambda p: -len(p[0]))
        folded, taken, found = fold(text), [], []
        for wording, entry in self._chinese:
            start = folded.find(wording)
            while start >= 0:
                end = start + len(wording)
                if not any(start < b and a < end for a, b in taken):
                    taken.append((start, end))
                    found.append((start, text[start:end], entry))
                start = folded.find(wording, end)
        return [(term, entry) for _, term, entry in sorted(found, key=lambda f: f[0])]

    def expand_english(self, text: str) -> list[str]:
        """English wordings of the terms a (Chinese) text names, so it reaches English passages too (低空經濟 →
        low-altitude economy). Bodies are left out: a body named is a filter, not a topic."""
        wordings: list[str] = []
        for _, entry in self.chinese_matches(text):
            if entry.kind != "body":
                wordings += [w for w in entry.english if w not in wordings]
        return wordings

    def expand(self, text: str, kinds: Collection[str] | None = None) -> list[str]:
        """Chinese terms for the English expressions found in the text (those of entries of `kinds` only, if given)."""
        terms: list[str] = []
        for _, entry in self.matches(text):
            if kinds is not None and entry.kind not in kinds:
                continue
            for term in entry.chinese:
                if term not in terms:
                    terms.append(term)
        return terms


def normalise(text: str) -> str:
    """Text as the glossary matches it (Found.start/end index into this): lower case, American spelling (British
    and American spellings match alike: licence, license), single spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[a-z]+", lambda m: american(m.group(0)), text)
    return re.sub(r"[\s\-_/]+", " ", text).strip()


def _as_typed(word: str, text: str) -> str:
    """A normalised word as the question spells it (licence, industrialisation: not license, industrialization)."""
    for typed in re.findall(r"[a-z]+", text.lower()):
        if american(typed) == word:
            return typed
    return word


@cache  # a pipeline builds three glossaries (curated, the corpus's dictionary, both) over the same phrases
def inflections(phrase: str) -> tuple[str, ...]:
    """Regular inflections of a phrase's last word: plural or third person (plans, taxes, policies), past and
    -ing (commuted, commuting, planned, planning). Forms a word does not have (openned) are harmless: they only
    match a question that uses them. (A plural gloss's singular is found when asked for: `Glossary._entry`.)"""
    head, last = phrase.rsplit(" ", 1) if " " in phrase else ("", phrase)
    if not re.fullmatch(r"[a-z]{3,}", last):
        return ()
    forms = []
    if re.search(r"(s|x|z|ch|sh)$", last):
        forms.append(last + "es")
    elif re.search(r"[^aeiou]y$", last):
        forms += [last[:-1] + "ies", last[:-1] + "ied", last + "ing"]
    else:
        forms.append(last + "s")
    if last.endswith("e"):
        forms += [last + "d", last[:-1] + "ing"]
    elif not re.search(r"[^aeiou]y$", last):
        forms += [last + "ed", last + "ing"]
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", last):  # plan → planned, planning
            forms += [last + last[-1] + "ed", last + last[-1] + "ing"]
    return tuple(f"{head} {form}".strip() for form in forms)
