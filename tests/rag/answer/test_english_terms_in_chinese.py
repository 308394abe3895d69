"""An English term a Chinese question writes (「發展 quidditch 產業」) is its key word: when no passage has it and the
glossary cannot read it, no body is said to propose it, however well the rest of the question (發展, 產業) matches.
A Chinese passage that writes the English term itself (「發展 esports 產業」) is found by it, in a question of either
language (a small corpus written here, lexical retrieval)."""

from __future__ import annotations

import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.retrieve.bilingual import CRUISE_ONLY, write_bilingual_corpus

CHINESE = """青年創科協會
施政報告建議書
一、文化產業
本會建議政府發展文化創意產業，設立產業基金支持本地設計師。
二、電子競技
本會建議政府發展 esports 產業，在啟德興建專用場館，舉辦國際 esports 賽事。
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    corpus = write_bilingual_corpus(tmp_path_factory.mktemp("terms"), CRUISE_ONLY, CHINESE)
    return Pipeline(Settings(corpus_dir=corpus, index_dir=corpus / "index", mode=Mode.LEXICAL))


def test_an_english_term_no_passage_has_names_no_body(pipeline: Pipeline) -> None:
    answer = pipeline.ask("各團體對發展 quidditch 產業有甚麼建議？")
    assert answer.abstained and answer.bodies == []


def test_the_same_question_without_the_term_names_the_body(pipeline: Pipeline) -> None:
    answer = pipeline.ask("各團體對發展文化創意產業有甚麼建議？")
    assert not answer.abstained and answer.bodies == ["YIA"]


@pytest.mark.parametrize("question", ["各團體對發展 esports 產業有甚麼建議？", "Which bodies propose developing esports?"])
def test_a_chinese_passage_that_writes_the_term_is_found_by_it(pipeline: Pipeline, question: str) -> None:
    answer = pipeline.ask(question)
    assert not answer.abstained and answer.bodies == ["YIA"]
    assert answer.sources[0].section == "二"
