"""Quantities in both languages, and years kept apart from them, on synthetic sentences."""

from __future__ import annotations

import pytest

from rag.text.numbers import numbers_stated, quantities_in, states_quantity, unit_kind_at, without_years, years_in
from rag.text.tokenize import fold

STATES = {
    # shares
    "The rate should fall to 15% by then.": "15%",
    "Cut profits tax by 1.5 per cent for SMEs.": "1.5 per cent",
    "Raise the ratio by 2 percentage points.": "2 percentage points",
    "稅率減至百分之三。": "百分之三",
    "約三成企業受影響。": "三成",
    "資助比例提高至八成半。": "八成半",
    "增加 5 個百分點": "5 個百分點",
    # money
    "a grant of HK$300,000 per company": "HK$300,000",
    "a fund of HK$10 million": "HK$10 million",
    "US$2.5 billion of investment": "US$2.5 billion",
    "RMB 5 billion": "RMB 5 billion",
    "每間企業資助五千元。": "五千元",
    "撥款八百萬元支持": "八百萬元",
    "上限為二十萬港元": "二十萬港元",
    "預留30億港元": "30億港元",
    "a budget of 10 million": "10 million",
    "投資逾 200多萬": "200多萬",
    # area
    "Reserve 20 hectares for the park.": "20 hectares",
    "about 50,000 square metres of floor space": "50,000 square metres",
    "a 300 sq m site": "300 sq m",
    "預留約十公頃土地": "十公頃",
    "樓面面積 5,000 平方米": "5,000 平方米",
    "每個單位 400平方呎": "400平方呎",
    # durations
    "Approve plans within 30 days.": "30 days",
    "a pilot of 6 months": "6 months",
    "over the next 5 years": "5 years",
    "a 3-year scheme": "3-year",
    "審批時間縮短至 7天": "7天",
    "試行十二個月": "十二個月",
    "未來十年": "十年",
    "為期半年": "半年",
    "過去十多年": "十多年",
    "2024-25年度起三年內": "三年",
    # people
    "train 500 people a year": "500 people",
    "吸引 1,000 名人才": "1,000 名",
    "科研人員數目達到 40,000 多人": "40,000 多人",  # a PDF's space before 多
    "增聘二十人": "二十人",
    # times and multipliers
    "grow tenfold, 3 times the current level": "3 times",
    "產值提升兩倍": "兩倍",
    "惠及三萬": "三萬",
    "市場規模達 5 億": "5 億",
    "a decision within eight weeks": "eight weeks",
    "twenty-five per cent of them": "twenty-five per cent",
    "two billion, in words": "two billion",
}


@pytest.mark.parametrize("sentence", list(STATES))
def test_sentence_states_its_quantity(sentence: str) -> None:
    assert quantities_in(sentence) == [STATES[sentence]]
    assert states_quantity(sentence)


@pytest.mark.parametrize("sentence", list(STATES))
def test_folded_sentence_states_a_quantity_too(sentence: str) -> None:
    assert states_quantity(fold(sentence))  # questions and concept windows are matched folded


NOT_QUANTITIES = [
    "Section 3 sets out the proposal.",
    "See No. 5 above.",
    "the 2025 Policy Address",
    "in 2025",
    "對2025年施政報告的建議",
    "2024-2025年的施政報告",
    "2024/25年度財政預算",
    "二〇二五年施政報告",
    "第三章 創新科技",
    "第3年",
    "第十三屆",
    "三、人才政策",
    "(二) 發展北部都會區",
    "推動工業 4.0",
    "COVID-19 pandemic",
    "3.2 Land supply",
    "同一天提交",
    "百年老店",
    "千萬不要",
    "一成不變",
    "Chapter 7: the food park",
    "paragraph 12 of the report",
]


@pytest.mark.parametrize("sentence", NOT_QUANTITIES)
def test_numbering_years_and_versions_are_no_quantity(sentence: str) -> None:
    assert quantities_in(sentence) == []
    assert not states_quantity(fold(sentence))


def test_a_calendar_year_is_read_by_years_in_not_as_a_duration() -> None:
    text = "2025年起五年內 in 2025, over 5 years"
    assert years_in(text) == [2025, 2025]
    assert quantities_in(text) == ["五年", "5 years"]


def test_without_years_blanks_years_and_keeps_quantities() -> None:
    text = "2024年同2025年各撥款五千元"
    blanked = without_years(text)
    assert len(blanked) == len(text) and years_in(blanked) == []
    assert quantities_in(blanked) == ["五千元"]


@pytest.mark.parametrize(("text", "expected"), [
    ("預計增加 30%", True),
    ("提供約 300 公顷的用地", True),
    ("80 per cent of output by value", True),
    ("a 20-hectare site", True),
    ("hk$800 million over five years", True),
    ("3,000 square metres of space", True),
    ("in 2025 the chamber", False),
    ("industry 4.0 and beyond", False),
    ("the 2024-25 budget", False),
])
def test_states_quantity_in_folded_text(text: str, expected: bool) -> None:
    """As the concept reader sees passages and questions: lower case, simplified."""
    assert states_quantity(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("add at least 2,000 new places by 2028", ["2,000 new places"]),
    ("38 member companies took part", ["38 member companies"]),
    ("by 2028 schools should open", []),  # a year, not a count
    ("COVID-19 cases fell", []),  # part of a name
])
def test_an_english_number_counts_any_plural_noun(text: str, expected: list[str]) -> None:
    assert quantities_in(text) == expected


