"""A how-many or when question about a scheme the question names in quotes is answered from a passage naming it:
a date in the section on another pilot is not this one's (a small corpus written here, lexical retrieval)."""

from __future__ import annotations

import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.retrieve.bilingual import CRUISE_ONLY, write_bilingual_corpus

CHINESE = """青年創科協會
施政報告建議書
一、跨境數據流動
本會建議在河套區設立「跨境數據白名單」試點，首批容許一百家企業在深港之間傳輸非個人數據。
二、跨境低空物流試點
本會建議與深圳商討開通兩條跨境無人機物流航線，預計於二〇二七年內開始試點，先以醫療樣本為運送對象。
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    corpus = write_bilingual_corpus(tmp_path_factory.mktemp("quoted"), CRUISE_ONLY, CHINESE)
    return Pipeline(Settings(corpus_dir=corpus, index_dir=corpus / "index", mode=Mode.LEXICAL))


def test_when_a_quoted_pilot_starts_is_not_answered_with_another_pilots_date(pipeline: Pipeline) -> None:
    assert pipeline.ask("青年創科協會建議的「跨境數據白名單」試點預計何時開始？").abstained


def test_when_the_passage_naming_it_states_the_date_it_is_answered(pipeline: Pipeline) -> None:
    answer = pipeline.ask("青年創科協會建議的「跨境無人機物流航線」何時開通？")
    assert not answer.abstained and "二〇二七年" in answer.sources[0].quote
