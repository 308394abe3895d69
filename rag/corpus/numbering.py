"""The numbering grammar: label families, each with a pattern, a value parser and a "next value" relation.

A family is one way of counting (`1.`, `1.1`, `第一章`, `甲、`, `壹、`, `一、`, `（一）`, `1、`, `(1)`, `①`, `(a)`,
`(i)`, `i.`, `A.`, `I.`, `Part I`, `Chapter 3`, `Recommendation 2:`, `Section 1.2`). A line's leading label may
read in several families (`I.` roman or letter, `(i)` roman or letter); the section parser picks the reading that
continues an open list. Decimal outlines are one family per depth (`decimal2` for `1.1`, `decimal3` for `1.1.1`),
so `1.2` closes `1.1.1` and nests under `1.`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
FORMAL_DIGITS = {"壹": 1, "貳": 2, "贰": 2, "參": 3, "叁": 3, "叄": 3, "参": 3, "肆": 4, "伍": 5, "陸": 6, "陆": 6,
                 "柒": 7, "捌": 8, "玖": 9}
CJK_NUMERALS = "〇零一二三四五六七八九十百"
FORMAL_NUMERALS = "".join(FORMAL_DIGITS) + "拾"
STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳
PAREN_DIGITS = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴ … ⒇: one character each
PAREN_IDEOGRAPHS = "".join(chr(c) for c in range(0x3220, 0x322A))  # ㈠ … ㈩
HALVES = {"上": 1, "中": 2, "下": 3}  # 上篇 / 中篇 / 下篇: a paper in two or three halves
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
# Units of the 第X章 family (and 第X部分), largest first is not assumed: each unit is its own family and nesting
# follows use.
CHAPTER_UNITS = "編编篇部章節节條条款"


def cjk_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99, 壹拾貳 → 12; None when the text is not a numeral."""
    digits = {**CJK_DIGITS, **FORMAL_DIGITS}
    text = text.replace("拾", "十").replace("佰", "百")
    if not text or any(ch not in digits and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + digits[ch] if current else digits[ch]
    return total + current


def roman_value(text: str) -> int | None:
    """I → 1, iv → 4, XII → 12; None for anything that is not a well-formed roman numeral up to 89."""
    low = text.lower()
    if not low or not re.fullmatch(r"(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})", low):
        return None
    total = 0
    for i, ch in enumerate(low):
        value = ROMAN_VALUES[ch]
        total += -value if i + 1 < len(low) and ROMAN_VALUES[low[i + 1]] > value else value
    return total or None


def _arabic(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _letter(text: str) -> int | None:
    return ord(text.lower()) - ord("a") + 1 if len(text) == 1 and text.isalpha() and text.isascii() else None


SPELLED = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_SPELLED = "|".join(w.capitalize() + "|" + w.upper() for w in SPELLED)


def _part(text: str) -> int | None:
    """`Part A`, `Part II`, `Part 3`, `Part One`: a roman numeral where it reads as one (`Part I`, `Part V`), else
    a letter; a number written as a word."""
    if text.lower() in SPELLED:
        return SPELLED.index(text.lower()) + 1
    return _arabic(text) or roman_value(text) or _letter(text)


def _one_of(characters: str) -> Callable[[str], int | None]:
    """The value of a label printed as one character of a counting run (甲乙丙, ①②③, ⑴⑵⑶, ㈠㈡㈢)."""
    return lambda text: characters.index(text) + 1 if len(text) == 1 and text in characters else None


def _chapter(text: str) -> int | None:
    return _arabic(text) if text.isdigit() else cjk_value(text)


@dataclass(frozen=True)
class Family:
    """One numbering family: `pattern` has groups `marker` (the label as printed) and `value`."""

    name: str
    pattern: re.Pattern[str]
    ordinal: Callable[[str], int | None]
    number: Callable[[str, str], str] = lambda marker, value: value  # (marker, value) → normalised number


def _paren(marker: str, value: str) -> str:
    return f"({value})"


def _as_printed(marker: str, value: str) -> str:
    return marker.strip().rstrip("、.．:：").strip()


_AFTER = r"[\s\u3000]*"
_UNITS = "萬万億亿千百十倍個个成米元年月日天歲岁度次人間间宗項项"  # a quantity's unit right after a number
_ALONE = r"\s*$"  # a word label alone on its line: its title is the next line (`rag.corpus.blocks`)
# A self-contained outline number: `1.1`, `2.3.1`, `A.1` (a decimal under a letter heading), `A2.1` (under `A2`).
DECIMAL_LABEL = re.compile(r"(?:\d{1,2}|[A-Z]\d{0,2})(?:\.\d{1,2}){1,3}")
# `A1`, `B2`: an annex's numbered sections, self-contained as decimals are.
LETTER_NUMBER = re.compile(r"[A-Z]\d{1,2}")
FAMILIES: tuple[Family, ...] = (
    # Order matters only among readings of the same text; the parser resolves those by context.
    Family("arabic_paren", re.compile(rf"^(?:-\s*)?(?P<marker>[（(](?P<value>\d{{1,2}})[）)]){_AFTER}"), _arabic,
           _paren),
    Family("cjk_paren", re.compile(rf"^(?:-\s*)?(?P<marker>[（(](?P<value>[{CJK_NUMERALS}]{{1,3}})[）)]){_AFTER}"),
           cjk_value, _paren),
    Family("roman_paren", re.compile(rf"^(?P<marker>[（(](?P<value>[ivxl]{{1,6}})[）)]){_AFTER}"), roman_value, _paren),
    Family("letter_paren", re.compile(rf"^(?P<marker>[（(](?P<value>[a-z])[）)]){_AFTER}"), _letter, _paren),
    # `(A)`, `(II)`: capitals count a level apart from `(a)`, `(ii)`.
    Family("roman_paren_upper", re.compile(rf"^(?P<marker>[（(](?P<value>[IVXL]{{1,6}})[）)]){_AFTER}(?=\S)"),
           roman_value, _paren),
    Family("letter_paren_upper", re.compile(rf"^(?P<marker>[（(](?P<value>[A-Z])[）)]){_AFTER}(?=\S)"), _letter,
           _paren),
    # `1)`, `2）`: a closing bracket only.
    Family("arabic_close", re.compile(rf"^(?P<marker>(?P<value>\d{{1,2}})[)）]){_AFTER}(?=\S)"), _arabic),
    Family("chapter", re.compile(
        rf"^(?P<marker>第[ \u3000]*(?P<value>[{CJK_NUMERALS}\d]{{1,4}})[ \u3000]*(?P<unit>部[分份]|[{CHAPTER_UNITS}])"
        rf"[、：:.．]?){_AFTER}(?=\S|$)"), _chapter, _as_printed),
    Family("formal_dun", re.compile(rf"^(?P<marker>(?P<value>[{FORMAL_NUMERALS}]{{1,3}})[、．.]){_AFTER}"),
           cjk_value, _as_printed),
    Family("cjk_dun", re.compile(rf"^(?P<marker>(?P<value>[{CJK_NUMERALS}]{{1,3}})[、．]){_AFTER}"), cjk_value),
    # 甲、乙、丙: the heavenly stems count a level of their own (often the top one).
    Family("stem_dun", re.compile(rf"^(?P<marker>(?P<value>[{STEMS}])[、．]){_AFTER}(?=\S)"), _one_of(STEMS)),
    Family("arabic_dun", re.compile(rf"^(?P<marker>(?P<value>\d{{1,2}})、){_AFTER}"), _arabic),
    Family("circled", re.compile(rf"^(?P<marker>(?P<value>[{CIRCLED}])){_AFTER}(?=\S)"), _one_of(CIRCLED), _as_printed),
    # `⑴` and `㈠`: (1) and （一） printed as one character each; they count a level of their own.
    Family("paren_digit", re.compile(rf"^(?P<marker>(?P<value>[{PAREN_DIGITS}])){_AFTER}(?=\S)"),
           _one_of(PAREN_DIGITS), _as_printed),
    Family("paren_ideograph", re.compile(rf"^(?P<marker>(?P<value>[{PAREN_IDEOGRAPHS}])){_AFTER}(?=\S)"),
           _one_of(PAREN_IDEOGRAPHS), _as_printed),
    # `上篇　題目`, `下篇：…`, `上篇` alone: the halves of a paper, above its chapters.
    Family("half", re.compile(rf"^(?P<marker>(?P<value>[{''.join(HALVES)}])[篇編编卷][、：:.．]?)(?:{_AFTER}(?=\S)|$)"),
           HALVES.get, _as_printed),
    # `甲部　振興旅遊業`, `乙部` alone: parts of a paper lettered by the heavenly stems, above its sections.
    Family("stem_part", re.compile(rf"^(?P<marker>(?P<value>[{STEMS}])部[、：:.．]?)(?:{_AFTER}(?=\S)|$)"),
           _one_of(STEMS), _as_printed),
    # `A1 Survey Method`: an annex's sections (`A2.1` is a decimal under `A2`).
    Family("letter_number", re.compile(rf"^(?P<marker>(?P<value>{LETTER_NUMBER.pattern})\.?)"
                                       rf"(?:[ \t\u3000]+(?=[A-Z\u4e00-\u9fff])|{_ALONE})"),
           lambda v: _arabic(v[1:]), _as_printed),
    # `1.1 Title` (an optional closing dot); `3.15%` and `1.5 萬` are numbers: the caller checks the outline.
    # `A.1` is a decimal outline under a letter heading `A.`.
    # A Chinese title may follow the number with no space (`1.2推廣品牌`), but not a unit (`1.5萬`, `3.2億`).
    Family("decimal", re.compile(rf"^(?P<marker>(?P<value>{DECIMAL_LABEL.pattern})\.?)"
                                 rf"(?:[ \t\u3000]+(?=[^\s\d%])|(?=[\u4e00-\u9fff])(?![{_UNITS}]))"),
           lambda v: _arabic(v.rsplit(".", 1)[-1]), _as_printed),
    # `3.15%` and `381.3 萬人` are numbers, not headings: the dot must not be followed by a digit.
    Family("arabic_dot", re.compile(rf"^(?P<marker>(?P<value>\d{{1,2}})[.．])(?!\d)(?:\s*(?=[^\s\d%])|{_ALONE})"),
           _arabic),
    Family("strategy", re.compile(rf"^(?P<marker>策略(?P<value>[{CJK_NUMERALS}]{{1,3}})[：:]?){_AFTER}"), cjk_value,
           lambda marker, value: f"策略{value}"),
    # `Part A — Trade`, `PART II: SKILLS`, or `PART I` alone on its line (its title on the next): a part of a
    # paper above its chapters; the label keeps its word.
    # A title in capitals may also follow after a space (`Part I  Building …`, `Part A Reinforcing …`).
    Family("division", re.compile(rf"^(?P<marker>(?:Part|PART)\s+(?P<value>\d{{1,2}}|[IVXL]{{1,6}}|{_SPELLED}|[A-Z]))"
                              rf"(?:\s*[—–:.]\s*|\s+-\s+|\s+(?=[A-Z])|{_ALONE})(?=\S|$)"), _part, _as_printed),
    # `Chapter 3: Data`, `Recommendation 2 — Skills`, `QUESTION 4:`, `Chapter 3` alone: a word and its number; each
    # word counts a level of its own. Without a separator only `Chapter` (`Chapter 3 Data`). Captions (`Table 2:`)
    # and appendices (`Annex 1:`, an unnumbered part) are not labels.
    Family("word", re.compile(r"^(?P<marker>(?P<word>[A-Z][a-z]{2,14}|[A-Z]{3,15})\s+"
                              r"(?P<value>\d{1,2}|[IVXL]{1,6}))"
                              rf"(?:\s*(?:[—–:]|\.(?!\d))\s*|\s+-\s+|(?<=\d)\s+(?=[A-Z])|{_ALONE})(?=\S|$)"),
           _part, _as_printed),
    # `Section 1.2 Kerbside`, `SECTION 3: Data`: a word-labelled outline number; `Section 1.2` is self-contained
    # as `1.2` is, one family per depth. (`Section 3 of the Ordinance …` runs on in lower case: the caller's
    # running-sentence test keeps it text.)
    Family("section_word", re.compile(r"^(?P<marker>(?:Section|SECTION)\s+(?P<value>\d{1,2}(?:\.\d{1,2}){0,3}))"
                                      rf"(?:\s*[—–:.]\s*|\s+-\s+|\s+|{_ALONE})(?=\S|$)"),
           lambda v: _arabic(v.rsplit(".", 1)[-1]), _as_printed),
    # `Section A: Trade Finance`, `SECTION B`: lettered sections, appended to the enclosing path as `Chapter 1` is.
    Family("section_letter", re.compile(r"^(?P<marker>(?:Section|SECTION)\s+(?P<value>[A-Z]))"
                                        rf"(?:\s*[—–:.]\s*|\s+-\s+|{_ALONE})(?=\S|$)"), _letter, _as_printed),
    # `II.`, `A.`, `1.` may also stand alone on their line, their title on the next.
    Family("roman", re.compile(r"^(?P<marker>(?P<value>(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\.)"
                               rf"(?:\s+(?=\S)|{_ALONE})"),
           roman_value),
    Family("letter", re.compile(rf"^(?P<marker>(?P<value>[A-Z])\.)(?:\s+(?=\S)|{_ALONE})"), _letter),
    Family("roman_lower", re.compile(r"^(?P<marker>(?P<value>[ivxl]{1,6})[.)])\s+(?=\S)"), roman_value),
    Family("letter_lower", re.compile(r"^(?P<marker>(?P<value>[a-z])[.)])\s+(?=\S)"), _letter),
)


# Words that number captions, pages and appendices rather than sections ("Table 2: Arrivals", "Annex 1: Members").
NOT_LABEL_WORDS = frozenset({"table", "figure", "fig", "chart", "graph", "exhibit", "box", "diagram", "map", "photo",
                             "source", "sources", "note", "notes", "page", "annex", "appendix", "schedule",
                             "attachment", "enclosure", "tel", "fax", "room", "flat", "floor", "level", "block"})


_OWN_FAMILY = frozenset({"part", "section"})  # word labels with a family of their own (letters, decimals)


def _separated(tail: str) -> bool:
    """A word label other than `Chapter` needs punctuation after its number, or nothing at all after it (`tail`:
    the rest of the line after the label)."""
    return not tail.strip() or bool(re.match(r"\s*[—–:.-]", tail))


@dataclass(frozen=True)
class Reading:
    """One reading of a line's leading label."""

    family: str  # "decimal2" for `1.1`; "chapter章" for `第一章`; otherwise the family name
    marker: str
    value: str
    number: str  # the normalised number: "7", "(1)", "III", "1.1", "第一章"
    ordinal: int
    rest: str  # the text after the label


# Spaces a label may be set apart with besides the ordinary and the ideographic one: no-break, en, em, thin …
# (Word and PDF exports keep them). Read as an ordinary space, one character for one, so offsets hold.
_OTHER_SPACES = {c: " " for c in (0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F)}


def readings(text: str) -> list[Reading]:
    """Every reading of a line's leading label, in grammar order; [] when the line has no label."""
    found = []
    probe = text.translate(_OTHER_SPACES)
    for family in FAMILIES:
        m = family.pattern.match(probe)
        if not m or not m.group("value"):
            continue
        ordinal = family.ordinal(m.group("value"))
        if ordinal is None:
            continue
        name = family.name
        if name in ("decimal", "section_word"):
            name = f"{name.removesuffix('_word')}{m.group('value').count('.') + 1}"
        elif name == "chapter":
            name = f"chapter{m.group('unit')}"
        elif name == "word":
            word = m.group("word").lower()
            bare = word != "chapter" and not _separated(probe[len(m.group("marker")):])
            if word in NOT_LABEL_WORDS or word in _OWN_FAMILY or bare:
                continue
            name = f"word_{word}"
        marker = m.group("marker")
        found.append(Reading(name, marker, m.group("value"), family.number(marker, m.group("value")), ordinal,
                             text[m.end():]))
    return found


def is_next(previous: Reading | None, current: Reading) -> bool:
    """Does `current` continue the list that `previous` (same family) belongs to?"""
    if previous is None or previous.family != current.family:
        return False
    if current.family == "half":  # 上篇 → 下篇, or 上 → 中 → 下
        return current.ordinal > previous.ordinal
    if "." in current.value:  # an outline number: same prefix, next last part
        return current.value.rsplit(".", 1)[0] == previous.value.rsplit(".", 1)[0] and (
            current.ordinal == previous.ordinal + 1)
    return current.ordinal == previous.ordinal + 1


def is_self_contained(label: str) -> bool:
    """Does a label name its section without its ancestors' labels? `1.2`, `A.1`, `Section 1.2` do (the outline
    number carries the path); `(a)`, `一`, `Chapter 3` append to the enclosing label."""
    return bool(DECIMAL_LABEL.fullmatch(label) or _WORD_DECIMAL.fullmatch(label) or LETTER_NUMBER.fullmatch(label))


_WORD_DECIMAL = re.compile(rf"[A-Za-z]+\s+(?:{DECIMAL_LABEL.pattern})")


def decimal_parent(value: str) -> str:
    """`1.2.3` → `1.2`, `A.1` → `A`; the label a decimal number nests under."""
    return value.rsplit(".", 1)[0]

