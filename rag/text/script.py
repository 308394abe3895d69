"""Which script a passage is written in, for the decisions that depend on it (one test, used everywhere)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def mostly_english(text: str) -> bool:
    """Whether a passage is written in English, at least a fifth of it (bilingual passages too): a Chinese passage
    with a few English names in it (ESG, Future Food) is not."""
    words = len(_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    return words >= 8 and words >= 0.2 * (words + cjk / 1.5)
