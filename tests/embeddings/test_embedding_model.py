"""Embedders: configuration, per-family prefixes, shapes, normalisation and prefix application."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.model import (
    BGE_EN_QUERY_INSTRUCTION,
    BGE_ZH_QUERY_INSTRUCTION,
    E5_INSTRUCT_QUERY_PREFIX,
    Embedder,
    EmbeddingConfig,
    HashEmbedder,
    load_embedder,
    prefixes_for,
)

TEXTS = ["香港食品產業園", "Which bodies propose a food industrial park?", "", "人才 talent"]


@pytest.mark.parametrize(
    ("model_name", "expected"),
    [
        ("intfloat/multilingual-e5-small", ("query: ", "passage: ")),
        ("intfloat/e5-base-v2", ("query: ", "passage: ")),
        ("/models/hub/models--intfloat--multilingual-e5-large/snapshots/abc123", ("query: ", "passage: ")),
        ("intfloat/multilingual-e5-large-instruct", (E5_INSTRUCT_QUERY_PREFIX, "")),
        ("BAAI/bge-m3", ("", "")),
        ("BAAI/bge-small-zh-v1.5", (BGE_ZH_QUERY_INSTRUCTION, "")),
        ("BAAI/bge-large-en-v1.5", (BGE_EN_QUERY_INSTRUCTION, "")),
        ("thenlper/gte-base", ("", "")),
        ("Alibaba-NLP/gte-multilingual-base", ("", "")),
        ("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", ("", "")),
        ("/tmp/some-model", ("", "")),
    ],
)
def test_prefixes_for_follows_model_family(model_name: str, expected: tuple[str, str]) -> None:
    assert prefixes_for(model_name) == expected


def test_config_overrides_family_prefixes() -> None:
    cfg = EmbeddingConfig(model="intfloat/multilingual-e5-small", query_prefix="", passage_prefix="doc: ")
    assert cfg.prefixes() == ("", "doc: ")
    assert EmbeddingConfig().prefixes() == ("query: ", "passage: ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be greater than 0"),
        ({"download_timeout_s": 0}, "download_timeout_s must be greater than 0"),
        ({"model": "  "}, "model must be"),
    ],
)
def test_config_with_invalid_value_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EmbeddingConfig(**kwargs)


def _assert_unit_rows(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_tiny_model_gives_unit_float32_rows(tiny_embedder: Embedder) -> None:
    assert tiny_embedder.dim == 32
    _assert_unit_rows(tiny_embedder.embed_queries(TEXTS), len(TEXTS), 32)
    _assert_unit_rows(tiny_embedder.embed_passages(TEXTS), len(TEXTS), 32)


def test_tiny_model_without_family_has_no_prefixes(tiny_embedder: Embedder) -> None:
    assert (tiny_embedder.query_prefix, tiny_embedder.passage_prefix) == ("", "")
    np.testing.assert_allclose(tiny_embedder.embed_queries(TEXTS), tiny_embedder.embed_passages(TEXTS), atol=1e-6)


def test_prefixes_are_applied_before_encoding(tiny_model_dir: Path) -> None:
    embedder = load_embedder(
        EmbeddingConfig(model=str(tiny_model_dir), query_prefix="query: ", passage_prefix="passage: ")
    )
    reference = embedder.model.encode(
        ["query: 食品產業園", "passage: 食品產業園"], normalize_embeddings=True, convert_to_numpy=True
    )
    np.testing.assert_allclose(embedder.embed_queries(["食品產業園"])[0], reference[0], atol=1e-5)
    np.testing.assert_allclose(embedder.embed_passages(["食品產業園"])[0], reference[1], atol=1e-5)
    assert not np.allclose(reference[0], reference[1])


def test_e5_named_folder_gets_e5_prefixes(tiny_model_dir: Path, tmp_path: Path) -> None:
    e5_folder = tmp_path / "multilingual-e5-small"
    e5_folder.symlink_to(tiny_model_dir, target_is_directory=True)
    embedder = load_embedder(EmbeddingConfig(model=str(e5_folder)))
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")


def test_empty_input_gives_empty_matrix(tiny_embedder: Embedder, hash_embedder: HashEmbedder) -> None:
    for embedder in (tiny_embedder, hash_embedder):
        assert embedder.embed_queries([]).shape == (0, embedder.dim)


def test_single_string_instead_of_list_raises(hash_embedder: HashEmbedder) -> None:
    with pytest.raises(TypeError, match="list of texts"):
        hash_embedder.embed_queries("香港")  # type: ignore[arg-type]


def test_hash_embedder_is_deterministic_and_normalised(hash_embedder: HashEmbedder) -> None:
    first = hash_embedder.embed_passages(TEXTS)
    second = HashEmbedder(dim=64).embed_passages(TEXTS)
    np.testing.assert_array_equal(first, second)
    _assert_unit_rows(first, len(TEXTS), 64)


def test_hash_embedder_scores_shared_bigrams_higher(hash_embedder: HashEmbedder) -> None:
    query = hash_embedder.embed_queries(["食品產業園"])[0]
    near, far = hash_embedder.embed_passages(["創建香港食品產業園", "稅務優惠與人才政策"])
    assert query @ near > query @ far


def test_hash_embedder_applies_prefixes() -> None:
    embedder = HashEmbedder(dim=64, query_prefix="query: ", passage_prefix="passage: ")
    np.testing.assert_array_equal(embedder.embed_queries(["x"]), HashEmbedder(dim=64).embed_passages(["query: x"]))
