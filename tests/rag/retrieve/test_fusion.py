"""Hybrid retrieval fuses by Settings.fusion; the model reads a Simplified question in Traditional."""

from __future__ import annotations

import numpy as np

from rag.config import FusionSettings
from rag.retrieve.retrievers import HybridRetriever, dense_text, reciprocal_rank_fusion
from rag.types import Language, ScoredChunk
from rag.understand.query import Query


def query(text: str, language: Language) -> Query:
    return Query(text, language, [], [], [])


class Fixed:
    """A retriever returning a fixed ranking."""

    def __init__(self, ranking: list[int]) -> None:
        self.ranking = ranking

    def search(self, q, top_k, filters=None) -> list[ScoredChunk]:
        return [ScoredChunk(i, 1.0) for i in self.ranking[:top_k]]


def test_hybrid_uses_the_fusion_weights_and_constant() -> None:
    lexical, dense = Fixed([1, 2, 3]), Fixed([3, 2, 1])
    fusion = FusionSettings(lexical_weight=1.0, dense_weight=0.5, k=10, depth=3)
    fused = HybridRetriever(lexical, dense, fusion).search(query("q", Language.EN), 3)
    expected = reciprocal_rank_fusion([[1, 2, 3], [3, 2, 1]], k=10, weights=[1.0, 0.5])
    assert [(h.position, h.score) for h in fused] == expected
    assert fused[0].position == 1  # the lexical ranking weighs double
    assert np.isclose(fused[0].score, 1 / 11 + 0.5 / 13)


def test_a_simplified_question_is_embedded_in_traditional() -> None:
    assert dense_text(query("哪些团体建议发展低空经济？", Language.ZH_HANS)) == "哪些團體建議發展低空經濟？"
    assert dense_text(query("低空經濟", Language.ZH_HANT)) == "低空經濟"
    assert dense_text(query("low-altitude economy", Language.EN)) == "low-altitude economy"
