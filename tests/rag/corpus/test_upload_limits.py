"""Uploads that would unpack to far more than they weigh are refused at once, before any extraction."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from rag.corpus.ingest import CorpusError, add_document
from rag.corpus.loader import DecodeError, check_unpacked_size
from tests.rag.corpus.pdfs import page_pdf


def bomb(path: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as stream:
            block = b"<w:p><w:r><w:t>aaaa</w:t></w:r></w:p>" * 27_000
            for _ in range(megabytes):
                stream.write(block)
    return path


def test_a_docx_bomb_is_refused_quickly_and_the_corpus_is_unchanged(small_corpus: Path, tmp_path: Path) -> None:
    upload = bomb(tmp_path / "bomb.docx", 200)
    assert upload.stat().st_size < 2_000_000
    catalog_before = (small_corpus / "catalog.toml").read_bytes()
    files_before = sorted(p.name for p in small_corpus.iterdir())
    started = time.perf_counter()
    with pytest.raises(CorpusError, match="zip bomb"):
        add_document(small_corpus, upload, "bomb.docx", "CMA", "測試", "test", 2024)
    assert time.perf_counter() - started < 2
    assert (small_corpus / "catalog.toml").read_bytes() == catalog_before
    assert sorted(p.name for p in small_corpus.iterdir()) == files_before


def test_declared_sizes_that_lie_are_refused_too(tmp_path: Path, monkeypatch) -> None:
    upload = bomb(tmp_path / "liar.docx", 60)
    real_infolist = zipfile.ZipFile.infolist

    def lying_infolist(self):
        members = real_infolist(self)
        for member in members:
            member.file_size = 10  # what a crafted archive may claim
        return members

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    started = time.perf_counter()
    with pytest.raises(DecodeError, match="zip bomb|not a readable DOCX"):  # zipfile stops at the declared size
        check_unpacked_size(upload)
    assert time.perf_counter() - started < 2


def test_an_ordinary_docx_passes(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("本會建議發展無人機。" * 200)
    path = tmp_path / "ok.docx"
    document.save(path)
    check_unpacked_size(path)


def pdf_with_stream(path: Path, content: bytes) -> Path:
    """A one-page PDF whose page content is `content`, Flate-compressed."""
    path.write_bytes(page_pdf(content, flate=True))
    return path


def test_a_pdf_bomb_is_refused_quickly_and_the_corpus_is_unchanged(small_corpus: Path, tmp_path: Path) -> None:
    upload = pdf_with_stream(tmp_path / "bomb.pdf", b"BT /F1 12 Tf 72 712 Td (" + b"a" * 60_000_000 + b") Tj ET")
    assert upload.stat().st_size < 1_000_000
    catalog_before = (small_corpus / "catalog.toml").read_bytes()
    started = time.perf_counter()
    with pytest.raises(CorpusError, match="decompression bomb"):
        add_document(small_corpus, upload, "bomb.pdf", "CMA", "測試", "test", 2024)
    assert time.perf_counter() - started < 2
    assert (small_corpus / "catalog.toml").read_bytes() == catalog_before


def test_an_ordinary_pdf_is_read(tmp_path: Path) -> None:
    from rag.corpus.loader import read_text

    path = pdf_with_stream(tmp_path / "ok.pdf", b"BT /F1 12 Tf 72 712 Td (We propose a food park.) Tj ET")
    assert "We propose a food park." in read_text(path)
