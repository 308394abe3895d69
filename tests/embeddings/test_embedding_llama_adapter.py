"""The llama-index adapter gives the embedder's own vectors: queries with the query prefix, texts without."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from embeddings.llama_adapter import LlamaIndexEmbedding
from embeddings.model import Embedder, EmbeddingConfig, HashEmbedder, load_embedder

TEXTS = ["創建香港食品產業園", "Which bodies propose a food industrial park?", "人才政策"]


@pytest.fixture(scope="module")
def prefixed_embedder(tiny_model_dir: Path) -> Embedder:
    return load_embedder(EmbeddingConfig(model=str(tiny_model_dir), query_prefix="query: ", passage_prefix="passage: "))


def test_adapter_returns_the_embedders_vectors(prefixed_embedder: Embedder) -> None:
    adapter = LlamaIndexEmbedding(prefixed_embedder)
    assert adapter.model_name == prefixed_embedder.name
    queries = np.array([adapter.get_query_embedding(text) for text in TEXTS])
    np.testing.assert_allclose(queries, prefixed_embedder.embed_queries(TEXTS), atol=1e-6)
    single = np.array([adapter.get_text_embedding(text) for text in TEXTS])
    np.testing.assert_allclose(single, prefixed_embedder.embed_passages(TEXTS), atol=1e-6)
    batch = np.array(adapter.get_text_embedding_batch(TEXTS))
    np.testing.assert_allclose(batch, prefixed_embedder.embed_passages(TEXTS), atol=1e-6)
    assert not np.allclose(queries, batch)


async def _async_query(adapter: LlamaIndexEmbedding, text: str) -> list[float]:
    return await adapter.aget_query_embedding(text)


def test_adapter_async_query_matches_sync() -> None:
    adapter = LlamaIndexEmbedding(HashEmbedder(dim=64, query_prefix="q: "))
    np.testing.assert_allclose(
        asyncio.run(_async_query(adapter, "香港")), adapter.get_query_embedding("香港"), atol=1e-7
    )
