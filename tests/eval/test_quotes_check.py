"""The quote check on synthetic quotes: fragments, boilerplate and lead-ins flagged, real sentences left alone."""

from __future__ import annotations

import re

import pytest

from eval.quotes_check import QuoteChecker, QuoteFlag, cited_numbers, flagged_examples, shown_sources, summarise
from rag.corpus.lexicon import Cue

BOILERPLATE = Cue("boilerplate", (  # matched on the folded text (Simplified, lower case), as the lexicon's is
    re.compile(r"^\s*资料来源\s*[：:]|仅供(内部)?参考|(电话|传真)\s*[：:]"),
    re.compile(r"(?i)^\s*sources?\s*:|\ball rights reserved\b"),
))


@pytest.fixture
def checker() -> QuoteChecker:
    return QuoteChecker(BOILERPLATE)


def flags(checker: QuoteChecker, quote: str, source: str = "") -> set[QuoteFlag]:
    return {flag for flag, _ in checker.check(quote, source)}


@pytest.mark.parametrize("quote", [
    "本會建議政府設立「香港中試創新專項基金」，為商會及行業組織提供經費。",
    "本會對此深表贊同。",
    "「港版中試」是培育新質生產力的切入點。",
    "The government should set up a fund for pilot production lines.",
    "FHKI urges the HKSAR Government to extend the scheme by 12 months.",
])
def test_whole_sentences_pass(checker: QuoteChecker, quote: str) -> None:
    assert checker.check(quote) == []


@pytest.mark.parametrize("quote", [
    "，並加快審批程序，以便企業盡早開展項目。",
    "、食品科技及中藥保健品等行業。",
    "」的發展方向，應予重視並盡快落實。",
    "and the government should act within the year.",
    "which would help small firms export more goods.",
])
def test_a_quote_opening_mid_sentence_is_a_fragment(checker: QuoteChecker, quote: str) -> None:
    assert flags(checker, quote) == {QuoteFlag.FRAGMENT}


@pytest.mark.parametrize("quote", ["(1)", "（3）", "一、", "2.", "iv.", "①", "• (2)"])
def test_an_enumerator_alone_is_a_fragment(checker: QuoteChecker, quote: str) -> None:
    assert [reason for _, reason in checker.check(quote)] == ["only an enumerator"]


@pytest.mark.parametrize("quote", ["提升政策定位。", "加快拆牆鬆綁", "Clustering.", "See below."])
def test_a_quote_shorter_than_a_sentence_is_a_fragment(checker: QuoteChecker, quote: str) -> None:
    assert [reason for _, reason in checker.check(quote)] == ["shorter than a sentence"]


def test_a_quote_after_a_comma_in_its_source_is_a_fragment_and_after_a_label_is_not(checker: QuoteChecker) -> None:
    quote = "本港可與粵澳兩地聯手制定新興領域的標準。"
    assert flags(checker, quote, "同時，" + quote) == {QuoteFlag.FRAGMENT}
    for before in ("(1) ", "• ", "本會建議：", "前文已述。", ""):
        assert flags(checker, quote, before + quote) == set(), before
    assert flags(checker, quote, "一段與引文無關的文字。") == set()  # not found: no judgement by place


@pytest.mark.parametrize("quote", [
    "資料來源：統計處",
    "以上資料由秘書處編寫，內容僅供內部參考；",
    "電話：2542 8611；",
    "Sources: Census and Statistics Department, 2024",
    "© 2024 The Chamber. All rights reserved.",
    "1. Scope of the paper ........................ 3",
    "2024年5月",
    "March 2026",
])
def test_boilerplate_lines_are_flagged(checker: QuoteChecker, quote: str) -> None:
    assert QuoteFlag.BOILERPLATE in flags(checker, quote)


@pytest.mark.parametrize("quote", [
    "對此，本會有如下幾項建議：",
    "本會建議，特區政府可從以下四方面著手推動低空經濟的發展：",
    "The chamber proposes the following measures:",
])
def test_a_lead_in_ending_in_a_colon_is_flagged(checker: QuoteChecker, quote: str) -> None:
    assert QuoteFlag.LEAD_IN in flags(checker, quote)


def test_only_the_cited_sources_are_checked_and_all_when_none_is_cited(checker: QuoteChecker) -> None:
    sources = [
        {"n": 1, "quote": "對此，本會有如下幾項建議：", "text": "對此，本會有如下幾項建議："},
        {"n": 2, "quote": "(1)", "text": "(1)"},
        {"n": 3, "quote": "本會建議政府設立專責小組，統籌有關工作。", "text": "本會建議政府設立專責小組，統籌有關工作。"},
        {"n": 4, "quote": "", "text": "沒有引文的段落。"},
    ]
    answer = {"answer": "見 [3] 及 [1, 3]。", "sources": sources}
    assert cited_numbers(answer["answer"]) == [3, 1]
    assert [s["n"] for s in shown_sources(answer)] == [3, 1]
    checked, flagged = checker.check_answer(answer)
    assert checked == 2 and [(f.n, f.flags) for f in flagged] == [(1, (QuoteFlag.LEAD_IN,))]
    checked, flagged = checker.check_answer({"answer": "沒有引用。", "sources": sources})
    assert checked == 3 and [f.n for f in flagged] == [1, 2]


def test_summary_counts_each_flag_once_per_quote() -> None:
    summary = summarise([["fragment", "boilerplate"], ["lead_in"], ["fragment"]], checked=10)
    assert summary == {"quotes_checked": 10, "quotes_flagged": 3, "quote_flag_rate": 0.3, "quotes_fragment": 2,
                       "quotes_boilerplate": 1, "quotes_lead_in": 1}
    assert summarise([], checked=0)["quote_flag_rate"] is None


def test_examples_keep_one_of_each_quote() -> None:
    item = {"n": 1, "quote": "(1)", "flags": ["fragment"], "reasons": ["only an enumerator"]}
    rows = [{"id": "q1", "system": "lexical", "quote_flags": [item]},
            {"id": "q2", "system": "lexical", "quote_flags": [item, {**item, "quote": "(2)"}]}]
    assert [(e["id"], e["quote"]) for e in flagged_examples(rows)] == [("q1", "(1)"), ("q2", "(2)")]


def test_a_corpus_with_an_older_lexicon_or_none_is_checked_with_the_shipped_one(tmp_path) -> None:
    # a corpus copied before the lexicon gained a key reads the shipped files first; one without a lexicon reads them
    old = tmp_path / "old"
    (old / "lexicon").mkdir(parents=True)
    (old / "lexicon" / "zz.toml").write_text("[cues]\nboilerplate = '(?i)printed in house'\n", "utf-8")
    checker = QuoteChecker.from_corpus(old)
    assert checker.boilerplate.search("printed in house")  # its own wording …
    assert checker.boilerplate.search("资料来源：统计处")  # … after the shipped ones
    assert QuoteChecker.from_corpus(tmp_path / "none").boilerplate.search("资料来源：统计处")
