"""Shared fixtures: a tiny real sentence-transformers model (built once per session) and a hash embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.model import Embedder, EmbeddingConfig, HashEmbedder, load_embedder
from embeddings.testing import build_tiny_model, corpus_texts, split_into_pieces


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model") / "model")


@pytest.fixture(scope="session")
def tiny_embedder(tiny_model_dir: Path) -> Embedder:
    return load_embedder(EmbeddingConfig(model=str(tiny_model_dir)))


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder(dim=64)


@pytest.fixture(scope="session")
def corpus_pieces() -> list[str]:
    """Distinct ~300-character pieces of the shipped corpus, a stand-in for real chunks."""
    pieces = list(dict.fromkeys(split_into_pieces(corpus_texts(), size=300)))
    assert len(pieces) > 50, "the corpus folder should hold the seed documents"
    return pieces
