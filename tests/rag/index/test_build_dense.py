"""The dense part of an index build: passages are embedded while the lexical index is built, with the same
vectors as embedding them on their own, and a failing model fails the build without touching the live index."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from embeddings.model import HashEmbedder
from rag.corpus.catalog import load_catalog
from rag.corpus.lexicon import Lexicon
from rag.index.build import Index, build_index, embedding_text
from rag.index.lexical import LexicalIndex
from rag.text.tokenize import Tokenizer

SETTINGS = {"chunk_max_chars": 700, "chunk_min_chars": 120}


def build(corpus: Path, tmp_path: Path, embedder: HashEmbedder, settings: dict = SETTINGS) -> Index:
    return build_index(tmp_path / "index", load_catalog(corpus), Tokenizer.from_corpus(corpus), settings,
                       embedder=embedder, lexicon=Lexicon.load(corpus / "lexicon"),
                       embedding_cache=tmp_path / "cache")


class WaitingEmbedder(HashEmbedder):
    """Says when it starts, then embeds nothing until `go` is set."""

    def __init__(self, started: threading.Event, go: threading.Event) -> None:
        super().__init__(dim=32)
        self.started, self.go = started, go

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.started.set()
        if not self.go.wait(timeout=30):
            raise TimeoutError("the lexical index was not finished while the passages were embedded")
        return super()._encode(texts, is_query)


class BrokenEmbedder(HashEmbedder):
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise RuntimeError("the engine broke")


def test_lexical_index_is_built_while_passages_are_embedded(small_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    # The lexical index is saved only once the embedding has started, and the embedding goes on only once the
    # lexical index is saved: a build doing one after the other would time out.
    started, go = threading.Event(), threading.Event()
    save = LexicalIndex.save

    def save_during_embedding(self: LexicalIndex, directory: Path) -> None:
        if not started.wait(timeout=30):
            raise TimeoutError("the passages were not being embedded while the lexical index was built")
        save(self, directory)
        go.set()

    monkeypatch.setattr(LexicalIndex, "save", save_during_embedding)
    index = build(small_corpus, tmp_path, WaitingEmbedder(started, go))
    assert index.dense is not None and len(index.dense) == len(index.chunks)


def test_built_vectors_equal_the_chunks_embedded_on_their_own(small_corpus: Path, tmp_path: Path) -> None:
    embedder = HashEmbedder(dim=32)
    index = build(small_corpus, tmp_path, embedder)
    expected = embedder.embed_passages([embedding_text(c) for c in index.chunks])
    stored = index.dense._index.reconstruct_n(0, len(index.chunks))  # FAISS rows in chunk order
    assert index.dense.chunk_ids == [c.chunk_id for c in index.chunks]
    np.testing.assert_array_equal(stored, expected)


def test_a_capped_build_embeds_each_passage_s_first_characters_only(small_corpus: Path, tmp_path: Path) -> None:
    embedder = HashEmbedder(dim=32)
    index = build(small_corpus, tmp_path, embedder, {**SETTINGS, "embedding_max_chars": 40})
    texts = [embedding_text(c, 40) for c in index.chunks]
    assert all(len(t) <= 40 for t in texts) and any(len(embedding_text(c)) > 40 for c in index.chunks)
    assert all(embedding_text(c).startswith(t) for c, t in zip(index.chunks, texts, strict=True))
    np.testing.assert_array_equal(index.dense._index.reconstruct_n(0, len(index.chunks)),
                                  embedder.embed_passages(texts))


def test_a_failing_model_fails_the_build_and_keeps_the_live_index(small_corpus: Path, tmp_path: Path) -> None:
    live = build(small_corpus, tmp_path, HashEmbedder(dim=32))
    with pytest.raises(RuntimeError, match="the engine broke"):
        build(small_corpus, tmp_path, BrokenEmbedder(dim=48))  # another size: nothing cached for it
    index_dir = tmp_path / "index"
    assert (index_dir / "CURRENT").read_text(encoding="utf-8") == live.directory.name
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]
