"""Intent on the synthetic corpus: which-bodies, compare or ask; the bodies and years a question names."""

from __future__ import annotations

import pytest

from rag.corpus.catalog import Catalog
from rag.understand.intent import Intent, classify, named_bodies, unknown_organisations


@pytest.mark.parametrize(
    "question",
    [
        "Which bodies propose a robotics industrial park?",
        "Who proposes a tea testing centre?",
        "哪些團體建議設立機械人產業園？",
        "哪些团体建议设立机械人产业园？",
        "邊個商會建議培訓茶藝人才？",
        "各團體對培訓茶藝人才有甚麼建議？",
        "What do all the bodies propose on tea testing?",
        "Which of the groups have put forward ideas on tea testing?",
        "Who has put forward a tea testing centre?",
    ],
)
def test_which_bodies_questions_in_english_traditional_and_simplified(question: str, synthetic_catalog: Catalog, lexicon) -> None:
    intent = classify(question, synthetic_catalog, lexicon)
    assert intent.kind is Intent.WHICH_BODIES and intent.bodies == []


@pytest.mark.parametrize(
    ("question", "bodies"),
    [
        ("How do the Tea Chamber and the Robotics Association differ on training?", ["TCC", "HKRA"]),
        ("機械人協會和茶商會的建議有何不同？", ["HKRA", "TCC"]),
        ("比较茶商会与机械人协会的建议", ["TCC", "HKRA"]),
    ],
)
def test_two_bodies_and_a_difference_word_is_a_comparison(question: str, bodies: list[str], synthetic_catalog: Catalog, lexicon) -> None:
    intent = classify(question, synthetic_catalog, lexicon)
    assert intent.kind is Intent.COMPARE and intent.bodies == bodies


def test_one_body_across_two_years_is_a_comparison(synthetic_catalog: Catalog, lexicon) -> None:
    intent = classify("How did TCC's proposals change between 2024 and 2025?", synthetic_catalog, lexicon)
    assert intent.kind is Intent.COMPARE and intent.bodies == ["TCC"] and intent.years == [2024, 2025]


def test_a_difference_word_with_one_body_and_one_year_is_an_ordinary_question(synthetic_catalog: Catalog, lexicon) -> None:
    intent = classify("What changes does HKRA propose for SMEs in 2025?", synthetic_catalog, lexicon)
    assert intent.kind is Intent.ASK and intent.bodies == ["HKRA"] and intent.years == [2025]


@pytest.mark.parametrize(
    ("question", "bodies"),
    [
        ("茶商會對茶葉檢測有甚麼建議？", ["TCC"]),
        ("What does the Hong Kong Robotics Association recommend?", ["HKRA"]),
        ("香港機械人協會和香港茶業總商會", ["HKRA", "TCC"]),
        ("机械人协会有甚么建议？", ["HKRA"]),
        ("Does TCC or HKRA mention robots?", ["TCC", "HKRA"]),
    ],
)
def test_bodies_are_found_by_any_name_in_order_of_mention(question: str, bodies: list[str],
                                                          synthetic_catalog: Catalog) -> None:
    assert named_bodies(question, synthetic_catalog) == bodies


def test_a_code_inside_a_longer_word_is_not_a_body(synthetic_catalog: Catalog) -> None:
    assert named_bodies("Do TCCS or HKRA2 count?", synthetic_catalog) == []


def test_years_are_read_in_order(synthetic_catalog: Catalog, lexicon) -> None:
    assert classify("茶商會2025年同2024年嘅建議", synthetic_catalog, lexicon).years == [2025, 2024]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What is the Liberal Party's position on tea testing?", ["Liberal Party"]),
        ("自由黨對茶葉檢測有何建議？", ["自由黨"]),
        ("What does the Hong Kong Tea Chamber of Commerce propose?", []),
        ("哪些商會建議設立機械人產業園？", []),
        ("請問各商會對茶葉檢測有甚麼建議？", []),  # addressing and "each body" name no organisation
        ("想問邊個商會建議培訓茶藝人才？", []),
        ("Which Chamber of Commerce proposes a tea testing centre?", []),
        ("對於自由黨的建議，茶商會有何看法？", ["自由黨"]),  # words before the name are no part of it
        ("The Liberal Party's view on tea testing?", ["Liberal Party"]),
        ("What does HKGCC propose on tea testing?", ["HKGCC"]),  # a capitalised acronym where the asker stands
        ("HKGCC 對茶葉檢測有甚麼建議？", ["HKGCC"]),
        ("What does TCC propose on tea testing?", []),
        ("ESG對茶業有什麼影響？", []),  # an acronym that asks nothing of anyone
    ],
)
def test_organisations_outside_the_catalog_are_named_known_ones_are_not(question: str, unknown: list[str], synthetic_catalog: Catalog, lexicon) -> None:
    assert unknown_organisations(question, synthetic_catalog, lexicon) == unknown
    assert classify(question, synthetic_catalog, lexicon).unknown_bodies == unknown


@pytest.mark.parametrize("question", [
    "茶商會建議由哪個機構推行茶葉標籤？",
    "茶商会建议由哪个机构推行茶叶标签？每年要缴多少费用？",
    "Which organisation does the Tea Chamber want to run the tea label?",
])
def test_a_which_phrase_inside_a_named_body_s_proposal_asks_about_it(question: str, synthetic_catalog: Catalog,
                                                                     lexicon) -> None:
    intent = classify(question, synthetic_catalog, lexicon)
    assert intent.kind is Intent.ASK and intent.bodies == ["TCC"]


@pytest.mark.parametrize("question", ["除了茶商會，哪些團體建議設立茶葉檢測中心？",
                                      "Which bodies, like the Tea Chamber, propose a tea testing centre?"])
def test_which_bodies_beside_a_named_one_is_still_which_bodies(question: str, synthetic_catalog: Catalog,
                                                             lexicon) -> None:
    assert classify(question, synthetic_catalog, lexicon).kind is Intent.WHICH_BODIES
