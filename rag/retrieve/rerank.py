"""Optional cross-encoder reranking of the first candidates (off by default: slow on CPU)."""

from __future__ import annotations

from collections.abc import Sequence

from rag.types import ScoredChunk

MAX_CANDIDATES = 20


class Reranker:
    """Scores (question, passage) pairs with a cross-encoder and reorders at most MAX_CANDIDATES of them."""

    def __init__(self, model) -> None:
        self.model = model

    def rerank(self, question: str, candidates: Sequence[ScoredChunk], texts: Sequence[str],
               top_k: int) -> list[ScoredChunk]:
        """Reorder the first candidates by cross-encoder score; those beyond MAX_CANDIDATES keep their order."""
        head, tail = list(candidates[:MAX_CANDIDATES]), list(candidates[MAX_CANDIDATES:])
        if not head:
            return []
        scores = self.model.predict([(question, texts[c.position]) for c in head], show_progress_bar=False)
        order = sorted(range(len(head)), key=lambda j: (-float(scores[j]), j))
        reranked = [ScoredChunk(head[j].position, float(scores[j])) for j in order]
        return (reranked + tail)[:top_k]


def load_reranker(model: str, allow_download: bool = False) -> Reranker:
    """Load by name or local folder; raises embeddings.model.ModelUnavailable (fast offline)."""
    from embeddings.hub import load_cross_encoder
    from embeddings.model import EmbeddingConfig

    return Reranker(load_cross_encoder(EmbeddingConfig(model=model, allow_download=allow_download)))
