"""The sentence-transformers backend: any model by Hugging Face name or local folder, found in the local
cache by file lookups only, downloaded only when allowed (one bounded probe first), torch threads set to the
available cores. Imported only when such a model is asked for, so lexical mode and the bundled model never
import torch.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from embeddings.model import (
    BUNDLED_MODEL,
    BUNDLED_SOURCE_MODEL,
    SENTENCE_TRANSFORMERS_BATCH_SIZE,
    BaseEmbedder,
    EmbeddingConfig,
    ModelUnavailable,
    available_cores,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

# What a Hugging Face repository id looks like ("name" or "owner/name"); anything else is taken for a path.
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")

_NO_HUB_REMEDY = (
    "Check the internet connection (and HTTPS_PROXY), or set the model to a local folder that holds it "
    "(copied from a machine where it was downloaded)."
)

# Repository files a sentence-transformers model does not need: other runtimes' weights and exports.
_DOWNLOAD_IGNORE = ["onnx/*", "openvino/*", "*.onnx", "*.h5", "*.msgpack", "*.ot", "*.tflite", "coreml/*"]


class SentenceTransformerEmbedder(BaseEmbedder):
    """A loaded sentence-transformers model; build it with `load_embedder`."""

    def __init__(
        self,
        model: SentenceTransformer,
        name: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = SENTENCE_TRANSFORMERS_BATCH_SIZE,
        show_progress: bool = False,
    ) -> None:
        dim = model.get_embedding_dimension()
        if dim is None:
            raise ModelUnavailable(name, "the model does not report its embedding dimension")
        super().__init__(
            name, int(dim), query_prefix, passage_prefix, batch_size=batch_size, show_progress=show_progress
        )
        self.model = model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        # An explicit prompt (even "") overrides any default prompt saved with the model.
        return self.model.encode(
            texts,
            prompt=self.query_prefix if is_query else self.passage_prefix,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )


def load_sentence_transformer_embedder(cfg: EmbeddingConfig) -> SentenceTransformerEmbedder:
    """The configured sentence-transformers model (the bundled model's name loads its full-precision source)."""
    if cfg.model == BUNDLED_MODEL:  # the same model in full precision
        cfg = replace(cfg, model=BUNDLED_SOURCE_MODEL)
    query_prefix, passage_prefix = cfg.prefixes()
    model = _load_sentence_transformer(model_folder(cfg), cfg)
    return SentenceTransformerEmbedder(
        model, cfg.model, query_prefix, passage_prefix, cfg.batch_size or SENTENCE_TRANSFORMERS_BATCH_SIZE,
        cfg.show_progress,
    )


def model_folder(cfg: EmbeddingConfig) -> Path:
    """The folder given, or the cached snapshot of the name given; `ModelUnavailable` if neither exists."""
    path = Path(cfg.model).expanduser()
    if path.is_dir():
        return path
    if not _REPO_ID.match(cfg.model):
        raise ModelUnavailable(
            cfg.model,
            f"there is no model folder at {path}",
            "Check the path, or give a Hugging Face model name such as 'intfloat/multilingual-e5-small'.",
        )
    cached = _cached_snapshot(cfg.model, cfg.cache_dir)
    if cached is not None:
        return cached
    if not cfg.allow_download:
        raise ModelUnavailable(cfg.model, "it is not in the local Hugging Face cache and downloading is off")
    return _download(cfg)


def _cached_snapshot(name: str, cache_dir: str | None) -> Path | None:
    """The cached snapshot folder of `name` at its "main" ref, found by file lookups only (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    for filename in ("modules.json", "config.json"):
        try:
            found = try_to_load_from_cache(name, filename, cache_dir=cache_dir)
        except ValueError:  # huggingface_hub's validation error for an unusual repo id
            return None
        if isinstance(found, str):
            return Path(found).parent
    return None


def _download(cfg: EmbeddingConfig) -> Path:
    """Download the model into the Hugging Face cache and return its snapshot folder.

    huggingface_hub retries a failed metadata request for about a minute when nothing is cached; a single
    probe without retries (`model_info` with a timeout) answers "is the Hub reachable?" first.
    """
    try:
        from huggingface_hub import HfApi, snapshot_download
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
    except ImportError as exc:
        raise ModelUnavailable(cfg.model, "huggingface_hub is not installed", "pip install huggingface_hub") from exc
    timeout = cfg.download_timeout_s
    try:
        info = HfApi().model_info(cfg.model, timeout=timeout)
    except (RepositoryNotFoundError, GatedRepoError) as exc:
        raise ModelUnavailable(
            cfg.model,
            "the Hugging Face Hub has no public model by that name",
            "Check the model name, or set the model to a local folder that holds it.",
        ) from exc
    except Exception as exc:  # DNS failure, refused connection, timeout, HF_HUB_OFFLINE=1, proxy errors
        reason = f"the Hugging Face Hub could not be reached ({type(exc).__name__}: {exc})"
        raise ModelUnavailable(cfg.model, reason, _NO_HUB_REMEDY) from exc
    ignore = list(_DOWNLOAD_IGNORE)
    names = [sibling.rfilename for sibling in info.siblings or []]
    if any(name.endswith(".safetensors") for name in names):
        ignore += ["*.bin", "*.pt"]  # the safetensors weights are enough
    logger.info("downloading embedding model %s (%s)", cfg.model, info.sha)
    try:
        # The default revision ("main") makes the hub record refs/main, which the offline lookup reads later.
        folder = snapshot_download(cfg.model, cache_dir=cfg.cache_dir, ignore_patterns=ignore, etag_timeout=timeout)
    except Exception as exc:
        reason = f"the download failed ({type(exc).__name__}: {exc})"
        raise ModelUnavailable(cfg.model, reason, _NO_HUB_REMEDY) from exc
    return Path(folder)


def _load_sentence_transformer(folder: Path, cfg: EmbeddingConfig) -> SentenceTransformer:
    """Load from a local folder only; a cached snapshot that fails to load is downloaded again if allowed."""
    try:
        return _sentence_transformer_from_folder(folder, cfg)
    except ModelUnavailable:
        if not (cfg.allow_download and _is_hub_snapshot(folder, cfg)):
            raise
        logger.warning("cached copy of %s does not load; downloading it again", cfg.model)
        return _sentence_transformer_from_folder(_download(cfg), cfg)


def load_cross_encoder(cfg: EmbeddingConfig):
    """A sentence-transformers CrossEncoder (reranker) found like an embedding model: local folder or cache.

    Raises `ModelUnavailable` fast when it is not here and downloading is off.
    """
    folder = model_folder(cfg)
    try:
        from sentence_transformers import CrossEncoder

        _set_torch_threads(cfg)
        return CrossEncoder(os.fspath(folder), device=cfg.device, local_files_only=True)
    except Exception as exc:  # not a cross-encoder folder, a damaged file, a missing package
        raise ModelUnavailable(cfg.model, f"loading the reranker from {folder} failed ({type(exc).__name__}: {exc})") \
            from exc


def _is_hub_snapshot(folder: Path, cfg: EmbeddingConfig) -> bool:
    return not Path(cfg.model).expanduser().is_dir() and folder.parent.name == "snapshots"


def _sentence_transformer_from_folder(folder: Path, cfg: EmbeddingConfig) -> SentenceTransformer:
    """sentence-transformers given a local folder never needs the Hub (it still gets local_files_only)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelUnavailable(
            cfg.model, "sentence-transformers is not installed", "pip install sentence-transformers"
        ) from exc
    _set_torch_threads(cfg)
    try:
        return SentenceTransformer(os.fspath(folder), device=cfg.device, local_files_only=True)
    except Exception as exc:  # a folder that is not a model fails in many ways (OSError, ValueError, ...)
        raise ModelUnavailable(
            cfg.model,
            f"loading it from {folder} failed ({type(exc).__name__}: {exc})",
            "Check that the folder was saved with SentenceTransformer.save and is complete.",
        ) from exc


def _set_torch_threads(cfg: EmbeddingConfig) -> None:
    """Run torch's CPU kernels on `cfg.threads` threads (default: every core this process may use).

    torch picks its count from the machine's cores, which can exceed the affinity mask a container gets.
    """
    import torch

    threads = cfg.threads or available_cores()
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
