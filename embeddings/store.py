"""The dense index: chunk vectors in FAISS (inner product on unit vectors = cosine).

It is built through llama-index's `FaissVectorStore` (nodes keyed by chunk id) and saved as that store saves,
a plain FAISS file; loading and searching read the FAISS index directly, because importing llama-index costs
about 1.4 s, which every cold `rag ask` would otherwise pay for a lookup FAISS does alone.
FAISS numbers vectors 0, 1, 2, ... in the order they are added; `DenseIndex` keeps the chunk id of each number
in an explicit list and saves it beside the FAISS file, with a meta file naming the model and dimension.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from embeddings.cache import EmbeddingCache
from embeddings.protocols import DenseStore, Embedder, Progress

__all__ = [
    "DenseIndex", "DenseIndexError", "DenseStore", "EmbeddingCache", "embed_passages_cached", "import_faiss_store",
]

FAISS_FILE = "dense.faiss"
IDS_FILE = "dense_chunk_ids.json"
META_FILE = "dense_meta.json"
FORMAT = "hk-policy-qa/dense-index"
FORMAT_VERSION = 1


class DenseIndexError(RuntimeError):
    """The saved dense index cannot be used (missing, corrupt, or made with another model)."""


class DenseIndex:
    """Chunk vectors searchable by inner product; build with `build`, persist with `save` / `load`.

    The FAISS implementation of the `DenseStore` protocol.
    """

    def __init__(self, index: faiss.Index, chunk_ids: list[str], model: str, dim: int) -> None:
        if index.ntotal != len(chunk_ids):
            held = index.ntotal
            raise DenseIndexError(f"The FAISS index holds {held} vectors for {len(chunk_ids)} chunk ids.")
        self._index = index
        self._chunk_ids = chunk_ids
        self.model = model
        self.dim = dim

    @classmethod
    def build(
        cls,
        chunk_ids: Sequence[str],
        texts: Sequence[str],
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        *,
        progress: Progress = None,
    ) -> DenseIndex:
        """Embed the passages (only those the cache lacks) and index them under their chunk ids.

        `progress` goes to `embedder.embed_passages` (True: a tqdm bar; a callback: (done, total) per batch).
        """
        if len(chunk_ids) != len(texts):
            raise ValueError(f"build got {len(chunk_ids)} chunk ids but {len(texts)} texts.")
        vectors = embed_passages_cached(texts, embedder, cache, progress=progress)
        return cls.from_vectors(chunk_ids, vectors, embedder.name)

    @classmethod
    def from_vectors(cls, chunk_ids: Sequence[str], vectors: np.ndarray, model: str) -> DenseIndex:
        """Index ready-made unit vectors, row i under chunk_ids[i]."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(chunk_ids):
            raise ValueError(f"Expected {len(chunk_ids)} vectors in a 2-D array, got shape {vectors.shape}.")
        duplicates = sorted(cid for cid, n in Counter(chunk_ids).items() if n > 1)
        if duplicates:
            raise ValueError(f"Chunk ids must be unique; repeated: {duplicates[:5]}.")
        TextNode, FaissVectorStore = import_faiss_store()  # noqa: N806 - classes
        dim = vectors.shape[1]
        store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(dim))
        nodes = [
            TextNode(id_=chunk_id, text="", embedding=vector.tolist())
            for chunk_id, vector in zip(chunk_ids, vectors, strict=True)
        ]
        positions = store.add(nodes)
        if positions != [str(i) for i in range(len(nodes))]:
            raise DenseIndexError("The FAISS store numbered the vectors out of order.")
        return cls(store.client, list(chunk_ids), model, dim)

    def __len__(self) -> int:
        return len(self._chunk_ids)

    @property
    def chunk_ids(self) -> list[str]:
        return list(self._chunk_ids)

    def vectors(self, positions: Sequence[int]) -> np.ndarray:
        """The stored unit vectors of the chunks at these positions (in `chunk_ids` order), one row each."""
        if not positions:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._index.reconstruct(int(i)) for i in positions]).astype(np.float32)

    def search(self, query_vector: np.ndarray | Sequence[float], top_k: int) -> list[tuple[str, float]]:
        """The `top_k` nearest chunks as (chunk_id, inner product), best first."""
        if top_k <= 0:
            raise ValueError("top_k must be greater than 0.")
        query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != self.dim:
            raise DenseIndexError(
                f"The query vector has {query.shape[0]} dimensions but the index has {self.dim} "
                f"(built with {self.model!r}); embed the query with the same model."
            )
        if not self._chunk_ids:
            return []
        scores, positions = self._index.search(query.reshape(1, -1), min(top_k, len(self)))
        return [
            (self._chunk_ids[int(position)], float(score))
            for position, score in zip(positions[0], scores[0], strict=True)
            if position >= 0
        ]

    def save(self, directory: Path | str) -> None:
        """Write the FAISS file, the chunk-id list and the meta file into `directory` (meta last)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        faiss_path = directory / FAISS_FILE
        faiss.write_index(self._index, str(faiss_path))  # the file FaissVectorStore.persist writes
        (directory / IDS_FILE).write_text(json.dumps(self._chunk_ids, ensure_ascii=False), encoding="utf-8")
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "model": self.model,
            "dim": self.dim,
            "count": len(self),
            "metric": "inner_product",
            "faiss_sha256": _sha256(faiss_path),
        }
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(
        cls, directory: Path | str, *, expected_dim: int | None = None, expected_model: str | None = None
    ) -> DenseIndex:
        """Read an index written by `save`; `DenseIndexError` says what is wrong and to rebuild."""
        directory = Path(directory)
        missing = [name for name in (META_FILE, IDS_FILE, FAISS_FILE) if not (directory / name).is_file()]
        if missing:
            raise DenseIndexError(_rebuild(directory, f"{', '.join(missing)} missing"))
        meta = _read_meta(directory)
        chunk_ids = _read_ids(directory, meta["count"])
        faiss_path = directory / FAISS_FILE
        if _sha256(faiss_path) != meta["faiss_sha256"]:
            raise DenseIndexError(_rebuild(directory, f"{FAISS_FILE} does not match its checksum"))
        try:
            index = faiss.read_index(str(faiss_path))
        except (RuntimeError, ValueError) as exc:
            raise DenseIndexError(_rebuild(directory, f"{FAISS_FILE} is unreadable ({exc})")) from exc
        expected_shape = (meta["dim"], meta["count"], faiss.METRIC_INNER_PRODUCT)
        if (index.d, index.ntotal, index.metric_type) != expected_shape:
            raise DenseIndexError(_rebuild(directory, f"{FAISS_FILE} disagrees with {META_FILE}"))
        if expected_dim is not None and expected_dim != meta["dim"]:
            raise DenseIndexError(
                _rebuild(
                    directory,
                    f"it holds {meta['dim']}-dimensional vectors from {meta['model']!r}, "
                    f"but the embedding model in use gives {expected_dim} dimensions",
                )
            )
        if expected_model is not None and expected_model != meta["model"]:
            raise DenseIndexError(
                _rebuild(directory, f"it was built with {meta['model']!r}, not with {expected_model!r}")
            )
        return cls(index, chunk_ids, meta["model"], meta["dim"])


def import_faiss_store() -> tuple[type, type]:
    """llama-index's `TextNode` and `FaissVectorStore`, imported on first use: about 1.4 s, which a build pays
    while its passages are being embedded (rag.index.build) and a query never pays."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.faiss import FaissVectorStore

    return TextNode, FaissVectorStore


