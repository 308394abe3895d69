"""A question is embedded once, however many searches an answer makes with it; the remembered vectors are few."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from embeddings.model import HashEmbedder
from embeddings.store import DenseIndex
from rag.retrieve.retrievers import DenseRetriever, FilterMasks
from rag.types import Chunk, Filters, Language
from rag.understand.query import Query


class CountingEmbedder(HashEmbedder):
    """Records every text it embeds as a query."""

    def __init__(self) -> None:
        super().__init__(dim=16)
        self.queries: list[str] = []

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        self.queries.extend(queries)
        return super().embed_queries(queries)


def chunk(n: int, body: str) -> Chunk:
    return Chunk(chunk_id=f"doc#{n}", doc_id="doc", body=body, year=2024, title="文件", section=str(n),
                 heading=f"第{n}節", path=(f"{n}. 第{n}節",), text=f"第{n}段：建議設立食品產業園，編號{n}。")


def question(text: str, language: Language = Language.ZH_HANT) -> Query:
    return Query(question=text, language=language, tokens=[], expansions=[], warnings=[])


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def retriever(embedder: CountingEmbedder, cached_queries: int = 256) -> DenseRetriever:
    chunks = [chunk(n, "CMA" if n % 2 else "FHKI") for n in range(8)]
    vectors = embedder.embed_passages([c.text for c in chunks])
    dense = DenseIndex.from_vectors([c.chunk_id for c in chunks], vectors, embedder.name)
    return DenseRetriever(dense, embedder, FilterMasks(chunks), cached_queries=cached_queries)


def test_a_question_is_embedded_once_however_often_it_is_searched(embedder: CountingEmbedder) -> None:
    dense = retriever(embedder)
    asked = question("哪些商會建議設立食品產業園？")
    first = dense.search(asked, 3)
    for body in ("CMA", "FHKI"):  # as "which bodies" does: once per body
        dense.search(asked, 3, Filters.of(bodies=[body]))
    dense.similarities(asked)
    assert dense.search(asked, 3) == first
    assert embedder.queries == ["哪些商會建議設立食品產業園？"]


def test_a_simplified_question_is_embedded_in_traditional_once(embedder: CountingEmbedder) -> None:
    dense = retriever(embedder)
    dense.search(question("哪些商会建议设立食品产业园？", Language.ZH_HANS), 3)
    dense.search(question("哪些商会建议设立食品产业园？", Language.ZH_HANS), 3)
    assert embedder.queries == ["哪些商會建議設立食品產業園？"]


def test_the_least_recently_used_question_is_forgotten_first(embedder: CountingEmbedder) -> None:
    dense = retriever(embedder, cached_queries=2)
    for text in ("甲", "乙", "甲", "丙", "甲", "乙"):  # 丙 pushes out 乙, the one not asked for longest
        dense.search(question(text), 2)
    assert embedder.queries == ["甲", "乙", "丙", "乙"]


def test_cached_vector_is_the_one_the_model_gives(embedder: CountingEmbedder) -> None:
    dense = retriever(embedder)
    asked = question("食品產業園")
    dense.search(asked, 1)
    np.testing.assert_array_equal(dense.query_vector(asked), HashEmbedder(dim=16).embed_queries(["食品產業園"])[0])


def test_cached_queries_must_be_positive(embedder: CountingEmbedder) -> None:
    with pytest.raises(ValueError, match="cached_queries must be at least 1"):
        retriever(embedder, cached_queries=0)
