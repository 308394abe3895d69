"""The UI's service over a fake pipeline: streaming with history, start-up, locking."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import Settings
from rag.corpus.catalog import load_catalog
from rag.types import Answer
from ui.service import NotReady, PipelineService, ReadWriteLock


def make_answer(question: str, text: str = "line one\nline two [1]") -> Answer:
    return Answer(question=question, language="en", mode="lexical", answer=text, bodies=[], sources=[])


class FakePipeline:
    """Pipeline's interface (ask and stream with history), answering at once."""

    def __init__(self, settings: Settings, progress=None) -> None:
        self.catalog = load_catalog(settings.corpus_dir)
        self.notices: list[str] = []
        self.chunks: list = []
        self.calls: list[dict] = []
        if progress:
            progress("building the index")

    def ask(self, question, history=None, **kwargs) -> Answer:
        self.calls.append({"history": history, **kwargs})
        return make_answer(question)

    def stream(self, question, history=None, **kwargs) -> Iterator[str | Answer]:
        self.calls.append({"history": history, "stream": True, **kwargs})
        yield "CMA "
        yield "proposes it."
        yield make_answer(question, "CMA proposes it.")


def started(factory, corpus_dir: Path, tmp_path: Path) -> PipelineService:
    svc = PipelineService(Settings(corpus_dir=corpus_dir, index_dir=tmp_path), pipeline_factory=factory)
    svc.start()
    assert svc.wait(10)
    return svc


@pytest.mark.corpus
def test_stream_and_history_are_used_when_the_pipeline_offers_them(corpus_dir, tmp_path) -> None:
    svc = started(FakePipeline, corpus_dir, tmp_path)
    earlier = make_answer("earlier")
    items = list(svc.ask_stream("q", history=[("earlier", earlier)]))
    assert items[:2] == ["CMA ", "proposes it."] and items[2].answer == "CMA proposes it."
    assert svc._pipeline.calls[0]["history"] == [("earlier", earlier)] and svc._pipeline.calls[0]["stream"]


@pytest.mark.corpus
def test_asking_before_the_index_is_ready_says_so(corpus_dir, tmp_path) -> None:
    gate = threading.Event()

    def slow(settings, progress):
        progress("indexing 263 chunks")
        gate.wait(5)
        return FakePipeline(settings)

    svc = PipelineService(Settings(corpus_dir=corpus_dir, index_dir=tmp_path), pipeline_factory=slow)
    svc.start()
    time.sleep(0.1)
    assert "indexing 263 chunks" in svc.status().message and not svc.status().ready
    with pytest.raises(NotReady, match="Building the index"):
        next(svc.ask_stream("q"))
    gate.set()
    assert svc.wait(5) and svc.status().ready


@pytest.mark.corpus
def test_a_failed_build_is_reported_not_raised(corpus_dir, tmp_path) -> None:
    def broken(settings, progress):
        raise ValueError("the catalog names a missing file")

    svc = PipelineService(Settings(corpus_dir=corpus_dir, index_dir=tmp_path), pipeline_factory=broken)
    svc.start()
    assert not svc.wait(2)
    assert svc.status().failed and "missing file" in svc.status().message


def test_a_corpus_change_waits_for_questions_being_answered() -> None:
    lock, events = ReadWriteLock(), []

    def change_corpus() -> None:
        with lock.writing():
            events.append("write")

    with lock.reading():
        writer = threading.Thread(target=change_corpus)
        writer.start()
        time.sleep(0.05)
        events.append("read done")
    writer.join(1)
    assert events == ["read done", "write"]


def real_answer(shared_pipeline) -> Answer:
    return shared_pipeline.ask("Which bodies propose a food industrial park?")


@pytest.mark.corpus
def test_export_writes_markdown_and_docx_through_rag_export(corpus_dir, tmp_path, shared_pipeline) -> None:
    svc = PipelineService(Settings(corpus_dir=corpus_dir, index_dir=tmp_path))
    answer = real_answer(shared_pipeline)
    markdown = svc.export([answer], "md", "HK Policy QA: conversation", "conversation")
    assert markdown.name == "conversation.md" and answer.question in markdown.read_text("utf-8")
    docx = svc.export([answer], "docx", "HK Policy QA: conversation", "conversation")
    assert docx.suffix == ".docx" and docx.stat().st_size > 0
    with pytest.raises(ValueError, match="md or docx"):
        svc.export([answer], "pdf", "t", "x")


@pytest.mark.corpus
def test_added_document_is_searchable_and_a_refused_one_says_why(small_corpus, tmp_path) -> None:
    from ui.service import DocumentRejected

    svc = PipelineService(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index"))
    svc.start()
    assert svc.wait(120)
    upload = tmp_path / "upload" / "moon.txt"
    upload.parent.mkdir()
    upload.write_text("月球芝士研究報告\n\n1. 設立月球芝士研究院\n本會建議設立「月球芝士研究院」。\n", "utf-8")
    document = svc.add_document(upload, "moon.txt", "FHKI", "月球芝士研究報告", "Moon cheese report", 2026)
    assert document.doc_id in {d.doc_id for d in svc.catalog.documents}
    assert any(s.doc_id == document.doc_id for s in svc.ask("月球芝士研究院").sources)
    bad = tmp_path / "upload" / "evil.exe"
    bad.write_bytes(b"MZ\x90\x00")
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(DocumentRejected):
        svc.add_document(bad, "../../evil.exe", "FHKI", "惡意", "", 2026)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, inside the corpus or outside it
