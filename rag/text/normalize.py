"""Text normalisation for matching only: what users see keeps the source's exact wording."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE_AND_STARS = re.compile(r"[\s*]+")


def match_key(text: str) -> str:
    """NFKC-normalise and drop whitespace and markdown `*`: the contract's rule for 'contains'."""
    return _WHITESPACE_AND_STARS.sub("", unicodedata.normalize("NFKC", text))
