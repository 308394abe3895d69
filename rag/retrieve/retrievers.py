"""Retrievers — lexical, dense, hybrid — behind one interface, chosen by one config value (Mode)."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from embeddings.protocols import DenseStore, Embedder
from rag.config import DEFAULT_FUSION, FusionSettings
from rag.index.lexical import LexicalIndex
from rag.text.tokenize import to_traditional
from rag.types import NO_FILTERS, Chunk, Filters, Language, Mode, ScoredChunk
from rag.understand.query import Query


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = FusionSettings.k, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse rankings of item ids: score(d) = Σ_i w_i / (k + rank_i(d)), ranks from 1; best first, ties by id."""
    if k <= 0:
        raise ValueError("k must be greater than 0.")
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(rankings)} rankings need {len(rankings)} weights, got {len(weights)}.")
    if any(w < 0 for w in weights) or (rankings and sum(weights) == 0):
        raise ValueError("weights must be non-negative and not all zero.")
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


class FilterMasks:
    """Filters as boolean masks over the chunk list, computed once per distinct Filters."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = chunks
        self._masks: dict[Filters, np.ndarray] = {}

    def __call__(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        if filters not in self._masks:
            if len(self._masks) > 256:  # filters come from questions: keep the cache bounded
                self._masks.clear()
            self._masks[filters] = np.array([filters.admits(c) for c in self.chunks], dtype=bool)
        return self._masks[filters]


def dense_text(query: Query) -> str:
    """What the embedding model reads of a question: a Simplified one in Traditional, the corpus's script."""
    return to_traditional(query.question) if query.read_language == Language.ZH_HANS else query.question


class Retriever(ABC):
    mode: Mode

    @abstractmethod
    def search(self, query: Query, top_k: int, filters: Filters = NO_FILTERS) -> list[ScoredChunk]:
        """The best `top_k` chunks that the filters admit, best first."""


class LexicalRetriever(Retriever):
    mode = Mode.LEXICAL

    def __init__(self, index: LexicalIndex, masks: FilterMasks, loose_weight: float = 1.0) -> None:
        self.index = index
        self.masks = masks
        self.loose_weight = loose_weight  # Settings.dictionary_search_weight

    def search(self, query: Query, top_k: int, filters: Filters = NO_FILTERS) -> list[ScoredChunk]:
        return self.index.search(query.tokens, top_k, self.masks(filters), also=query.translated,
                                 loose=query.loose, loose_weight=self.loose_weight)


class DenseRetriever(Retriever):
    """Nearest chunks by the embedding model; filters are applied by searching deeper and dropping."""

    mode = Mode.DENSE

    def __init__(self, dense: DenseStore, embedder: Embedder, masks: FilterMasks, cached_queries: int = 256) -> None:
        if cached_queries < 1:
            raise ValueError(f"cached_queries must be at least 1, got {cached_queries}.")
        self.dense = dense
        self.embedder = embedder
        self.masks = masks
        self._position = {chunk.chunk_id: i for i, chunk in enumerate(masks.chunks)}
        self._index_of = {chunk_id: i for i, chunk_id in enumerate(dense.chunk_ids)}  # a chunk's row in the store
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cached_queries = cached_queries
        self._lock = threading.Lock()

    def query_vector(self, query: Query) -> np.ndarray:
        """The question's vector, embedded once: an answer searches several times (per body, per side of a
        comparison, again for a follow-up), and embedding a question costs tens of milliseconds on a CPU while the
        FAISS search costs a fraction of one. The last `cached_queries` questions are kept, least recently used
        dropped first."""
        text = dense_text(query)
        with self._lock:
            if text in self._vectors:
                self._vectors.move_to_end(text)
                return self._vectors[text]
        vector = self.embedder.embed_queries([text])[0]
        with self._lock:
            self._vectors[text] = vector
            while len(self._vectors) > self._cached_queries:
                self._vectors.popitem(last=False)
        return vector

    def similarities(self, query: Query) -> np.ndarray:
        """The cosine similarity of the question to every chunk, by position in the chunk list."""
        out = np.zeros(len(self._position), dtype=np.float32)
        for chunk_id, score in self.dense.search(self.query_vector(query), len(self._position)):
            position = self._position.get(chunk_id)
            if position is not None:
                out[position] = score
        return out

    def search(self, query: Query, top_k: int, filters: Filters = NO_FILTERS) -> list[ScoredChunk]:
        return self._nearest(self.query_vector(query), top_k, filters)

    def like(self, chunk_ids: Sequence[str], top_k: int, filters: Filters = NO_FILTERS) -> list[ScoredChunk]:
        """The chunks closest in meaning to these chunks together (their vectors' mean), none of them: the same
        kind of proposal in another body's paper (its electric vessels for another's electric minibuses)."""
        vectors = self.dense.vectors([self._index_of[c] for c in chunk_ids if c in self._index_of])
        if not len(vectors):
            return []
        centre = vectors.mean(axis=0)
        norm = float(np.linalg.norm(centre))
        if not norm:
            return []
        given = {self._position.get(c) for c in chunk_ids}
        hits = self._nearest(centre / norm, top_k + len(given), filters)
        return [hit for hit in hits if hit.position not in given][:top_k]

    def _nearest(self, vector: np.ndarray, top_k: int, filters: Filters) -> list[ScoredChunk]:
        allowed = self.masks(filters)
        depth = len(self._position) if allowed is not None else top_k
        hits = []
        for chunk_id, score in self.dense.search(vector, depth):
            position = self._position.get(chunk_id)
            if position is None or (allowed is not None and not allowed[position]):
                continue
            hits.append(ScoredChunk(position, score))
            if len(hits) == top_k:
                break
        return hits


class HybridRetriever(Retriever):
    """Weighted reciprocal-rank fusion of the lexical and the dense ranking (Settings.fusion)."""

    mode = Mode.HYBRID

    def __init__(self, lexical: LexicalRetriever, dense: DenseRetriever, fusion: FusionSettings = DEFAULT_FUSION):
        self.lexical = lexical
        self.dense = dense
        self.fusion = fusion

    def search(self, query: Query, top_k: int, filters: Filters = NO_FILTERS) -> list[ScoredChunk]:
        depth = max(top_k, self.fusion.depth)
        rankings = [
            [h.position for h in self.lexical.search(query, depth, filters)],
            [h.position for h in self.dense.search(query, depth, filters)],
        ]
        weights = (self.fusion.lexical_weight, self.fusion.dense_weight)
        fused = reciprocal_rank_fusion(rankings, k=self.fusion.k, weights=weights)
        return [ScoredChunk(i, s) for i, s in fused[:top_k]]


def make_retriever(mode: Mode, lexical: LexicalRetriever, dense: DenseRetriever | None,
                   fusion: FusionSettings = DEFAULT_FUSION) -> Retriever:
    """The retriever for a mode; dense and hybrid need the dense retriever (caller falls back when absent)."""
    if mode is Mode.LEXICAL:
        return lexical
    if dense is None:
        raise ValueError(f"{mode.value} retrieval needs the embedding model.")
    return dense if mode is Mode.DENSE else HybridRetriever(lexical, dense, fusion)
