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


class Names:
    """A fixed set of names, matched in any script and case, longest first."""

    def __init__(self, names: Iterable[str]) -> None:
        folded = sorted({fold(n).strip() for n in names if n and n.strip()}, key=len, reverse=True)
        self.names = tuple(folded)
        self._regex = re.compile("|".join(_pattern(n) for n in folded)) if folded else None

    def blank(self, text: str) -> str:
        """The folded text with every name replaced by spaces (same length, so offsets still hold)."""
        folded = fold(text)
        if self._regex is None:
            return folded
        return self._regex.sub(lambda m: " " * len(m.group(0)), folded)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and fold(word).strip() in self.names
