"""Proper names in a question (the bodies' names), blanked so they never count as its topic words.

"What does the Meridian Chamber propose on arbitration?" asks about arbitration: "meridian" and "chamber" name who
is asked, and weighing them would favour passages that repeat the name over passages on the topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.text.tokenize import fold


def _pattern(name: str) -> str:
    """A folded name as a pattern: English words at word boundaries, spaces and hyphens alike, apostrophes
    optional (Manufacturers' / Manufacturers); Chinese characters as written."""
    words = [w for w in re.split(r"[\s\-]+", name.replace("’", "'")) if w]
    body = r"[\s\-]+".join(re.escape(w).replace("'", "['’]?") for w in words)
    lead = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", name) else ""
    tail = r"(?![a-z0-9])" if re.search(r"[a-z0-9)]$", name) else ""
    return lead + body + tail


# What an English name is called by for short: its word before "of" or "for", else its last ("the Ambermoor
# Institute of Tax …" → Institute, "… Alliance for Hong Kong" → Alliance, "Tangyin Chamber" → Chamber).
_NAME_TAIL = re.compile(r"\s+(?:of|for)\s.*$|\s*\(.*$")
# Capitalised words that do not make a common noun a name: "The Institute", "Our Council" are the body itself.
_DETERMINERS = frozenset({"The", "This", "Our", "Its", "Their", "That"})
_WORD_BEFORE = re.compile(r"([\w'’-]+)\s+\Z")  # the word right before a position (searched up to it)


def _head(name: str) -> str:
    words = re.findall(r"[a-z]+", _NAME_TAIL.sub("", name))
    return words[-1] if len(re.findall(r"[a-z]+", name)) > 1 and words and len(words[-1]) > 2 else ""


class Names:
    """A fixed set of names, matched in any script and case, longest first."""

    def __init__(self, names: Iterable[str]) -> None:
        folded = sorted({fold(n).strip() for n in names if n and n.strip()}, key=len, reverse=True)
        self.names = tuple(folded)
        self._regex = re.compile("|".join(_pattern(n) for n in folded)) if folded else None
        heads = sorted({h for h in map(_head, folded) if h})
        # a head noun capitalised on its own: a body writing of itself ("the Institute", "Institute estimate")
        alternatives = "|".join(h.capitalize() for h in heads)
        self._heads = re.compile(rf"(?<![\w'’-])(?:{alternatives})(?:s|['’]s)?(?![\w'’-])") if heads else None

    def blank_in_passage(self, text: str) -> str:
        """`blank` for a passage's text: also a name's head noun standing for a body ("the Institute proposes"), not
        "Legislative Council", where a capitalised word before it makes another name."""
        if self._heads is not None:
            def unless_named(match: re.Match[str]) -> str:
                before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
                named = before is not None and before.group(1)[:1].isupper() and before.group(1) not in _DETERMINERS
                return match.group(0) if named else " " * len(match.group(0))
            text = self._heads.sub(unless_named, text)
        return self.blank(text)

    def blank(self, text: str) -> str:
        """The folded text with every name replaced by spaces (same length, so offsets still hold)."""
        folded = fold(text)
        if self._regex is None:
            return folded
        return self._regex.sub(lambda m: " " * len(m.group(0)), folded)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and fold(word).strip() in self.names
