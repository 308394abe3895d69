"""The UI's handle on `rag`: builds the pipeline in the background, asks, reads and changes the library, exports.

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

from rag.answer import briefing
from rag.answer.export import to_docx, to_markdown
from rag.config import Settings
from rag.corpus.catalog import Catalog, Document, load_catalog
from rag.corpus.changes import CorpusChange, corpus_change
from rag.corpus.ingest import CorpusError
from rag.corpus.passages import OutlineEntry, Piece, document_outline, document_pieces
from rag.pipeline import Pipeline
from rag.types import Answer
from ui import i18n

log = logging.getLogger("ui")

MAX_UPLOAD_BYTES = 20_000_000


class DocumentRejected(ValueError):
    """rag.corpus.ingest refused a document; the message is its user-facing sentence."""


class NotReady(RuntimeError):
    """The index is still being built, or building it failed; the message says which."""


class RebuildFailed(RuntimeError):
    """A library change was undone because the index could not be rebuilt; the message says so."""


@dataclass(frozen=True)
class LibraryEntry:
    """One document of the library as the loaded index holds it."""

    document: Document
    sections: int  # headings of its outline, as the parser read them
    passages: int  # chunks in the index


@dataclass(frozen=True)
class DocumentText:
    """A document read back from the loaded index: its catalog entry, its sections' pieces and its outline."""

    document: Document
    pieces: list[Piece]
    outline: list[OutlineEntry]


i18n.register({
    "status.ready": {"zh-Hant": "索引已就緒：{documents} 份文件，{passages} 個段落。",
                     "en": "Index ready: {documents} documents, {passages} passages."},
    "status.building": {"zh-Hant": "首次啟動，正在建立索引（第 {steps} 步）…",
                        "en": "Building the index on first start: {step} …"},
    "status.updating": {"zh-Hant": "正在更新文件庫及其索引；期間答案仍來自原有的 {documents} 份文件、"
                                   "{passages} 個段落…",
                        "en": "Updating the library and its index; answers come from the {documents} documents, "
                              "{passages} passages meanwhile …"},
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
        self.version = 0  # goes up as a library change starts and ends: open pages poll it to refresh
        self._changing = threading.Lock()  # one library change at a time in this process
        self._updating = False  # a library change is being made (the status line says so)

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
            if self._updating:  # questions are still answered, from the index as it was
                return Status(ready=True, failed=False, key="status.updating", fields=fields)
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

    # -- the library ------------------------------------------------------------------------------------------
    def library(self) -> list[LibraryEntry]:
        """Every document of the loaded index by body, year and id, with its section and passage counts."""
        pipeline = self._require()
        chunks: dict[str, list] = {}
        for chunk in pipeline.chunks:
            chunks.setdefault(chunk.doc_id, []).append(chunk)
        rows = [LibraryEntry(doc, len(document_outline(document_pieces(chunks.get(doc.doc_id, [])))),
                             len(chunks.get(doc.doc_id, [])))
                for doc in pipeline.catalog.documents]
        return sorted(rows, key=lambda row: (row.document.body, row.document.year, row.document.doc_id))

    def document_text(self, doc_id: str) -> DocumentText | None:
        """A document's sections and outline from the loaded index, or None when the index has no such document."""
        pipeline = self._require()
        try:
            document = pipeline.catalog.document(doc_id)
        except ValueError:
            return None
        pieces = document_pieces([chunk for chunk in pipeline.chunks if chunk.doc_id == doc_id])
        return DocumentText(document, pieces, document_outline(pieces))

    def add_document(self, source: Path, filename: str, body: str, title_zh: str, title_en: str, year: int,
                     body_names: dict | None = None) -> Document:
        """Add one document (rag.corpus.ingest) and reindex, together. A new body comes with `body_names`
        (name_zh, name_en, short_zh, short_en), as ingest takes them."""
        return self._change(lambda change: change.add(
            source, filename, body=body, title_zh=title_zh, title_en=title_en, year=year,
            max_bytes=MAX_UPLOAD_BYTES, body_names=body_names, **self._chunk_sizes()))

    def replace_document(self, doc_id: str, source: Path, filename: str) -> Document:
        """Put a new file in place of a document's (same id, body and year) and reindex, together."""
        return self._change(lambda change: change.replace(doc_id, source, filename, max_bytes=MAX_UPLOAD_BYTES,
                                                          **self._chunk_sizes()))

    def remove_document(self, doc_id: str) -> Document:
        """Take a document out of the corpus and the index, together."""
        return self._change(lambda change: change.remove(doc_id))

    def _chunk_sizes(self) -> dict[str, int]:
        return {"chunk_max_chars": self.settings.chunk_max_chars, "chunk_min_chars": self.settings.chunk_min_chars}

    def _change(self, step: Callable[[CorpusChange], Document]) -> Document:
        """Make one library change and rebuild the index inside it: both happen, or neither.

        The rebuild works on a copy of the pipeline while questions go on against the old one (answers come from
        the index in memory, not from the corpus files); only the swap holds questions back. A refused step
        raises DocumentRejected; a failed rebuild undoes the change and raises RebuildFailed.
        """
        self._require()
        with self._changing:
            pipeline = self._pipeline  # the one the change before this left
            self._updating = True
            self.version += 1  # open pages show that the library is being updated …
            try:
                with corpus_change(self.settings.corpus_dir) as change:
                    document = step(change)
                    try:
                        rebuilt = pipeline.refreshed()
                    except Exception as exc:
                        log.exception("rebuilding the index after a library change failed")
                        raise RebuildFailed(f"The index could not be rebuilt ({exc}); the change was undone.") \
                            from exc
                with self._lock.writing():
                    self._pipeline = rebuilt
                    self.catalog = rebuilt.catalog
            except CorpusError as exc:
                raise DocumentRejected(str(exc)) from exc
            finally:
                self._updating = False
                self.version += 1  # … and then its new state (or its old one, when the change was refused)
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

    def export_briefing(self, items: Sequence[briefing.BriefingItem], fmt: str, title: str,
                        labels: briefing.BriefingLabels, stem: str = "briefing") -> Path:
        """Write pinned quotes as Markdown ("md") or DOCX with Word footnotes ("docx"); returns the file."""
        path = Path(tempfile.mkdtemp(dir=self._export_dir)) / f"{stem}.{fmt}"
        if fmt == "md":
            path.write_text(briefing.to_markdown(items, self.catalog, title, labels), encoding="utf-8")
            return path
        if fmt == "docx":
            return briefing.to_docx(items, path, self.catalog, title, labels)
        raise ValueError(f"Unknown export format {fmt!r}: use md or docx.")


def _default_factory(settings: Settings, progress: Callable[[str], None]) -> Pipeline:
    return Pipeline(settings, progress=progress)
