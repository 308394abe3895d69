from __future__ import annotations

import hashlib
import io
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from rag.corpus import ingest as corpus_admin
from rag.corpus.catalog import load_catalog
from rag.corpus.ingest import CorpusError, add_document
from rag.corpus.loader import read_text
from tests.rag.corpus.pdfs import page_pdf

pytestmark = pytest.mark.corpus

SUBMISSION = (
    "香港總商會對2025年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立專項基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。"
    "同時應完善人才政策，吸引海外專業人士來港工作，提升香港的國際競爭力。\n\n"
    "二、鞏固金融中心地位\n\n"
    "本會建議擴大人民幣業務，發展綠色金融，並推動家族辦公室在港落戶。\n"
)


@pytest.fixture
def corpus(corpus_dir: Path, tmp_path: Path) -> Path:
    """A full copy of the shipped corpus, safe to modify."""
    target = tmp_path / "corpus"
    target.mkdir()
    for path in corpus_dir.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def upload(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def add(corpus: Path, source: Path, filename: str, **overrides):
    fields = {"body": "CMA", "title_zh": "測試文件", "title_en": "Test document", "year": 2025}
    return add_document(corpus, source, filename, **{**fields, **overrides})


def text_pdf(text: str, flate: bool = False) -> bytes:
    """A minimal one-page PDF whose content stream draws `text` in Helvetica (ASCII only), Flate-compressed if
    asked (written by hand: the offsets are real)."""
    return page_pdf(f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii"), flate)


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- accepted uploads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "big5"])
def test_text_upload_is_stored_under_next_prefix_and_content_hash(corpus: Path, tmp_path: Path, encoding: str) -> None:
    data = SUBMISSION.encode(encoding)
    doc = add(corpus, upload(tmp_path, data), "總商會意見書.TXT")

    digest = hashlib.sha256(data).hexdigest()
    assert doc.doc_id == f"005_{digest[:16]}"
    assert doc.file == f"{doc.doc_id}.txt"
    assert (corpus / doc.file).read_bytes() == data
    assert read_text(corpus / doc.file) == SUBMISSION
    assert (doc.body, doc.title_zh, doc.title_en, doc.year, doc.date, doc.kind) == (
        "CMA",
        "測試文件",
        "Test document",
        2025,
        "2025",
        "submission",
    )
    catalog = load_catalog(corpus)
    assert catalog.document(doc.doc_id) == doc
    assert len(catalog.documents) == 6


def test_catalog_comments_and_existing_text_survive_an_add(corpus: Path, tmp_path: Path) -> None:
    before = (corpus / "catalog.toml").read_text(encoding="utf-8")
    add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt")
    after = (corpus / "catalog.toml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after.splitlines()[0].startswith("# One entry per document.")


def test_stored_file_gets_catalog_permissions_and_no_temp_files_remain(corpus: Path, tmp_path: Path) -> None:
    doc = add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt")
    mode = (corpus / "catalog.toml").stat().st_mode & 0o777
    assert (corpus / doc.file).stat().st_mode & 0o777 == mode
    assert not [path.name for path in corpus.iterdir() if path.name.startswith(".")]


def test_second_add_takes_the_following_prefix(corpus: Path, tmp_path: Path) -> None:
    first = add(corpus, upload(tmp_path, SUBMISSION.encode(), "1.txt"), "a.txt")
    second = add(corpus, upload(tmp_path, (SUBMISSION + "三、其他\n").encode(), "2.txt"), "b.txt")
    assert first.doc_id.startswith("005_") and second.doc_id.startswith("006_")
    assert [d.doc_id for d in load_catalog(corpus).documents][-2:] == [first.doc_id, second.doc_id]


def test_pdf_with_a_text_layer_is_added(corpus: Path, tmp_path: Path) -> None:
    data = text_pdf("Hong Kong General Chamber of Commerce policy proposals")
    doc = add(corpus, upload(tmp_path, data), "chamber.pdf")
    assert doc.file.endswith(".pdf")
    assert "Chamber of Commerce" in read_text(corpus / doc.file)
    assert load_catalog(corpus).document(doc.doc_id).file == doc.file


def test_docx_is_added(corpus: Path, tmp_path: Path) -> None:
    data = docx_bytes(SUBMISSION.split("\n\n"))
    doc = add(corpus, upload(tmp_path, data), "意見書.docx", kind="research_report")
    assert doc.file == f"{doc.doc_id}.docx" and doc.kind == "research_report"
    assert "家族辦公室" in read_text(corpus / doc.file)
    assert load_catalog(corpus).document(doc.doc_id) == doc


def test_new_body_with_names_gets_a_bodies_table(corpus: Path, tmp_path: Path) -> None:
    names = {"name_zh": "香港總商會", "name_en": "Hong Kong General Chamber of Commerce", "short_zh": ["總商會"]}
    doc = add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt", body="HKGCC", body_names=names)
    catalog = load_catalog(corpus)
    assert doc.body == "HKGCC"
    assert catalog.bodies["HKGCC"].name_en == "Hong Kong General Chamber of Commerce"
    assert catalog.bodies["HKGCC"].short_zh == ("總商會",)
    assert catalog.bodies["CMA"].name_zh == "香港中華廠商聯合會"


def test_existing_body_code_is_matched_case_insensitively(corpus: Path, tmp_path: Path) -> None:
    assert add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt", body="fhki").body == "FHKI"


def test_concurrent_adds_both_land_in_the_catalog(corpus: Path, tmp_path: Path) -> None:
    sources = [upload(tmp_path, (SUBMISSION + f"附錄{i}\n").encode(), f"{i}.txt") for i in range(4)]
    errors: list[BaseException] = []

    def run(source: Path) -> None:
        try:
            add(corpus, source, source.name)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(source,)) for source in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    ids = [d.doc_id for d in load_catalog(corpus).documents]
    assert sorted(doc_id[:3] for doc_id in ids[5:]) == ["005", "006", "007", "008"]


