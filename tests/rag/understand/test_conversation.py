"""Follow-ups resolved against the previous question: a new body, a new year, a new topic."""

from __future__ import annotations

import pytest

from rag.corpus.catalog import Catalog
from rag.pipeline import Pipeline
from rag.types import Language
from rag.understand.conversation import answer_language, in_script, is_followup, resolve
from rag.understand.reading import QuestionReader


@pytest.fixture(scope="module")
def reader(synthetic_pipeline: Pipeline) -> QuestionReader:
    """The synthetic pipeline's reader: its tokenizer keeps the lexicon's colloquial words whole."""
    return synthetic_pipeline.reader


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


def test_that_body_question_retargets_the_body(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("那機械人協會呢？", "茶商會對人才培訓有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert resolved.followup and resolved.question == "機械人協會對人才培訓有甚麼建議？"
    assert resolved.years == [] and resolved.retargeted  # the previous question, put to another body


def test_that_body_question_retargets_a_full_body_name(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("那機械人協會呢？", "香港茶業總商會對人才培訓有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert resolved.question == "機械人協會對人才培訓有甚麼建議？"


def test_english_follow_up_naming_a_body_uses_its_code(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("What about the Robotics Association?", "What does TCC propose about training?",
                       synthetic_catalog, lexicon, reader)
    assert resolved.question == "What does HKRA propose about training?"


def test_what_about_a_year_retargets_the_year(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("What about 2025?", "What did the Tea Chamber propose about tea testing in 2024?",
                       synthetic_catalog, lexicon, reader)
    assert resolved.followup and resolved.years == [2025] and not resolved.retargeted  # the same body
    assert resolved.question == "What did the Tea Chamber propose about tea testing in 2025?"


def test_what_about_a_year_narrows_a_question_that_named_none(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("What about 2025?", "What does the Tea Chamber propose about tea testing?", synthetic_catalog, lexicon, reader)
    assert resolved.years == [2025] and resolved.question == "What does the Tea Chamber propose about tea testing?"


def test_a_new_topic_keeps_the_previous_body_and_which_bodies_frame(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    same_body = resolve("那茶藝人才呢？", "茶商會對茶葉檢測有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert same_body.question == "茶商會 茶藝人才" and not same_body.retargeted  # a topic of its own
    which = resolve("那茶藝人才呢？", "哪些團體建議設立茶葉檢測中心？", synthetic_catalog, lexicon, reader)
    assert which.question == "茶藝人才，哪些團體提出？"


def test_without_a_previous_question_nothing_is_resolved(synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    resolved = resolve("那機械人協會呢？", None, synthetic_catalog, lexicon, reader)
    assert resolved.question == "那機械人協會呢？" and not resolved.followup


@pytest.mark.parametrize("question", ["機械人協會又點睇？", "机械人协会又如何？"])
def test_a_body_and_what_of_it_is_a_follow_up(question: str, lexicon) -> None:
    assert is_followup(question, lexicon)


@pytest.mark.parametrize(
    ("previous", "resolved"),
    [
        ("哪些團體建議設立茶葉檢測中心？", "機械人協會建議設立茶葉檢測中心？"),
        ("Which bodies propose a tea testing centre?", "HKRA propose a tea testing centre?"),
        ("請問各商會對茶葉檢測有甚麼建議？", "請問機械人協會對茶葉檢測有甚麼建議？"),
    ],
)
def test_a_body_after_a_which_bodies_question_asks_that_body(previous: str, resolved: str, synthetic_catalog: Catalog,
                                                            lexicon, reader: QuestionReader) -> None:
    followup = "What about HKRA?" if previous.isascii() else "那機械人協會呢？"
    assert resolve(followup, previous, synthetic_catalog, lexicon, reader).question == resolved


def test_a_follow_up_with_a_body_and_a_topic_asks_that_body_about_that_topic(synthetic_catalog: Catalog, lexicon,
                                                                              reader: QuestionReader) -> None:
    resolved = resolve("那機械人協會對中小企呢？", "茶商會對茶葉檢測有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert resolved.followup and resolved.question == "機械人協會對中小企"


def test_a_follow_up_that_names_nothing_is_not_resolved(synthetic_catalog: Catalog, lexicon,
                                                         reader: QuestionReader) -> None:
    resolved = resolve("呢？", "茶商會對茶葉檢測有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert resolved.question == "呢？" and not resolved.followup


@pytest.mark.parametrize(
    ("question", "previous", "language"),
    [
        ("What about 2025?", Language.ZH_HANT, Language.EN),  # the follow-up's language, not the conversation's
        ("那機械人協會呢？", Language.ZH_HANS, Language.ZH_HANT),
        ("那机械人协会呢？", Language.ZH_HANT, Language.ZH_HANS),
        ("那HKRA呢？", Language.ZH_HANT, Language.ZH_HANT),  # 那 and 呢 are the same in both scripts
        ("那HKRA呢？", Language.EN, Language.ZH_HANS),
        ("那HKRA呢？", None, Language.ZH_HANS),
    ],
)
def test_the_answer_is_in_the_follow_ups_language(question: str, previous: Language | None,
                                                  language: Language) -> None:
    assert answer_language(question, previous) is language


def test_a_resolved_follow_up_is_put_in_the_answers_script() -> None:
    assert in_script("机械人协会对茶叶检测有什么建议？", Language.ZH_HANT) == "機械人協會對茶葉檢測有什麼建議？"
    assert in_script("機械人協會對茶葉檢測有甚麼建議？", Language.ZH_HANS).startswith("机械人协会对茶叶检测")
    assert in_script("What does HKRA propose?", Language.ZH_HANT) == "What does HKRA propose?"


def test_a_body_put_into_a_simplified_question_is_written_in_simplified(synthetic_catalog: Catalog, lexicon,
                                                                        reader: QuestionReader) -> None:
    resolved = resolve("What about HKRA?", "茶商会对人才培训有什么建议？", synthetic_catalog, lexicon, reader)
    assert resolved.question == "机械人协会对人才培训有什么建议？"


@pytest.mark.parametrize("previous", ["What does the tea chamber propose about training?",
                                      "What does the TEA CHAMBER propose about training?"])
def test_a_body_named_in_another_case_is_retargeted_not_kept(previous: str, synthetic_catalog: Catalog, lexicon,
                                                             reader: QuestionReader) -> None:
    resolved = resolve("那機械人協會呢？", previous, synthetic_catalog, lexicon, reader)
    assert resolved.question == "What does the HKRA propose about training?"


@pytest.mark.parametrize(("previous", "question", "resolved"), [
    ("茶商會對茶葉檢測有甚麼建議？", "What does it propose on training?", "What does TCC propose on training?"),
    ("What does the Tea Chamber propose about tea testing?", "Do they support a coffee levy?",
     "Do TCC support a coffee levy?"),
    ("茶商會對茶葉檢測有甚麼建議？", "佢哋對培訓有咩建議？", "茶商會對培訓有咩建議？"),
    ("What does the Tea Chamber propose about tea testing?", "該會對培訓有何建議？", "茶商會對培訓有何建議？"),
])
def test_it_they_or_a_pronoun_asks_the_previous_body_again(previous: str, question: str, resolved: str,
                                                           synthetic_catalog: Catalog, lexicon,
                                                           reader: QuestionReader) -> None:
    found = resolve(question, previous, synthetic_catalog, lexicon, reader)
    assert (found.question, found.followup) == (resolved, True)


@pytest.mark.parametrize("question", ["Is it raining in Hong Kong today?", "What does HKRA propose on training?"])
def test_a_pronoun_that_stands_for_no_body_or_a_body_named_is_no_pronoun_follow_up(
        question: str, synthetic_catalog: Catalog, lexicon, reader: QuestionReader) -> None:
    found = resolve(question, "茶商會對茶葉檢測有甚麼建議？", synthetic_catalog, lexicon, reader)
    assert found.question == question
