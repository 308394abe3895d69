"""Passage vectors cached on disk, so re-indexing embeds only new or changed chunks."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)


def cache_key(fingerprint: str, text: str) -> str:
    """sha256 of the model fingerprint (name and passage prefix) and the passage text."""
    return hashlib.sha256(f"{fingerprint}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by `cache_key`, one .npz file per model fingerprint in `directory`.

    A missing or unreadable cache file is an empty cache (logged, not raised): the cost is re-embedding.
    Entries are never evicted; delete the directory to reclaim space.
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._loaded: dict[str, dict[str, np.ndarray]] = {}

    def get_many(self, fingerprint: str, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The cached vector of each text, or None where there is none."""
        entries = self._entries(fingerprint)
        return [entries.get(cache_key(fingerprint, text)) for text in texts]

    def put_many(self, fingerprint: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Remember the vectors of `texts` and write the model's cache file."""
        if len(texts) != len(vectors):
            raise ValueError(f"put_many got {len(texts)} texts but {len(vectors)} vectors.")
        if len(texts) == 0:
            return
        entries = self._entries(fingerprint)
        dims = {vector.shape[0] for vector in entries.values()} | {vectors.shape[1]}
        if len(dims) > 1:
            raise ValueError(f"Vectors of different sizes {sorted(dims)} under one model fingerprint.")
        for text, vector in zip(texts, np.asarray(vectors, dtype=np.float32), strict=True):
            entries[cache_key(fingerprint, text)] = vector
        self._write(fingerprint, entries)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._loaded.values())

    def path_for(self, fingerprint: str) -> Path:
        name = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
        return self.directory / f"vectors-{name}.npz"

    def _entries(self, fingerprint: str) -> dict[str, np.ndarray]:
        if fingerprint not in self._loaded:
            self._loaded[fingerprint] = self._read(fingerprint)
        return self._loaded[fingerprint]

    def _read(self, fingerprint: str) -> dict[str, np.ndarray]:
        path = self.path_for(fingerprint)
        if not path.exists():
            return {}
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["fingerprint"]) != fingerprint:
                    logger.warning("embedding cache %s belongs to another model; ignoring it", path)
                    return {}
                keys, vectors = data["keys"], data["vectors"].astype(np.float32)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            logger.warning("embedding cache %s is unreadable (%s); starting it afresh", path, exc)
            return {}
        if len(keys) != len(vectors):
            logger.warning("embedding cache %s is inconsistent; starting it afresh", path)
            return {}
        return {str(key): vector for key, vector in zip(keys, vectors, strict=True)}

    def _write(self, fingerprint: str, entries: dict[str, np.ndarray]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(fingerprint)
        keys = np.array(list(entries), dtype="<U64")
        vectors = np.stack(list(entries.values())).astype(np.float32)
        # Write aside and replace, so a crash never leaves half a cache file behind.
        handle, scratch = tempfile.mkstemp(dir=self.directory, prefix=".vectors-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, fingerprint=np.array(fingerprint), keys=keys, vectors=vectors)
            os.replace(scratch, path)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
