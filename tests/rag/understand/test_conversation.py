"""Follow-ups resolved against the previous question: a new body, a new year, a new topic."""

from __future__ import annotations

import pytest

from rag.corpus.catalog import Catalog
from rag.understand.conversation import is_followup, resolve


@pytest.mark.parametrize(
    "question",
    ["那機械人協會呢？", "那么机械人协会呢？", "What about 2025?", "And HKRA?", "How about the Robotics Association?"],
)
def test_short_questions_with_a_follow_up_marker_are_follow_ups(question: str, lexicon) -> None:
    assert is_followup(question, lexicon)


@pytest.mark.parametrize(
    "question",
    [
        "茶商會對茶葉檢測有甚麼建議？",
        "What does the Tea Chamber propose about tea testing?",
        "What about the proposals the Tea Chamber made on testing, training, tourism and coffee in its last two papers?",
    ],
)
def test_full_or_long_questions_are_not_follow_ups(question: str, lexicon) -> None:
    assert not is_followup(question, lexicon)


def test_that_body_question_retargets_the_body(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("那機械人協會呢？", "茶商會對人才培訓有甚麼建議？", synthetic_catalog, lexicon)
    assert resolved.followup and resolved.question == "機械人協會對人才培訓有甚麼建議？"
    assert resolved.years == []


def test_that_body_question_retargets_a_full_body_name(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("那機械人協會呢？", "香港茶業總商會對人才培訓有甚麼建議？", synthetic_catalog, lexicon)
    assert resolved.question == "機械人協會對人才培訓有甚麼建議？"


def test_english_follow_up_naming_a_body_uses_its_code(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("What about the Robotics Association?", "What does TCC propose about training?",
                       synthetic_catalog, lexicon)
    assert resolved.question == "What does HKRA propose about training?"


def test_what_about_a_year_retargets_the_year(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("What about 2025?", "What did the Tea Chamber propose about tea testing in 2024?",
                       synthetic_catalog, lexicon)
    assert resolved.followup and resolved.years == [2025]
    assert resolved.question == "What did the Tea Chamber propose about tea testing in 2025?"


def test_what_about_a_year_narrows_a_question_that_named_none(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("What about 2025?", "What does the Tea Chamber propose about tea testing?", synthetic_catalog, lexicon)
    assert resolved.years == [2025] and resolved.question == "What does the Tea Chamber propose about tea testing?"


def test_a_new_topic_keeps_the_previous_body_and_which_bodies_frame(synthetic_catalog: Catalog, lexicon) -> None:
    same_body = resolve("那茶藝人才呢？", "茶商會對茶葉檢測有甚麼建議？", synthetic_catalog, lexicon)
    assert same_body.question == "茶商會 茶藝人才"
    which = resolve("那茶藝人才呢？", "哪些團體建議設立茶葉檢測中心？", synthetic_catalog, lexicon)
    assert which.question == "茶藝人才，哪些團體提出？"


def test_without_a_previous_question_nothing_is_resolved(synthetic_catalog: Catalog, lexicon) -> None:
    resolved = resolve("那機械人協會呢？", None, synthetic_catalog, lexicon)
    assert resolved.question == "那機械人協會呢？" and not resolved.followup
