"""Text normalisation for matching only: what users see keeps the source's exact wording."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE_AND_STARS = re.compile(r"[\s*]+")


def match_key(text: str) -> str:
    """NFKC-normalise and drop whitespace and markdown `*`: the contract's rule for 'contains'."""
    return _WHITESPACE_AND_STARS.sub("", unicodedata.normalize("NFKC", text))


# Characters that change nothing a reader sees but split words for matching: zero-width spaces and joiners,
# the word joiner, soft hyphen, bidirectional marks and the byte-order mark.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_input(text: str) -> str:
    """A user's text made safe to match: lone surrogates replaced, control and invisible characters and
    left over after composing (zalgo) removed; é stays é (NFC). Documents are never changed this way."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
