"""Filters stated: an answer under filters names the documents in play, never counts over the whole corpus, and a
filter that matches nothing says so (synthetic corpus, tests/rag/conftest.py)."""

from __future__ import annotations

import pytest

from rag.answer.compose import _bullet
from rag.answer.scope import Scope, describe
from rag.pipeline import Pipeline
from rag.types import Filters, Reported, Source


@pytest.mark.parametrize(("question", "expected"), [
    ("Which bodies propose a robotics industrial park?", "No submission matches the filter (year 1900)."),
    ("哪些團體建議設立機械人產業園？", "沒有文件符合篩選條件（年份：1900）。"),
])
def test_a_filter_matching_no_document_says_so_plainly(synthetic_pipeline: Pipeline, question, expected) -> None:
    answer = synthetic_pipeline.ask(question, years=[1900])
    assert answer.answer == expected and answer.abstained and answer.sources == [] and answer.bodies == []


def test_which_bodies_counts_only_the_bodies_in_play(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("Which bodies propose a robotics industrial park?", years=[2025])
    assert answer.answer.startswith("Among the 2025 submissions, 1 of the 2 bodies proposes this: HKRA.")
    answer = synthetic_pipeline.ask("哪些團體建議設立機械人產業園？", bodies=["HKRA"])
    assert answer.answer.startswith("在機械人協會的文件中，機械人協會提出這項建議。")
    assert "資料庫" not in answer.answer


def test_no_body_proposing_under_a_filter_names_the_filter(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("Which bodies propose a robotics industrial park?", years=[2024])
    assert answer.answer.startswith("In TCC's 2024 submission, no body proposes this.") and answer.abstained
    assert "in the corpus" not in answer.answer


def test_an_ordinary_answer_under_filters_opens_with_them(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("每名茶藝學徒每月資助多少？", bodies=["TCC"], years=[2025])
    assert answer.answer.startswith("在茶商會2025年的文件中：\n") and not answer.abstained
    assert answer.to_dict()["filters"] == {"bodies": ["TCC"], "years": [2025]}
    assert synthetic_pipeline.ask("每名茶藝學徒每月資助多少？").to_dict()["filters"] == {}


def test_a_comparison_under_a_filter_is_headed_by_it(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("How do TCC and HKRA differ on subsidies?", years=[2025])
    assert answer.answer.startswith("Among the 2025 submissions:\n**TCC") and not answer.abstained


def test_scope_phrases_name_bodies_years_and_documents(synthetic_catalog) -> None:
    def phrase(language: str = "en", **filters) -> str:
        scope = Scope.of(Filters.of(**filters), synthetic_catalog)
        assert scope is not None
        return scope.within(language, synthetic_catalog)

    assert Scope.of(Filters(), synthetic_catalog) is None
    assert phrase(bodies=["TCC"], years=[2024]) == "In TCC's 2024 submission"
    assert phrase(bodies=["TCC"]) == "Among TCC's submissions"
    assert phrase(bodies=["TCC", "HKRA"], years=[2025]) == "Among the 2025 submissions of TCC and HKRA"
    assert phrase("zh-Hant", years=[2024, 2025]) == "在2024及2025年的文件中"
    assert phrase("zh-Hans", bodies=["HKRA"]) == "在机械人协会的文件中"
    assert phrase(doc_ids=["tea_2024"]) == "In “Tea Chamber proposals for the 2024 Policy Address”"


def test_filters_are_described_for_a_reader(synthetic_catalog) -> None:
    filters = Filters.of(bodies=["TCC"], years=[2025])
    assert describe(filters, synthetic_catalog, "en") == "body TCC (Hong Kong Tea Chamber of Commerce); year 2025"
    assert describe(filters, synthetic_catalog, "zh-Hant") == "團體：茶商會；年份：2025"
    assert describe(filters, synthetic_catalog, "zh-Hans") == "团体：茶商会；年份：2025"


def test_a_bullet_attributes_another_partys_suggestion(synthetic_catalog) -> None:
    source = Source(n=2, doc_id="tea_2025", body="TCC", year=2025, title="t", section="1", heading="h", path=["h"],
                    text="全國政協副主席陳大文建議香港設立茶葉交易所。", quote="全國政協副主席陳大文建議香港設立茶葉交易所。",
                    score=1.0, reports=Reported("全國政協副主席陳大文", suggestion=True))
    assert "：引述全國政協副主席陳大文的建議：「全國政協" in _bullet(source, "zh-Hant", synthetic_catalog)
    assert ": citing 全國政協副主席陳大文's suggestion: 「" in _bullet(source, "en", synthetic_catalog)
    source.reports = Reported("", suggestion=False)
    assert "引述他人的看法：「" in _bullet(source, "zh-Hant", synthetic_catalog)
    assert "citing a view it reports: 「" in _bullet(source, "en", synthetic_catalog)
