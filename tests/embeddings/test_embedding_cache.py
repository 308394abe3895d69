"""EmbeddingCache: re-indexing embeds only new or changed passages; a broken cache costs time, not errors."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from embeddings.cache import EmbeddingCache
from embeddings.model import Embedder, HashEmbedder
from embeddings.store import DenseIndex, embed_passages_cached
from embeddings.testing import CountingEmbedder

TEXTS = ["食品產業園", "稅務優惠", "人才培訓", "北部都會區"]
IDS = ["d#0", "d#1", "d#2", "d#3"]


def test_second_build_embeds_only_the_changed_text(tiny_embedder: Embedder, tmp_path: Path) -> None:
    counting = CountingEmbedder(tiny_embedder)
    DenseIndex.build(IDS, TEXTS, counting, EmbeddingCache(tmp_path / "cache"))
    assert counting.texts == TEXTS

    counting.reset()
    changed = [*TEXTS[:2], "人才培訓及引進", TEXTS[3]]
    index = DenseIndex.build(IDS, changed, counting, EmbeddingCache(tmp_path / "cache"))  # fresh instance: from disk
    assert counting.texts == ["人才培訓及引進"]

    uncached = DenseIndex.build(IDS, changed, tiny_embedder)
    query = tiny_embedder.embed_queries(["人才"])[0]
    assert [cid for cid, _ in index.search(query, 4)] == [cid for cid, _ in uncached.search(query, 4)]
    np.testing.assert_allclose(
        [s for _, s in index.search(query, 4)], [s for _, s in uncached.search(query, 4)], atol=1e-5
    )


def test_unchanged_rebuild_embeds_nothing(hash_embedder: HashEmbedder, tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "cache")
    counting = CountingEmbedder(hash_embedder)
    DenseIndex.build(IDS, TEXTS, counting, cache)
    counting.reset()
    DenseIndex.build(IDS, TEXTS, counting, cache)
    assert counting.calls == 0


def test_repeated_text_is_embedded_once(hash_embedder: HashEmbedder) -> None:
    counting = CountingEmbedder(hash_embedder)
    vectors = embed_passages_cached(["同一段", "同一段", "另一段"], counting)
    assert counting.texts == ["同一段", "另一段"]
    np.testing.assert_array_equal(vectors[0], vectors[1])


def test_other_passage_prefix_does_not_reuse_vectors(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "cache")
    plain = CountingEmbedder(HashEmbedder(dim=64))
    prefixed = CountingEmbedder(HashEmbedder(dim=64, passage_prefix="passage: "))
    embed_passages_cached(TEXTS, plain, cache)
    embed_passages_cached(TEXTS, prefixed, cache)
    assert prefixed.texts == TEXTS
    assert cache.path_for(plain.fingerprint) != cache.path_for(prefixed.fingerprint)


def test_cached_vectors_equal_fresh_ones(hash_embedder: HashEmbedder, tmp_path: Path) -> None:
    embed_passages_cached(TEXTS, hash_embedder, EmbeddingCache(tmp_path))
    cached = EmbeddingCache(tmp_path).get_many(hash_embedder.fingerprint, TEXTS)
    np.testing.assert_array_equal(np.stack(cached), hash_embedder.embed_passages(TEXTS))
    assert EmbeddingCache(tmp_path).get_many(hash_embedder.fingerprint, ["never seen"]) == [None]


def test_corrupt_cache_file_is_ignored_with_a_warning(
    hash_embedder: HashEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.path_for(hash_embedder.fingerprint).write_bytes(b"not an npz file")
    counting = CountingEmbedder(hash_embedder)
    with caplog.at_level(logging.WARNING, logger="embeddings.cache"):
        embed_passages_cached(TEXTS, counting, cache)
    assert counting.texts == TEXTS
    assert "unreadable" in caplog.text
    assert EmbeddingCache(tmp_path).get_many(hash_embedder.fingerprint, TEXTS[:1])[0] is not None


def test_put_many_with_mismatched_lengths_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2 texts but 1 vectors"):
        EmbeddingCache(tmp_path).put_many("model", ["a", "b"], np.zeros((1, 4), dtype=np.float32))
