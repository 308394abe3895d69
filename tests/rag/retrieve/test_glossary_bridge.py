"""Lexical retrieval across languages through the glossary, read both ways (a small bilingual corpus written here):
a Chinese question reaches the English passage that words its term in English, an English one the Chinese
passage, and English inflections meet."""

from __future__ import annotations

import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.retrieve.bilingual import write_bilingual_corpus

ENGLISH = """Harbour Chamber of Commerce
Submission on the Policy Address

1. Cruise tourism
The Chamber proposed that the Government expand the cruise terminal with a second berth.

2. Arbitration services
A fund to train young arbitrators.
"""

CHINESE = """青年創科協會
施政報告建議書

一、智慧農業
本會建議政府資助本地農場引入垂直種植系統。

二、郵輪旅遊
本會建議推廣郵輪旅遊。
"""


GLOSSARY = "en\tzh\tkind\ncruise terminal|cruise terminals\t郵輪碼頭\tplace\nvertical farming\t垂直種植\tconcept\n"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Pipeline:
    corpus = write_bilingual_corpus(tmp_path_factory.mktemp("bridge"), ENGLISH, CHINESE, GLOSSARY)
    return Pipeline(Settings(corpus_dir=corpus, index_dir=corpus / "index", mode=Mode.LEXICAL))


@pytest.mark.parametrize(("question", "doc", "words"), [
    ("郵輪碼頭應否擴建？", "en_doc", "cruise terminal"),  # Chinese question, English passage
    ("What is proposed for vertical farming?", "zh_doc", "垂直種植"),  # English question, Chinese passage
    ("Which bodies make proposals on arbitrators?", "en_doc", "arbitrators"),
])
def test_a_question_finds_the_passage_in_the_other_language(bilingual: Pipeline, question, doc, words) -> None:
    answer = bilingual.ask(question, top_k=1, mode=Mode.LEXICAL)
    assert answer.sources and answer.sources[0].doc_id == doc and words in answer.sources[0].text


def test_inflections_meet_and_the_body_name_is_no_topic(bilingual: Pipeline) -> None:
    answer = bilingual.ask("What does the Harbour Chamber propose for cruise terminals?", top_k=1, mode=Mode.LEXICAL)
    assert answer.sources[0].doc_id == "en_doc" and "cruise terminal" in answer.sources[0].quote
    assert not answer.abstained and answer.bodies == ["HCC"]
