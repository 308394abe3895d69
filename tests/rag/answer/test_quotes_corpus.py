"""Quotes a member can paste, and filters stated, on the shipped corpus (acceptance)."""

from __future__ import annotations

import pytest

from rag.types import Answer

pytestmark = pytest.mark.corpus


def cited(answer: Answer) -> list:
    return [s for s in answer.sources if f"[{s.n}]" in answer.answer]


@pytest.mark.parametrize("question", [
    "厂商会建议将法定最低工资调整到多少？",  # dev questions whose passages hold a table's source line
    "厂商会对垃圾征费的实施有何立场？",
    "香港發展新質生產力有哪些優勢條件？",
    "廠商會對國產白酒有何建議？",
])
def test_no_cma_quote_is_a_source_line_or_a_disclaimer(shared_pipeline, question: str) -> None:
    answer = shared_pipeline.ask(question)
    for source in answer.sources:
        if source.body == "CMA":
            assert not source.quote.startswith("資料來源") and "僅供內部參考" not in source.quote


def test_the_korean_food_park_background_is_not_cmas_lead_quote(shared_pipeline) -> None:
    answer = shared_pipeline.ask("Which bodies propose a food industrial park?")
    first_cma_2024 = next(s for s in cited(answer) if s.body == "CMA" and s.year == 2024)
    assert "本會建議" in first_cma_2024.quote and not first_cma_2024.quote.startswith(("韓國", "環顧世界"))


@pytest.mark.parametrize(("question", "says"), [
    ("What does CMA propose about Made in China, Sold by HK?", "citing {who}'s suggestion: 「{quote}」"),
    ("廠商會對「Made in China」加上「Sold by HK」有何建議？", "引述{who}的建議：「{quote}」"),
])
def test_another_partys_suggestion_is_attributed(shared_pipeline, question: str, says: str) -> None:
    answer = shared_pipeline.ask(question)
    reported = [s for s in cited(answer) if s.reports is not None]
    leung = [s for s in reported if s.reports.who == "全國政協副主席梁振英"]
    assert leung and leung[0].reports.suggestion, answer.answer
    assert says.format(who=leung[0].reports.who, quote=leung[0].quote) in answer.answer


@pytest.mark.parametrize("question", ["工總對創科有甚麼建議？", "What does FHKI propose about carbon neutrality?"])
def test_a_generic_lead_in_is_not_the_opening_quote_of_a_topical_question(shared_pipeline, question: str) -> None:
    first = cited(shared_pipeline.ask(question))[0]
    assert "六大重點倡議及七大建議範疇" not in first.quote


def test_filters_are_stated_and_a_filter_matching_nothing_says_so(shared_pipeline) -> None:
    answer = shared_pipeline.ask("Which bodies propose a food industrial park?", bodies=["FHKI"], years=[2023])
    assert answer.answer.startswith("In FHKI's 2023 submission, ") and "in the corpus" not in answer.answer
    answer = shared_pipeline.ask("哪些團體建議設立食品產業園？", years=[2024])
    assert answer.answer.startswith("在2024年的文件中，2 個團體中有 ")  # CMA and BPA wrote in 2024, FHKI did not
    answer = shared_pipeline.ask("Which bodies propose a food industrial park?", years=[1900])
    assert answer.answer == "No submission matches the filter (year 1900)."
