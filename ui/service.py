"""The UI's handle on `rag`: builds the pipeline in the background, asks, adds documents, exports.

Everything here is a call into `rag`; features other modules are still adding (conversation history,
streaming, `rag.corpus_admin`, `rag.export`, `Pipeline.refresh`) are detected, not assumed.
"""

from __future__ import annotations

import atexit
import importlib
import inspect
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.catalog import Catalog, load_catalog
from rag.config import Settings
from rag.schema import Answer

log = logging.getLogger("ui")

# Pause between pieces when the pipeline cannot stream and the final answer is revealed progressively.
REVEAL_PAUSE_S = 0.02
MAX_UPLOAD_BYTES = 20_000_000


class FeatureUnavailable(RuntimeError):
    """A `rag` feature the UI calls is not in this version yet; the message says which."""


class DocumentRejected(ValueError):
    """rag.corpus_admin refused a document; the message is its user-facing sentence."""


class NotReady(RuntimeError):
    """The index is still being built, or building it failed; the message says which."""


@dataclass(frozen=True)
class Status:
    ready: bool
    failed: bool
    message: str


class ReadWriteLock:
    """Many questions at once, or one corpus change alone (writers go first once they wait)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def accepts(fn: Callable[..., Any], name: str) -> bool:
    """Whether `fn` takes a keyword argument `name` (directly or through **kwargs)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def optional_function(module: str, name: str, missing: str) -> Callable[..., Any]:
    """`module.name`, or FeatureUnavailable(missing) while that module is not written yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise FeatureUnavailable(missing) from exc


def reveal_pieces(text: str) -> list[str]:
    """The answer in line-sized pieces, for progressive display when the pipeline cannot stream."""
    return text.splitlines(keepends=True) or [text]


class PipelineService:
    """One pipeline shared by every session; built in a background thread so the page opens at once."""

    def __init__(self, settings: Settings, pipeline_factory: Callable[..., Any] | None = None) -> None:
        self.settings = settings
        self._factory = pipeline_factory or _default_factory
        self._pipeline: Any = None
        self._ready = threading.Event()
        self._lock = ReadWriteLock()
        self._progress: list[str] = []
        self._error: str | None = None
        self._export_dir = Path(tempfile.mkdtemp(prefix="hk-policy-qa-export-"))
        atexit.register(shutil.rmtree, self._export_dir, True)
        self.catalog: Catalog = load_catalog(settings.corpus_dir)

    # -- start-up ---------------------------------------------------------------------------------------
    def start(self) -> None:
        threading.Thread(target=self._build, name="index-build", daemon=True).start()

    def _note(self, message: str) -> None:
        """Pipeline progress: kept for the page's status line and echoed to the terminal."""
        self._progress.append(message)
        print(f"[rag ui] {message} …", flush=True)

    def _build(self) -> None:
        started = time.perf_counter()
        try:
            pipeline = self._factory(self.settings, progress=self._note)
        except Exception as exc:  # shown to the user; the server keeps running so they can read it
            log.exception("building the pipeline failed")
            self._error = f"The index could not be built: {exc}"
            print(f"[rag ui] {self._error}", flush=True)
            return
        for notice in getattr(pipeline, "notices", []):
            print(f"[rag ui] {notice}", flush=True)
        self._pipeline = pipeline
        self.catalog = pipeline.catalog
        print(f"[rag ui] index ready in {time.perf_counter() - started:.1f} s", flush=True)
        self._ready.set()

    def status(self) -> Status:
        if self._error:
            return Status(ready=False, failed=True, message=self._error)
        if self._ready.is_set():
            chunks = len(getattr(self._pipeline, "chunks", []))
            documents = len(self.catalog.documents)
            return Status(ready=True, failed=False, message=f"Index ready: {documents} documents, {chunks} passages.")
        last = self._progress[-1] if self._progress else "starting"
        return Status(ready=False, failed=False, message=f"Building the index on first start: {last} …")

    def wait(self, timeout: float) -> bool:
        """True once the pipeline is ready; False when `timeout` passed or the build failed."""
        deadline = time.monotonic() + timeout
        while not self._ready.is_set() and not self._error and time.monotonic() < deadline:
            self._ready.wait(0.1)
        return self._ready.is_set()

    def _require(self) -> Any:
        if not self._ready.is_set():
            raise NotReady(self.status().message)
        return self._pipeline

    # -- questions --------------------------------------------------------------------------------------
    def _arguments(self, method: Callable[..., Any], history, bodies, years, doc_ids) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"bodies": list(bodies), "years": list(years), "doc_ids": list(doc_ids)}
        if history and accepts(method, "history"):
            kwargs["history"] = list(history)
        return kwargs

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, Answer]] = (),
        bodies: Sequence[str] = (),
        years: Sequence[int] = (),
        doc_ids: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Text deltas, then the final Answer. Raises rag.query.QuestionError for a question it cannot ask."""
        pipeline = self._require()
        stream = getattr(pipeline, "stream", None)
        if callable(stream):
            kwargs = self._arguments(stream, history, bodies, years, doc_ids)
            with self._lock.reading():
                yield from stream(question, **kwargs)
            return
        answer = self.ask(question, history, bodies, years, doc_ids)
        for piece in reveal_pieces(answer.answer)[:-1]:
            yield piece
            time.sleep(REVEAL_PAUSE_S)
        yield answer

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, Answer]] = (),
        bodies: Sequence[str] = (),
        years: Sequence[int] = (),
        doc_ids: Sequence[str] = (),
    ) -> Answer:
        """The final Answer at once (for the HTTP API and the load test)."""
        pipeline = self._require()
        kwargs = self._arguments(pipeline.ask, history, bodies, years, doc_ids)
        with self._lock.reading():
            return pipeline.ask(question, **kwargs)

    # -- corpus changes ---------------------------------------------------------------------------------
    def add_document(self, source: Path, filename: str, body: str, title_zh: str, title_en: str, year: int) -> Any:
        """Add one document through rag.corpus_admin and reindex; raises its CorpusError with a user sentence."""
        missing = "Adding documents is not available yet: this version has no rag.corpus_admin."
        add = optional_function("rag.corpus_admin", "add_document", missing)
        corpus_error = optional_function("rag.corpus_admin", "CorpusError", missing)
        pipeline = self._require()
        with self._lock.writing():
            try:
                document = add(
                    self.settings.corpus_dir,
                    source,
                    filename=filename,
                    body=body,
                    title_zh=title_zh,
                    title_en=title_en,
                    year=year,
                    max_bytes=MAX_UPLOAD_BYTES,
                )
            except corpus_error as exc:
                raise DocumentRejected(str(exc)) from exc
            refresh = getattr(pipeline, "refresh", None)
            if callable(refresh):
                refresh()
            else:  # a new Pipeline notices the changed corpus hash and rebuilds
                self._pipeline = pipeline = self._factory(self.settings, progress=self._note)
            self.catalog = load_catalog(self.settings.corpus_dir)
        return document

    # -- export -----------------------------------------------------------------------------------------
    def export(self, answers: Sequence[Answer], fmt: str, title: str, stem: str) -> Path:
        """Write `answers` as Markdown ("md") or DOCX ("docx") with rag.export; returns the file."""
        folder = Path(tempfile.mkdtemp(dir=self._export_dir))
        path = folder / f"{stem}.{fmt}"
        missing = "Export is not available yet: this version has no rag.export."
        if fmt == "md":
            to_markdown = optional_function("rag.export", "to_markdown", missing)
            path.write_text(to_markdown(list(answers), catalog=self.catalog, title=title), encoding="utf-8")
            return path
        if fmt == "docx":
            to_docx = optional_function("rag.export", "to_docx", missing)
            return Path(to_docx(list(answers), path, catalog=self.catalog, title=title))
        raise ValueError(f"Unknown export format {fmt!r}: use md or docx.")


def _default_factory(settings: Settings, progress: Callable[[str], None]) -> Any:
    from rag.pipeline import Pipeline

    return Pipeline(settings, progress=progress)