@pytest.mark.parametrize(("sentence", "kind", "states"), [
    ("每家企業資助上限二十萬港元", "money", True),
    ("up to HK$150,000 for each firm", "money", True),
    ("an 18-month trial on five routes", "money", False),
    ("把審批時間壓縮至不超過九個月", "people", False),
    ("由三十名公務員組成", "people", True),
    ("the Government would pay half", "share", True),
    ("三分之一的用地", "share", True),
    ("資助額為學費的八成", "share", True),
    ("a 20-hectare park", "share", False),
    ("a decision within eight weeks", "duration", True),
    ("HK$2 billion over five years", "duration", True),
    ("HK$2 billion", "duration", False),
    ("年產約五千噸石斑", "weight", True),
    ("約二百公頃的示範區", "weight", False),
    ("a 200-hectare zone", "area", True),
    ("申請人須年滿十八歲", "age", True),  # an age: 歲, "years old", or a number after "aged" / "age of"
    ("open to workers aged 50 or above", "age", True),
    ("up to the age of 70", "age", True),
    ("a 30-year-old worker", "age", True),
    ("資助上限為四萬港元", "age", False),
    ("a scheme of five years", "age", False),
])
def test_a_quantity_of_the_kind_asked_for(sentence: str, kind: str, states: bool) -> None:
    assert states_quantity(sentence, frozenset({kind})) is states
    assert states_quantity(sentence) or sentence.endswith("half")  # a quantity of some kind ("half" is no number)


@pytest.mark.parametrize(("text", "kind"), [
    ("how many tonnes of fish", "weight"),
    ("多少公頃土地", "area"),
    ("how many hours a week", "duration"),
    ("how many have", None),  # "ha" only as a word of its own
    ("多少個", "count"),  # counted by a classifier: 多少宗, 多少間
    ("多少個月", "duration"),  # … but 個月 is a span of months
    ("how many jobs", "count"),
    ("多少歲", "age"),
])
def test_the_unit_after_how_many_names_the_kind_of_quantity_asked_for(text: str, kind: str | None) -> None:
    at = text.index("many") + len("many") if "many" in text else text.index("多少") + 2
    assert unit_kind_at(text, at) == kind


@pytest.mark.parametrize(("sentence", "states"), [
    ("a quarantine laboratory, to open in 2031", True),
    ("於2031年前啟用", True),
    ("二〇二八年落成", True),
    ("by end-2027", True),
    ("the standards should be published in September", True),
    ("from May 2027", True),
    ("明年推出試驗計劃", True),
    ("within 12 months of the review", True),
    ("兩年內完成立法", True),
    ("as soon as possible", False),  # no time is stated
    ("盡快推出", False),
    ("May we suggest a fund of HK$30,000", False),  # "May" only before a number is a month
    ("a fund of HK$30,000 for 500 firms", False),
])
def test_a_time_for_a_question_asking_when(sentence: str, states: bool) -> None:
    assert states_quantity(sentence, frozenset({"time"})) is states


@pytest.mark.parametrize(("sentence", "states"), [
    ("目標資助二萬個檔戶", True),
    ("增設三十間中心", True),
    ("聘請一百名導師", True),  # people are counted too
    ("add 2,000 new places", True),
    ("within 60 working days", False),  # a span, not a count
    ("a 20 hectares site of HK$5 million", False),
    ("第三個階段", False),  # an ordinal
])
def test_a_count_for_a_question_counting_things(sentence: str, states: bool) -> None:
    assert states_quantity(sentence, frozenset({"count"})) is states


def test_a_span_of_time_past_is_no_time_for_a_question_asking_when() -> None:
    assert not states_quantity("complaints upheld in the past five years", frozenset({"time"}))
    assert states_quantity("complaints upheld in the past five years", frozenset({"duration"}))


@pytest.mark.parametrize(("question", "kinds", "text", "states"), [
    # the number the question gives is not its answer; another of the kind is
    ("二百個政府天台之中，有幾多個係學校？", {"count"}, "把二百個政府建築物天台租予營運商", False),
    ("二百個政府天台之中，有幾多個係學校？", {"count"}, "其中八十個為學校天台", True),
    ("Of the 1,200 flats proposed, how many are in Tuen Mun?", set(), "1,200 flats in all", False),
    ("Of the 1,200 flats proposed, how many are in Tuen Mun?", set(), "1,200 flats, 300 flats of them in Tuen Mun",
     True),
    # … only a number of the kind asked: three years stated, a sum asked, and the sum is HK$3 billion
    ("Over 3 years, how much money would the fund need?", {"money"}, "HK$3 billion over 3 years", True),
])
def test_a_number_the_question_states_does_not_answer_it(question: str, kinds: set[str], text: str,
                                                         states: bool) -> None:
    asked = frozenset(kinds)
    stated = numbers_stated(fold(question), asked)
    assert states_quantity(fold(text), asked) is True  # a quantity is there, without the question's own numbers
    assert states_quantity(fold(text), asked, stated) is states


def test_a_question_stating_no_number_excludes_none() -> None:
    assert numbers_stated(fold("How many battery packs a year could the plant handle?")) == frozenset()
    assert numbers_stated(fold("Of the 1,200 flats and 2 parks, how many?")) == {"1200", "2"}
    assert numbers_stated(fold("二百個天台、三成屋苑"), frozenset({"count"})) == {"二百"}  # of the kind asked only
