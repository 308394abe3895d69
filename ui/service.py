"""The UI's handle on `rag`: builds the pipeline in the background, asks, adds documents, exports.

Everything here is a call into `rag`; the UI holds no retrieval or answer logic.
"""

from __future__ import annotations

import atexit
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

from rag.answer.export import to_docx, to_markdown
from rag.config import Settings
from rag.corpus.catalog import Catalog, load_catalog
from rag.corpus.ingest import CorpusError, add_document
from rag.pipeline import Pipeline
from rag.types import Answer
from ui import i18n

log = logging.getLogger("ui")

MAX_UPLOAD_BYTES = 20_000_000


class DocumentRejected(ValueError):
    """rag.corpus.ingest refused a document; the message is its user-facing sentence."""


class NotReady(RuntimeError):
    """The index is still being built, or building it failed; the message says which."""


i18n.register({
    "status.ready": {"zh-Hant": "索引已就緒：{documents} 份文件，{passages} 個段落。",
                     "en": "Index ready: {documents} documents, {passages} passages."},
    "status.building": {"zh-Hant": "首次啟動，正在建立索引（第 {steps} 步）…",
                        "en": "Building the index on first start: {step} …"},
    "status.failed": {"zh-Hant": "無法建立索引，詳情見伺服器日誌。請檢查語料資料夾後重新啟動。",
                      "zh-Hans": "无法建立索引，详情见服务器日志。请检查语料文件夹后重新启动。",
                      "en": "The index could not be built: {error}"},
})


@dataclass(frozen=True)
class Status:
    """Where the index is: `key` and `fields` give its sentence in any interface language (`text`); `message` is
    the English one, for the terminal and the HTTP API. The Chinese building line counts steps instead of naming
    them, as the pipeline reports its steps in English."""

    ready: bool
    failed: bool
    key: str
    fields: dict[str, Any]

    @property
    def message(self) -> str:
        return self.text("en")

    def text(self, language: str | None) -> str:
        return i18n.t(self.key, language, **self.fields)


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
            self._error = str(exc) or type(exc).__name__
            print(f"[rag ui] {self.status().message}", flush=True)
            return
        for notice in pipeline.notices:
            print(f"[rag ui] {notice}", flush=True)
        self._pipeline = pipeline
        self.catalog = pipeline.catalog
        print(f"[rag ui] index ready in {time.perf_counter() - started:.1f} s", flush=True)
        self._ready.set()

    def status(self) -> Status:
        if self._error:
            return Status(ready=False, failed=True, key="status.failed", fields={"error": self._error})
        if self._ready.is_set():
            fields = {"documents": len(self.catalog.documents), "passages": len(self._pipeline.chunks)}
            return Status(ready=True, failed=False, key="status.ready", fields=fields)
        step = self._progress[-1] if self._progress else "starting"
        return Status(ready=False, failed=False, key="status.building",
                      fields={"step": step, "steps": len(self._progress) + 1})

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
    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, Answer]] = (),
        bodies: Sequence[str] = (),
        years: Sequence[int] = (),
        doc_ids: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Text deltas, then the final Answer. Raises QuestionError for a question it cannot ask."""
        pipeline = self._require()
        with self._lock.reading():
            yield from pipeline.stream(question, bodies=list(bodies), years=list(years), doc_ids=list(doc_ids),
                                       history=list(history))

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
        with self._lock.reading():
            return pipeline.ask(question, bodies=list(bodies), years=list(years), doc_ids=list(doc_ids),
                                history=list(history))

    # -- corpus changes ---------------------------------------------------------------------------------
    def add_document(self, source: Path, filename: str, body: str, title_zh: str, title_en: str, year: int,
                     body_names: dict | None = None) -> Any:
        """Add one document through rag.corpus.ingest and reindex; raises its CorpusError with a user sentence.
        A new body comes with `body_names` (name_zh, name_en, short_zh, short_en), as ingest takes them.

        Checking and extracting the upload happens while questions go on (answers come from the index in
        memory, not from the corpus files, and ingest locks the corpus folder itself); only the re-index
        holds questions back.
        """
        pipeline = self._require()
        try:
            document = add_document(
                self.settings.corpus_dir,
                source,
                filename=filename,
                body=body,
                title_zh=title_zh,
                title_en=title_en,
                year=year,
                max_bytes=MAX_UPLOAD_BYTES,
                body_names=body_names,
                chunk_max_chars=self.settings.chunk_max_chars,
                chunk_min_chars=self.settings.chunk_min_chars,
            )
        except CorpusError as exc:
            raise DocumentRejected(str(exc)) from exc
        with self._lock.writing():
            pipeline.refresh()
            self.catalog = load_catalog(self.settings.corpus_dir)
        return document

    # -- export -----------------------------------------------------------------------------------------
    def export(self, answers: Sequence[Answer], fmt: str, title: str, stem: str) -> Path:
        """Write `answers` as Markdown ("md") or DOCX ("docx") with rag.answer.export; returns the file."""
        folder = Path(tempfile.mkdtemp(dir=self._export_dir))
        path = folder / f"{stem}.{fmt}"
        if fmt == "md":
            path.write_text(to_markdown(list(answers), catalog=self.catalog, title=title), encoding="utf-8")
            return path
        if fmt == "docx":
            return Path(to_docx(list(answers), path, catalog=self.catalog, title=title))
        raise ValueError(f"Unknown export format {fmt!r}: use md or docx.")


def _default_factory(settings: Settings, progress: Callable[[str], None]) -> Pipeline:
    return Pipeline(settings, progress=progress)
