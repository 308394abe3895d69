"""An `Embedder` seen through llama-index's `BaseEmbedding`: query embeddings get the query prefix, text
(passage) embeddings the passage prefix, exactly as `Embedder.embed_queries` / `embed_passages` do."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.bridge.pydantic import PrivateAttr

from embeddings.model import Embedder


class LlamaIndexEmbedding(BaseEmbedding):
    """llama-index embedding model backed by one of our embedders (real or `HashEmbedder`)."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, embed_batch_size: int = 32, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=embed_batch_size, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "HKPolicyQAEmbedding"

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embedder.embed_queries([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embedder.embed_passages(texts).tolist()
