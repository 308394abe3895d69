"""The bilingual glossary: English expressions → the Chinese terms the documents use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    english: tuple[str, ...]
    chinese: tuple[str, ...]
    kind: str


class Glossary:
    """Finds glossary expressions in an English question, longest match first."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_phrase: dict[str, Entry] = {}
        for entry in entries:
            for phrase in entry.english:
                self._by_phrase.setdefault(_norm(phrase), entry)
        phrases = sorted(self._by_phrase, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")
            if phrases
            else None
        )

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

    def chinese_terms(self) -> list[str]:
        return [term for entry in self.entries for term in entry.chinese]

    def matches(self, text: str) -> list[tuple[str, Entry]]:
        """(phrase, entry) for every glossary phrase in the text, longest first, without overlaps."""
        if self._pattern is None:
            return []
        return [(m.group(1), self._by_phrase[m.group(1)]) for m in self._pattern.finditer(_norm(text))]

    def unmatched_words(self, text: str) -> list[str]:
        """The English words of the text that no glossary phrase covers (lower case, in order)."""
        normed = _norm(text)
        spans = [m.span() for m in self._pattern.finditer(normed)] if self._pattern else []
        return [m.group(0) for m in re.finditer(r"[a-z][a-z0-9'-]+", normed)
                if not any(a <= m.start() < b for a, b in spans)]

    def rephrasings(self, text: str, limit: int = 6) -> list[str]:
        """The text with a glossary term swapped for another variant of its entry (食品產業園 → 食品工業園).

        Used where a topic must be recognised however a document words it, not to widen every search.
        """
        from rag.tokenize import fold

        folded, out = fold(text), []
        for entry in self.entries:
            present = [t for t in entry.chinese if fold(t) in folded]
            if not present or len(entry.chinese) < 2:
                continue
            term = max(present, key=len)
            start = folded.index(fold(term))
            for variant in entry.chinese:
                if fold(variant) not in folded:
                    out.append(text[:start] + variant + text[start + len(term):])
        return out[:limit]

    def expand(self, text: str) -> list[str]:
        """Chinese terms for the English expressions found in the text."""
        terms: list[str] = []
        for _, entry in self.matches(text):
            for term in entry.chinese:
                if term not in terms:
                    terms.append(term)
        return terms


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"[\s\-_/]+", " ", text).strip()
