"""Reading documents: detect the encoding, decode, and say clearly when a file cannot be read."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """A file could not be decoded as text."""


_BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode a text file of unknown encoding (UTF-8, Big5, GB18030, UTF-16 …)."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError(f"{name}: cannot be decoded as text (no encoding fits; is it a binary file?).")
    text = str(best)
    # charset-normalizer may accept binary noise as some single-byte code page; reject text full of controls.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise DecodeError(f"{name}: does not look like text (guessed encoding {best.encoding}, many control bytes).")
    return text


def read_text(path: Path) -> str:
    """Read a document as text; PDF and DOCX are extracted, everything else decoded."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix == ".docx":
        return _read_docx(path)
    return decode_bytes(path.read_bytes(), str(path.name))


# What a PDF's text layer spells differently from what its page shows: CJK fonts (Noto CJK and others, as Chrome
# and Word embed them) map common ideographs to the look-alike Kangxi radicals (⼀ U+2F00 for 一, ⼗ for 十, ⼈ for
# 人), and Latin ligatures come out as one character (ﬁ). NFKC gives back the characters the page shows; it is
# applied to these characters only, so the full-width punctuation of Chinese text stays as printed.
_LOOK_ALIKES = re.compile(r"[\u2f00-\u2fd5\ufb00-\ufb06]")


def repair_extracted(text: str) -> str:
    """Text extracted from a PDF with Kangxi radicals and ligatures written as the characters a reader sees."""
    return _LOOK_ALIKES.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def _read_pdf(path: Path) -> str:
    """The text of each page. Every decompression is bounded by the same limit as a DOCX's unpacked size
    (proportional to the file, with a hard cap): pypdf's own per-stream limits are 75 MB each."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    limit = unpacked_limit(path)
    bounded = dict.fromkeys(
        ("zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
         "array_based_stream_maximum_output_length", "brotli_maximum_output_length", "jbig2_maximum_output_length",
         "image_maximum_buffer_size", "stream_decoding_work_maximum_length", "maximum_declared_stream_length"),
        limit,
    )
    pages, total = [], 0
    try:
        with apply_configuration(**bounded):
            reader = PdfReader(str(path))
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if total > limit:
                    raise LimitReachedError("text")
    except LimitReachedError as exc:
        raise DecodeError(f"{path.name}: decompresses to more than {limit // 1_000_000} MB; it is refused as a "
                          "possible decompression bomb (print it to PDF again).") from exc
    except (PyPdfError, OSError, ValueError, RecursionError) as exc:
        raise DecodeError(f"{path.name}: not a readable PDF ({exc}).") from exc
    text = repair_extracted("\n\f".join(pages))  # a form feed between pages, as printed text has
    if not text.strip():
        raise DecodeError(f"{path.name}: the PDF has no extractable text (scanned images need OCR first).")
    return text


# A DOCX is a zip of XML, a PDF holds compressed streams. What either expands to is bounded while it is read: at
# most this many times its own size, never more than the hard cap (a small file that unpacks to gigabytes is a bomb).
DOCX_MAX_RATIO = 100
DOCX_MAX_UNPACKED = 40_000_000


def unpacked_limit(path: Path, max_ratio: int = DOCX_MAX_RATIO, cap: int = DOCX_MAX_UNPACKED) -> int:
    """Bytes a compressed document may expand to: `max_ratio` × its size (at least 2 MB), at most `cap`."""
    return min(cap, max(2_000_000, max_ratio * path.stat().st_size))


def check_unpacked_size(path: Path, max_ratio: int = DOCX_MAX_RATIO, cap: int = DOCX_MAX_UNPACKED) -> None:
    """Refuse a zip-based document that unpacks to more than `max_ratio` × its size or `cap` bytes: the
    declared sizes first, then the bytes actually inflated, stopping as soon as the limit is passed."""
    import zipfile

    limit = unpacked_limit(path, max_ratio, cap)
    too_big = DecodeError(f"{path.name}: unpacks to more than {limit // 1_000_000} MB; it is refused as a "
                          "possible zip bomb (save it again from Word, or as PDF).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > limit:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise DecodeError(f"{path.name}: not a readable DOCX file ({exc}).") from exc


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    from rag.corpus.word import document_text

    check_unpacked_size(path)
    try:
        return document_text(docx.Document(str(path)))
    except (PackageNotFoundError, KeyError, ValueError, OSError, etree.LxmlError) as exc:
        raise DecodeError(f"{path.name}: not a readable DOCX file ({exc}).") from exc
