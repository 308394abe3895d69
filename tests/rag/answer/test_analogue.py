"""A follow-up that puts the previous question to another body ("What about …?") whose paper does not state it:
that body's passage closest in meaning to the one the previous answer cited, said to be no proposal on the
question itself, instead of a refusal that names no one. With the bundled model only (a corpus written here)."""

from __future__ import annotations

import pytest

from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.retrieve.bilingual import bundled_pipeline, write_bilingual_corpus

MINIBUSES = """Harbour Chamber of Commerce
Submission on the Policy Address

1. Cleaner minibuses
The Chamber recommends that the Government pay half of the price gap between a new minibus and an old diesel
one, up to HK$400,000 per vehicle.

2. Minibus drivers
We propose a scheme that pays the full cost of training for 2,000 new minibus drivers a year, with an allowance
of HK$5,000 a month during their first six months at the wheel.
"""

FISHING = """Youth Innovation Association
Submission on the Policy Address

1. Cleaner fishing boats
We propose a trial that converts 40 inshore fishing vessels to electric or hybrid propulsion, with the
Government paying 60 per cent of the cost.

2. A wholesale fish market
We propose a new wholesale fish market with cold stores and a quarantine laboratory near the boundary.

3. Young fishers
We propose an apprenticeship for 150 young fishers a year, paying each apprentice HK$12,000 a month during
their training at sea.
"""

FIRST = "What does the Harbour Chamber propose for minibus drivers?"
THEN = "What about the Youth Innovation Association?"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    corpus = write_bilingual_corpus(tmp_path_factory.mktemp("analogue"), MINIBUSES, FISHING)
    return bundled_pipeline(corpus)


def test_another_bodys_proposal_of_the_same_kind_answers_the_follow_up(pipeline: Pipeline) -> None:
    first = pipeline.ask(FIRST, top_k=5, mode=Mode.HYBRID)
    assert first.bodies == ["HCC"] and "2,000 new minibus drivers" in first.answer
    then = pipeline.ask(THEN, top_k=5, mode=Mode.HYBRID, history=[(FIRST, first)])
    assert not then.abstained and then.bodies == ["YIA"]
    assert then.answer.startswith("YIA (Youth Innovation Association) makes no proposal on exactly this.")
    assert then.sources[0].body == "YIA" and "apprenticeship for 150 young fishers" in then.sources[0].text


def test_without_the_previous_answer_or_the_model_the_follow_up_is_declined(pipeline: Pipeline) -> None:
    first = pipeline.ask(FIRST, top_k=5, mode=Mode.HYBRID)
    assert pipeline.ask(THEN, top_k=5, mode=Mode.HYBRID, history=[FIRST]).abstained  # its question alone
    assert pipeline.ask(THEN, top_k=5, mode=Mode.LEXICAL, history=[(FIRST, first)]).abstained  # no model


def test_a_question_the_other_body_does_answer_is_answered_as_usual(pipeline: Pipeline) -> None:
    question = "What does the Harbour Chamber propose on training?"
    first = pipeline.ask(question, top_k=5, mode=Mode.HYBRID)
    then = pipeline.ask(THEN, top_k=5, mode=Mode.HYBRID, history=[(question, first)])
    assert then.bodies == ["YIA"] and "makes no proposal on exactly this" not in then.answer


def test_an_llm_is_not_asked_to_reword_an_answer_about_another_proposal(pipeline: Pipeline) -> None:
    class Unasked:  # an LLM that fails the test if it is asked anything
        def stream(self, *args, **kwargs):
            raise AssertionError("the LLM was asked to reword an answer whose lead says what its passages are not")

    first = pipeline.ask(FIRST, top_k=5, mode=Mode.HYBRID)
    pipeline.llm, llm = Unasked(), pipeline.llm
    try:
        then = pipeline.ask(THEN, top_k=5, mode=Mode.HYBRID, history=[(FIRST, first)])
    finally:
        pipeline.llm = llm
    assert then.answerer == "extractive" and "makes no proposal on exactly this" in then.answer