def embed_passages_cached(
    texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None, *, progress: Progress = None
) -> np.ndarray:
    """Passage vectors for `texts`, embedding only texts the cache lacks (each distinct text once)."""
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    cached = cache.get_many(embedder.fingerprint, texts) if cache is not None else [None] * len(texts)
    todo: dict[str, list[int]] = {}
    for position, (text, vector) in enumerate(zip(texts, cached, strict=True)):
        if vector is not None and vector.shape == (embedder.dim,):
            vectors[position] = vector
        else:
            todo.setdefault(text, []).append(position)
    if todo:
        new_texts = list(todo)
        new_vectors = embedder.embed_passages(new_texts, progress=progress)
        for text, vector in zip(new_texts, new_vectors, strict=True):
            vectors[todo[text]] = vector
        if cache is not None:
            cache.put_many(embedder.fingerprint, new_texts, new_vectors)
    return vectors


def _has_dupes(chunk_ids: Sequence[str]) -> bool:
    return len(set(chunk_ids)) != len(chunk_ids)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _rebuild(directory: Path, problem: str) -> str:
    return f"The dense index in {directory} cannot be used: {problem}. Rebuild the index."


def _read_meta(directory: Path) -> dict[str, Any]:
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DenseIndexError(_rebuild(directory, f"{META_FILE} is unreadable ({exc})")) from exc
    expected = {"model": str, "dim": int, "count": int, "faiss_sha256": str}
    if (
        not isinstance(meta, dict)
        or meta.get("format") != FORMAT
        or any(not isinstance(meta.get(key), kind) for key, kind in expected.items())
    ):
        raise DenseIndexError(_rebuild(directory, f"{META_FILE} is not a dense-index meta file"))
    if meta.get("version") != FORMAT_VERSION:
        raise DenseIndexError(_rebuild(directory, f"it has format version {meta.get('version')}"))
    return meta


def _read_ids(directory: Path, count: int) -> list[str]:
    try:
        chunk_ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DenseIndexError(_rebuild(directory, f"{IDS_FILE} is unreadable ({exc})")) from exc
    if not isinstance(chunk_ids, list) or not all(isinstance(cid, str) for cid in chunk_ids):
        raise DenseIndexError(_rebuild(directory, f"{IDS_FILE} is not a list of chunk ids"))
    if len(chunk_ids) != count or _has_dupes(chunk_ids):
        raise DenseIndexError(_rebuild(directory, f"{IDS_FILE} disagrees with {META_FILE}"))
    return chunk_ids
