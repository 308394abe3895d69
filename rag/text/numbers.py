"""Years and quantities: one definition of what each looks like, for questions and passages alike.

A quantity is a small grammar over both languages: a number (Arabic digits with , and ., or Chinese numerals)
followed by a unit or a scale (30%, 三成, 五千元, 10 million, 20 hectares, 3 個月, 500 people, 兩倍), or
preceded by a currency (HK$300,000, RMB 5 billion). A calendar year (2025, 2025年) is a year, read by `years_in`,
never a quantity; neither is a numbering (Section 3, No. 5, 第三章) or a version (工業 4.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A year of the submissions' era, standing alone (not part of a longer number).
YEAR = re.compile(r"(?<!\d)(?:19\d\d|20\d\d)(?!\d)")
# A year as a topic-less mention in a question: 2024年, 2025 (jieba glues 年 to the next word otherwise).
_YEAR_MENTION = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)\s*年?")

# Units and scales as data, Traditional and Simplified alike (questions are matched folded, passages as written).
SCALES = ("million", "billion", "trillion", "thousand", "bn", "萬", "万", "億", "亿")
UNITS = {
    "share": ("%", "％", "per cent", "percent", "percentage points", "percentage point",
              "個百分點", "个百分点", "成半", "成"),
    "money": ("元", "港元", "港幣", "港币", "美元", "人民幣", "人民币", "dollars"),
    "area": ("hectares", "hectare", "ha", "acres", "square metres", "square meters", "square feet",
             "sq m", "sq. m", "sq ft", "sq. ft", "km",
             "公頃", "公顷", "平方米", "平方公里", "平方呎", "平方尺", "呎", "公里", "米"),
    "duration": ("days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour",
                 "天", "週", "周", "星期", "個月", "个月", "年", "小時", "小时"),
    "people": ("people", "persons", "person", "人次", "人", "名", "位"),
    "weight": ("tonnes", "tonne", "tons", "ton", "kilograms", "kilogram", "kg",
               "公噸", "公吨", "噸", "吨", "公斤", "千克"),
    "age": ("years old", "year old", "year-old", "years of age", "歲", "岁"),
    "times": ("times", "fold", "倍"),
    "count": ("jobs", "units", "flats", "companies", "enterprises",
              "個", "个", "間", "间", "家", "所", "項", "项", "宗", "張", "张", "條", "条", "隻", "只",
              "架", "部", "輛", "辆", "套", "份", "班", "批", "幅", "座", "棟", "栋", "幢", "層", "层", "艘", "場",
              "场", "次", "類", "类", "種", "种", "款", "戶", "户", "件"),
}
CURRENCIES = ("HK$", "US$", "RMB", "HKD", "USD", "$", "港幣", "港币", "人民幣", "人民币")

_CHINESE_DIGITS = "零〇一二三四五六七八九十百千萬万億亿兩两"


def _either(words: tuple[str, ...]) -> str:
    """An alternation of `words`, longest first; a Latin word must end at a word boundary (5 ha, not 5 has)."""

    def form(word: str) -> str:
        pattern = re.escape(word).replace(r"\ ", r"\s?")
        return pattern + "(?![a-z])" if word.isascii() and word[-1].isalpha() else pattern

    return "(?:" + "|".join(form(w) for w in sorted(words, key=len, reverse=True)) + ")"


# Arabic: not inside a longer number, a word (COVID-19) or a numbering (No.5, 第3), nor the second year of
# 2024-25 / 2024/25; and a calendar year before 年 or "years" is a year.
_ARABIC = (r"(?<![a-z\d.,第])(?<!\d{4}[-/–])(?!(?:19|20)\d\d[\s-]?(?:年|years?(?![a-z])))"
           r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# Chinese: a run of two or more numerals, or one from 二 to 十 or 半, not an ordinal (第三) nor a written year
# (二〇二五年). A lone 一, 百 or 千 is too often part of a word (同一天, 百年老店) to count.
_CHINESE = (rf"(?<![第{_CHINESE_DIGITS}])(?![一二三四五六七八九〇零]{{4}})"
            rf"(?:[{_CHINESE_DIGITS}]{{2,}}|[二三四五六七八九十兩两半])")
# English numbers in words, a closed class ("eight weeks", "twenty-five years", "a hundred days").
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_ENGLISH = (rf"(?<![a-z])(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:{_ONES}))?"
            rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_ONES}"
            rf"|a\s+(?:hundred|thousand|dozen))(?![a-z])")
_NUMBER = rf"(?:{_ARABIC}|{_CHINESE}|{_ENGLISH})(?:\s?(?:多|餘|余))?"  # 十多年, 200多萬, 40,000 多人: approximate
_SCALE = _either(SCALES)
_UNIT = _either(tuple(unit for units in UNITS.values() for unit in units))

# English counts things by any plural noun, an open class: a number (not a year), at most one word between, then
# a plural ("2,000 new places"); not a numbering ("Section 3 sets out").
_NUMBERING_WORDS = ("section", "chapter", "paragraph", "para", "question", "page", "part", "annex", "appendix",
                    "table", "figure", "item", "article", "clause", "no.", "schedule")
_NOT_NUMBERED = "".join(f"(?<!{re.escape(w)} )" for w in _NUMBERING_WORDS)
_COUNTED = (rf"(?<![a-z]-){_NOT_NUMBERED}(?!(?:19|20)\d\d(?!\d)){_ARABIC}"
            rf"\s(?:[a-z][a-z-]*\s)?[a-z]{{2,}}[^s\W]?s(?![a-z])")
_PRICED = rf"{_either(CURRENCIES)}\s?\d[\d,]*(?:\.\d+)?(?:\s?{_SCALE})?"  # HK$300,000, RMB 5 billion
# 百分之三, 三分之一
_CHINESE_SHARE = rf"百分之[{_CHINESE_DIGITS}\d.]+|[{_CHINESE_DIGITS}\d]+分之[{_CHINESE_DIGITS}\d]+"
_AGED = rf"(?<![a-z])(?:aged|ages?(?:\s+of)?)\s+{_NUMBER}"  # "aged 65 or above", "up to the age of 70"
QUANTITY = re.compile(
    rf"{_NUMBER}[\s-]?(?:{_SCALE}\s?)?{_UNIT}"  # 30%, 五千元, 10 million people, 3-year
    rf"|{_AGED}"
    rf"|{_NUMBER}\s?{_SCALE}"  # 10 million, 30萬
    rf"|{_PRICED}|{_CHINESE_SHARE}"
    rf"|{_COUNTED}",  # 2,000 new places, 38 member companies
    re.IGNORECASE,
)


def years_in(text: str) -> list[int]:
    """The years a text names, in order."""
    return [int(y) for y in YEAR.findall(text)]


def without_years(text: str) -> str:
    """The text with its year mentions blanked (same length), so they are not read as topic words."""
    return _YEAR_MENTION.sub(lambda m: " " * len(m.group(0)), text)


def quantities_in(text: str) -> list[str]:
    """The quantities a text states, as written, in order (`quantities` of any kind)."""
    return [match.group(0).strip() for match in quantities(text)]


# A quantity of a given kind, for a question that asks for one ("how much money", "what share", 多久, 多少名): a sum of
# money is a currency or a money unit; a share is a share unit, 百分之, or a fraction (三分之一, "a third").
_FRACTIONS = ("half", "a third", "one third", "one-third", "two-thirds", "two thirds", "a quarter", "one quarter",
              "three quarters", "a fifth", "one fifth", "one-fifth")
_MEASURED = {kind: rf"{_NUMBER}[\s-]?(?:{_SCALE}\s?)?{_either(units)}" for kind, units in UNITS.items()
             if kind != "count"}  # a count is any plural noun in English (_COUNTED): no kind of its own
# A time, for a question asking when: a year (2028, 二〇二八年), a month, a time relative to the year (明年, 年底,
# next year, end-2027) or a span within which it happens ("within 12 months", 兩年內; not "in the past five
# years"). "May" only before a number: it is a verb more often than a month.
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_RELATIVE_TIMES = ("明年", "今年", "下年", "年底", "年初", "年中", "年內", "年内", "上半年", "下半年", "本年度",
                   "下年度", "下一年度", "next year", "this year", "next financial year", "the coming year")
_TIME = (rf"{YEAR.pattern}|[〇零一二三四五六七八九]{{4}}年|(?<![a-z]){_either(tuple(m for m in MONTHS if m != 'may'))}"
         rf"|\bmay\s+\d|{_either(_RELATIVE_TIMES)}"
         rf"|(?:within|in\s+the\s+next|over\s+the\s+next)\s+{_MEASURED['duration']}|{_MEASURED['duration']}\s*[內内]")
# A count, for a question that counts by a classifier or a counted noun (多少宗個案, how many jobs): a number with
# one (二萬個, 300 jobs), a number of people, or an English number before a plural that is no measure (30 cases,
# not 60 days).
_MEASURES = _either(tuple(u for kind, units in UNITS.items() if kind not in ("count", "people") for u in units))
_COUNT = (rf"{_NUMBER}\s?(?:{_SCALE}\s?)?{_either(UNITS['count'] + UNITS['people'])}"
          rf"|(?<![a-z]-){_NOT_NUMBERED}(?!(?:19|20)\d\d(?!\d)){_ARABIC}"
          rf"\s(?:(?!{_MEASURES})[a-z][a-z-]*\s)?(?!{_MEASURES})[a-z]{{2,}}[^s\W]?s(?![a-z])")
QUANTITY_OF = {
    **{kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in _MEASURED.items()},
    "count": re.compile(_COUNT, re.IGNORECASE),
    "money": re.compile(rf"{_MEASURED['money']}|{_PRICED}", re.IGNORECASE),
    "share": re.compile(rf"{_MEASURED['share']}|{_CHINESE_SHARE}|(?<![a-z]){_either(_FRACTIONS)}", re.IGNORECASE),
    "time": re.compile(_TIME, re.IGNORECASE),
    # an age: 六十五歲, "65 years old", or a number after "aged" / "age(s) of" ("aged 65 or above", "ages 18 to 25")
    "age": re.compile(rf"{_MEASURED['age']}|{_AGED}", re.IGNORECASE),
}
# The unit a "how many" names right after it (how many tonnes, 多少公頃, 多少宗): the quantity asked for is of its
# kind. In order: 個月 is a duration before 個 is a count.
_UNIT_OF_KIND = {kind: re.compile(rf"\s*{_either(UNITS[kind])}", re.IGNORECASE) for kind in (*_MEASURED, "count")}


def unit_kind_at(text: str, position: int) -> str | None:
    """The kind of the unit (a key of QUANTITY_OF) that `text` names at `position`, spaces aside, or None."""
    return next((kind for kind, unit in _UNIT_OF_KIND.items() if unit.match(text, position)), None)


_NUMERAL = re.compile(_NUMBER, re.IGNORECASE)


def _patterns(kinds: frozenset[str]) -> list[re.Pattern[str]]:
    return [QUANTITY_OF[kind] for kind in sorted(kinds)] if kinds else [QUANTITY]


def _numeral(quantity: str) -> str:
    """The number a quantity states, as written less commas and spaces (200 of "200 rooftops", 二百 of 二百個)."""
    found = _NUMERAL.search(quantity)
    return re.sub(r"[,\s]", "", found.group(0)) if found else quantity


def numbers_stated(text: str, kinds: frozenset[str] = frozenset()) -> frozenset[str]:
    """The numbers of the quantities a text states, of one of `kinds` when given (`_numeral`): a question's own
    numbers, which do not answer it (of the 二百個 rooftops it names, how many are schools: not 二百). Compared as
    written, so a number written in another script (200 asked, 二百 in the text) is not recognised as the same."""
    return frozenset(_numeral(m.group(0)) for m in quantities(text, kinds))


def quantities(text: str, kinds: frozenset[str] = frozenset(),
               besides: frozenset[str] = frozenset()) -> Iterator[re.Match[str]]:
    """The quantities a text (as written or folded) states: numbers with a unit, a scale or a currency; with
    `kinds` (keys of QUANTITY_OF), of one of those kinds; with `besides` (numbers_stated of the question, in the
    same form as the text), those whose number is not one of those."""
    for pattern in _patterns(kinds):
        for found in pattern.finditer(text):
            if not besides or _numeral(found.group(0)) not in besides:
                yield found


def states_quantity(text: str, kinds: frozenset[str] = frozenset(), besides: frozenset[str] = frozenset()) -> bool:
    """Whether a text states a quantity (`quantities`)."""
    return next(quantities(text, kinds, besides), None) is not None
