"""Dense retrieval support: embedding models (`embeddings.model`), the llama-index adapter
(`embeddings.llama_adapter`) and the FAISS store with its passage-vector cache (`embeddings.store`).

Importing this package loads neither torch nor FAISS nor llama-index, so lexical mode starts fast; import
`embeddings.store` or `embeddings.llama_adapter` explicitly when dense retrieval is wanted.
"""

from embeddings.model import (
    DEFAULT_MODEL,
    Embedder,
    EmbeddingConfig,
    HashEmbedder,
    ModelUnavailable,
    load_embedder,
    prefixes_for,
)

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "EmbeddingConfig",
    "HashEmbedder",
    "ModelUnavailable",
    "load_embedder",
    "prefixes_for",
]
