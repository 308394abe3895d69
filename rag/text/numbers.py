"""Years and quantities: one definition of what each looks like, for questions and passages alike."""

from __future__ import annotations

import re

# A year of the submissions' era, standing alone (not part of a longer number).
YEAR = re.compile(r"(?<!\d)(?:19\d\d|20\d\d)(?!\d)")
# A year as a topic-less mention in a question: 2024年, 2025 (jieba glues 年 to the next word otherwise).
_YEAR_MENTION = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)\s*年?")
# A number with a unit or measure (matched on folded text); a bare year (2021年) or a version (工業 4.0) is none.
QUANTITY = re.compile(
    r"(?<![\d.])(?!(?:19|20)\d\d\s*年)\d[\d,.]*\s*(%|亿|万|千|百|个|人|名|宗|间|家|所|项|公顷|平方|倍|成|元|"
    r"美元|港元|岁|小时|天|日|周|年|月|吨|米|公里)|[一二三四五六七八九十两半百千万]+\s*(成|倍|亿|万|个百分点)")
# The same in English words (folded: lower case): 80 per cent, 20 hectares, hk$800 million, 3,000 square metres.
_QUANTITY_EN = re.compile(
    r"(?:hk\$|us\$|rmb|\$)\s*\d|(?<![\d.])\d[\d,.]*[\s-]*(?:%|per\s*cent\b|percent\b|percentage\s+points?\b|"
    r"(?:hectares?|square\s+met(?:re|er)s?|sq\.?\s*m|kilomet(?:re|er)s?|km|met(?:re|er)s?|tonnes?|tons?|million|"
    r"billion|years?|months?|weeks?|days?|hours?|times|people|persons?|jobs|places|companies|firms|members)\b)")


def years_in(text: str) -> list[int]:
    """The years a text names, in order."""
    return [int(y) for y in YEAR.findall(text)]


def without_years(text: str) -> str:
    """The text with its year mentions blanked (same length), so they are not read as topic words."""
    return _YEAR_MENTION.sub(lambda m: " " * len(m.group(0)), text)


def states_quantity(text: str) -> bool:
    """Whether a (folded) text states a number with a unit or measure."""
    return QUANTITY.search(text) is not None or _QUANTITY_EN.search(text) is not None
