"""Backend choice, the Embedder/DenseStore protocols, progress reporting and CPU threads."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from embeddings.model import (
    BUNDLED_MODEL,
    BaseEmbedder,
    Embedder,
    EmbeddingConfig,
    HashEmbedder,
    ModelUnavailable,
    available_cores,
    load_embedder,
)
from embeddings.protocols import DenseStore
from embeddings.store import DenseIndex, embed_passages_cached
from embeddings.testing import CountingEmbedder


@pytest.mark.parametrize(
    ("kwargs", "backend"),
    [
        ({}, "bundled"),
        ({"backend": "bundled"}, "bundled"),
        ({"backend": "bundled", "model": "intfloat/multilingual-e5-small"}, "bundled"),
        ({"model": "intfloat/multilingual-e5-small"}, "sentence-transformers"),
        ({"model": "/models/my-e5"}, "sentence-transformers"),
        ({"query_prefix": ""}, "sentence-transformers"),
        ({"device": "cuda"}, "sentence-transformers"),
        ({"backend": "sentence-transformers"}, "sentence-transformers"),
    ],
)
def test_backend_is_resolved_from_the_config(kwargs: dict, backend: str) -> None:
    assert EmbeddingConfig(**kwargs).resolved_backend == backend


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": "onnx"}, "backend must be one of auto, bundled, sentence-transformers"),
        ({"backend": "bundled", "model": "BAAI/bge-m3"}, "cannot load 'BAAI/bge-m3'.*sentence-transformers"),
        ({"backend": "bundled", "passage_prefix": ""}, "cannot change the prefixes"),
        ({"backend": "bundled", "device": "cuda"}, "cannot run on 'cuda'"),
        ({"threads": 0}, "threads must be greater than 0"),
    ],
)
def test_config_with_invalid_backend_settings_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EmbeddingConfig(**kwargs)


def test_sentence_transformers_backend_with_unknown_model_fails_fast(network_attempts: list[str]) -> None:
    cfg = EmbeddingConfig(model="hk-policy-qa-tests/no-such-model", backend="sentence-transformers")
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable, match="not in the local Hugging Face cache") as caught:
        load_embedder(cfg)
    assert time.perf_counter() - started < 1.0
    assert "\n" not in str(caught.value)
    assert network_attempts == []


def test_sentence_transformers_backend_given_the_bundled_name_looks_for_the_fp32_model(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="'intfloat/multilingual-e5-small'"):
        load_embedder(EmbeddingConfig(backend="sentence-transformers", cache_dir=str(tmp_path)))


def test_sentence_transformers_backend_runs_torch_on_the_configured_threads(tiny_model_dir: Path) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        load_embedder(EmbeddingConfig(model=str(tiny_model_dir), threads=1))
        assert torch.get_num_threads() == 1
        load_embedder(EmbeddingConfig(model=str(tiny_model_dir)))
        assert torch.get_num_threads() == available_cores()
    finally:
        torch.set_num_threads(before)


def test_every_embedder_satisfies_the_protocol(tiny_embedder: Embedder, hash_embedder: HashEmbedder) -> None:
    for embedder in (tiny_embedder, hash_embedder, CountingEmbedder(hash_embedder)):
        assert isinstance(embedder, Embedder) and isinstance(embedder, BaseEmbedder)
    assert not isinstance(object(), Embedder)


def test_dense_index_satisfies_the_store_protocol(hash_embedder: HashEmbedder) -> None:
    assert isinstance(DenseIndex.build(["a"], ["香港"], hash_embedder), DenseStore)


def test_hash_fingerprint_is_unchanged_so_existing_caches_stay_valid() -> None:
    assert HashEmbedder(dim=64, passage_prefix="passage: ").fingerprint == "hash-bigram-64\npassage: "


def test_progress_callback_gets_each_batch(capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashEmbedder(dim=16)
    embedder.batch_size = 4
    seen: list[tuple[int, int]] = []
    vectors = embedder.embed_passages([f"text {n}" for n in range(10)], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(4, 10), (8, 10), (10, 10)]
    np.testing.assert_array_equal(vectors, HashEmbedder(dim=16).embed_passages([f"text {n}" for n in range(10)]))
    assert capsys.readouterr().err == ""


def test_progress_true_shows_a_bar_and_default_is_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashEmbedder(dim=16)
    embedder.embed_passages(["a", "b", "c"])
    assert capsys.readouterr().err == ""
    embedder.embed_passages(["a", "b", "c"], progress=True)
    err = capsys.readouterr().err
    assert "embedding with hash-bigram-16" in err and "3/3" in err


def test_progress_reaches_the_embedder_through_the_index_build(
    bundled_embedder: Embedder, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[int, int]] = []
    DenseIndex.build(["a", "b"], ["食品", "人才"], bundled_embedder, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 2)]
    embed_passages_cached(["稅務"], bundled_embedder, progress=True)
    assert "embedding with " + BUNDLED_MODEL in capsys.readouterr().err


def test_show_progress_in_the_config_is_the_embedders_default(capsys: pytest.CaptureFixture[str]) -> None:
    embedder = load_embedder(EmbeddingConfig(show_progress=True))
    embedder.embed_passages(["食品"])
    assert "embedding with " + BUNDLED_MODEL in capsys.readouterr().err
    embedder.embed_passages(["食品"], progress=False)
    embedder.embed_queries(["食品"])  # queries never show a bar
    assert capsys.readouterr().err == ""


def test_counting_embedder_wraps_any_embedder(bundled_embedder: Embedder) -> None:
    counting = CountingEmbedder(bundled_embedder)
    assert counting.fingerprint == bundled_embedder.fingerprint
    np.testing.assert_allclose(counting.embed_queries(["香港"]), bundled_embedder.embed_queries(["香港"]), atol=1e-6)
    assert counting.texts == ["香港"]