# --- refused uploads leave the corpus byte-identical ------------------------------------------------------------


REFUSALS = {
    "wrong extension": (b"hello", "notes.rtf", {}, r"\.txt, \.pdf or \.docx"),
    "no extension": (b"hello", "README", {}, "not a supported type"),
    "empty file": (b"", "empty.txt", {}, "empty"),
    "binary garbage as txt": (bytes(range(256)) * 8, "garbage.txt", {}, "garbage.txt"),
    "pdf named txt": (text_pdf("hello"), "report.txt", {}, r"is a PDF.*\.pdf extension"),
    "text named pdf": (SUBMISSION.encode(), "fake.pdf", {}, r"fake\.pdf does not start like a PDF"),
    "image-only pdf": (blank_pdf(), "scan.pdf", {}, r"scan\.pdf.*no extractable text.*OCR"),
    "broken pdf": (b"%PDF-1.4\n" + bytes(range(256)) * 4, "broken.pdf", {}, "broken.pdf"),
    "text named docx": (SUBMISSION.encode(), "fake.docx", {}, r"fake\.docx is not a DOCX"),
    "zip that is not word": (b"", "archive.docx", {"zip_member": "x.txt"}, "word/document.xml"),
    "old word doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.docx", {}, r"Word 97-2003"),
    "docx without text": (docx_bytes([]), "blank.docx", {}, r"blank\.docx contains no text"),
    "unknown body without names": (SUBMISSION.encode(), "a.txt", {"body": "HKGCC"}, r"known: BPA, CMA, FHKI"),
    "bad new body code": (
        SUBMISSION.encode(),
        "a.txt",
        {"body": "hk-gcc", "body_names": {"name_zh": "總商會", "name_en": "Chamber"}},
        "2 to 10 letters",
    ),
    "new body without english name": (
        SUBMISSION.encode(),
        "a.txt",
        {"body": "HKGCC", "body_names": {"name_zh": "總商會"}},
        "name_en",
    ),
    "existing body renamed": (
        SUBMISSION.encode(),
        "a.txt",
        {"body": "CMA", "body_names": {"name_zh": "別名", "name_en": "Other"}},
        "already exists",
    ),
    "empty chinese title": (SUBMISSION.encode(), "a.txt", {"title_zh": "  "}, "title_zh"),
    "year too early": (SUBMISSION.encode(), "a.txt", {"year": 1989}, "between 1990 and 2100"),
    "year as text": (SUBMISSION.encode(), "a.txt", {"year": "2024"}, "between 1990 and 2100"),
    "too large": (SUBMISSION.encode(), "a.txt", {"max_bytes": 100}, "over the 100-byte limit"),
    "parent traversal": (SUBMISSION.encode(), "../../evil.txt", {}, "folder parts"),
    "absolute path": (SUBMISSION.encode(), "/etc/passwd", {}, "folder parts"),
    "subfolder": (SUBMISSION.encode(), "a/b.txt", {}, "folder parts"),
    "windows path": (SUBMISSION.encode(), "..\\..\\evil.txt", {}, "folder parts"),
    "nul in name": (SUBMISSION.encode(), "evil\0.txt", {}, "control characters"),
    "dot dot": (SUBMISSION.encode(), "..", {}, "folder parts"),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_refused_upload_leaves_corpus_byte_identical(corpus: Path, tmp_path: Path, case: str) -> None:
    data, filename, overrides, message = REFUSALS[case]
    overrides = dict(overrides)
    if member := overrides.pop("zip_member", None):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(member, "hello")
        data = buffer.getvalue()
    before = snapshot(corpus)
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CorpusError, match=message):
        add(corpus, upload(tmp_path, data), filename, **overrides)
    assert snapshot(corpus) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({*outside_before, "uploads"})
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_duplicate_content_names_the_existing_document(corpus: Path, tmp_path: Path) -> None:
    data = (corpus / "002_c6cbd0b05b50272d.txt").read_bytes()
    before = snapshot(corpus)
    with pytest.raises(CorpusError, match="already in the corpus as 002_c6cbd0b05b50272d"):
        add(corpus, upload(tmp_path, data), "copy.txt")
    assert snapshot(corpus) == before


def test_reupload_of_an_added_document_is_a_duplicate(corpus: Path, tmp_path: Path) -> None:
    source = upload(tmp_path, SUBMISSION.encode())
    doc = add(corpus, source, "a.txt")
    before = snapshot(corpus)
    with pytest.raises(CorpusError, match=f"already in the corpus as {doc.doc_id}"):
        add(corpus, source, "again.txt", body="FHKI")
    assert snapshot(corpus) == before


def test_failure_after_the_file_was_placed_removes_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst).name == "catalog.toml":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(corpus_admin.os, "replace", failing_replace)
    before = snapshot(corpus)
    with pytest.raises(OSError, match="No space"):
        add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt")
    assert snapshot(corpus) == before


def test_broken_catalog_is_reported_before_anything_is_written(corpus: Path, tmp_path: Path) -> None:
    (corpus / "catalog.toml").write_text("[[documents]\n", encoding="utf-8")
    before = snapshot(corpus)
    with pytest.raises(CorpusError, match="catalog is unusable"):
        add(corpus, upload(tmp_path, SUBMISSION.encode()), "a.txt")
    assert snapshot(corpus) == before


def test_missing_source_is_a_sentence_not_a_traceback(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="cannot be read.*upload it again"):
        add(corpus, tmp_path / "gone.txt", "gone.txt")
