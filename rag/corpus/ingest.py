"""Adding an uploaded document to the corpus: validate it, store it under a content-hash id, list it in the catalog.

The upload is all-or-nothing. The document file is written aside and renamed into place first, then the catalog
(the old text plus one appended block, so its comments survive) is written aside, checked with `load_catalog` and
renamed over the old one. A crash between the two steps leaves at worst an unlisted file, never an entry whose file is
missing; any failure after the file was placed removes it again.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import tomli_w

from rag.config import Settings
from rag.corpus.catalog import (
    NAME_CONTROL,
    Body,
    Catalog,
    CatalogError,
    Document,
    catalog_from_data,
    check_body_code,
    load_catalog,
)
from rag.corpus.loader import read_text
from rag.corpus.passages import document_chunks

try:  # POSIX: an advisory lock on the corpus folder serialises uploads across processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class CorpusError(ValueError):
    """An upload was refused; the message says what was wrong and what to do."""


ALLOWED_EXTENSIONS = (".txt", ".pdf", ".docx")
YEAR_RANGE = (1990, 2100)
HASH_CHARS = 16

_ID_PREFIX = re.compile(r"(\d+)_")
_BODY_NAME_KEYS = {"name_zh", "name_en", "short_zh", "short_en"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and other legacy Office files
_THREAD_LOCK = threading.RLock()
_HELD = threading.local()  # how deep this thread is inside _corpus_lock (a library change calls add inside one)


def add_document(
    corpus_dir: Path,
    source: Path,
    filename: str,
    body: str,
    title_zh: str,
    title_en: str,
    year: int,
    kind: str = "submission",
    max_bytes: int = 20_000_000,
    body_names: dict | None = None,
    chunk_max_chars: int = Settings.chunk_max_chars,
    chunk_min_chars: int = Settings.chunk_min_chars,
) -> Document:
    """Check the uploaded file at `source` (sent as `filename`) and add it to the corpus; return its catalog entry.

    `filename` only tells the file type; it is never used as a path. The stored file is `<NNN>_<sha256[:16]><ext>`.
    A new body code needs `body_names={"name_zh": ..., "name_en": ...}` (optionally `short_zh`/`short_en` lists).
    A document that yields no passage with the index's chunk sizes (`chunk_max_chars`, `chunk_min_chars` from
    Settings) is refused: it could never be found.
    """
    corpus_dir = Path(corpus_dir)
    ext = _extension_of(filename)
    title_zh, title_en, kind = _check_text_fields(title_zh, title_en, kind)
    _check_year(year)
    data = _read_upload(Path(source), filename, max_bytes)
    _check_content_type(data, filename, ext, max_bytes)
    digest = hashlib.sha256(data).hexdigest()

    with _corpus_lock(corpus_dir):
        catalog = _load_current_catalog(corpus_dir)
        code, new_body = _resolve_body(catalog, body, body_names)
        _check_not_duplicate(catalog, digest)
        staged = _write_aside(corpus_dir, data, suffix=ext, prefix=".upload-")
        placed: Path | None = None
        try:
            text = _check_extracts_to_text(staged, filename)
            doc_id = f"{_next_prefix(catalog, corpus_dir):03d}_{digest[:HASH_CHARS]}"
            target = corpus_dir / f"{doc_id}{ext}"
            if target.exists():
                raise CorpusError(f"A file named {target.name} is already in {corpus_dir}; remove it and try again.")
            entry = {
                "id": doc_id,
                "file": target.name,
                "body": code,
                "title_zh": title_zh,
                "title_en": title_en,
                "year": year,
                "date": str(year),
                "kind": kind,
            }
            new_text = _catalog_with(corpus_dir, entry, new_body)
            document = _verify_catalog(corpus_dir, new_text, entry, new_body)
            _check_yields_passages(text, document, filename, chunk_max_chars, chunk_min_chars)
            _match_mode(staged, corpus_dir / "catalog.toml")
            os.replace(staged, target)
            placed = target
            _fsync_dir(corpus_dir)
            _replace_catalog(corpus_dir, new_text)
            placed = None  # listed in the catalog now: the file must stay
            _fsync_dir(corpus_dir)
        except BaseException:
            for leftover in (staged, placed):
                if leftover is not None:
                    leftover.unlink(missing_ok=True)
            raise
    return document


def _extension_of(filename: str) -> str:
    """The lower-case extension of an uploaded name, after refusing anything that looks like a path."""
    if not isinstance(filename, str) or not filename.strip():
        raise CorpusError("The upload has no file name; give the document's file name, e.g. submission.pdf.")
    if any(sep in filename for sep in ("/", "\\")) or filename in (".", ".."):
        raise CorpusError(
            f"The file name {filename!r} contains folder parts; give only the file's own name, e.g. submission.pdf."
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in filename):
        raise CorpusError(f"The file name {filename!r} contains control characters; rename the file and try again.")
    stem, dot, ext = filename.rpartition(".")
    ext = f".{ext.lower()}" if dot and stem else ""
    if ext not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(ALLOWED_EXTENSIONS[:-1]) + f" or {ALLOWED_EXTENSIONS[-1]}"
        raise CorpusError(f"{filename} is not a supported type; upload a {allowed} file.")
    return ext


def _check_text_fields(title_zh: str, title_en: str, kind: str) -> tuple[str, str, str]:
    if not isinstance(title_zh, str) or not title_zh.strip():
        raise CorpusError("The Chinese title (title_zh) is empty; give the document's title as printed on it.")
    if title_en is not None and not isinstance(title_en, str):
        raise CorpusError("The English title (title_en) must be text; leave it empty if there is none.")
    if not isinstance(kind, str) or not kind.strip():
        raise CorpusError("The document kind is empty; give one such as submission or research_report.")
    return title_zh.strip(), (title_en or "").strip(), kind.strip()


def _check_year(year: int) -> None:
    low, high = YEAR_RANGE
    if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
        raise CorpusError(f"The year {year!r} is not a year between {low} and {high}; give the publication year.")


def _read_upload(source: Path, filename: str, max_bytes: int) -> bytes:
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise CorpusError(f"The size limit {max_bytes!r} must be a positive number of bytes.")
    try:
        size = source.stat().st_size
        if size > max_bytes:
            raise CorpusError(_too_large(filename, size, max_bytes))
        with source.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise CorpusError(f"The upload of {filename} cannot be read ({exc.strerror}); upload it again.") from exc
    if len(data) > max_bytes:
        raise CorpusError(_too_large(filename, len(data), max_bytes))
    if not data:
        raise CorpusError(f"{filename} is empty (0 bytes); check the file and upload it again.")
    return data


def _too_large(filename: str, size: int, max_bytes: int) -> str:
    return (
        f"{filename} is {size:,} bytes, over the {max_bytes:,}-byte limit; "
        "split the document or save it without embedded images."
    )


def _check_content_type(data: bytes, filename: str, ext: str, max_bytes: int) -> None:
    """Refuse a file whose bytes are not the type its extension claims, naming what it looks like instead."""
    if data.startswith(_OLE_MAGIC):
        raise CorpusError(f"{filename} is an old Word 97-2003 (.doc) file; open it in Word, save it as .docx, retry.")
    looks_pdf = data.startswith(b"%PDF-")
    if ext == ".txt":
        if looks_pdf:
            raise CorpusError(f"{filename} is a PDF, not plain text; upload it with a .pdf extension.")
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise CorpusError(f"{filename} is a zip archive (perhaps a .docx), not plain text; upload the .docx file.")
    elif ext == ".pdf" and not looks_pdf:
        raise CorpusError(f"{filename} does not start like a PDF (%PDF-); export the document as PDF and retry.")
    elif ext == ".docx":
        _check_docx_package(data, filename, max_bytes)


def _check_docx_package(data: bytes, filename: str, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorpusError(f"{filename} is not a DOCX file (not a zip package); save it from Word as .docx.") from exc
    if "word/document.xml" not in {member.filename for member in members}:
        raise CorpusError(f"{filename} is a zip without word/document.xml, so not a Word document; save it as .docx.")
    # what it unpacks to is checked, declared and actual, by the loader before anything is extracted


_EXTRACT_ADVICE = {
    ".txt": "Save it as UTF-8 text and upload it again.",
    ".pdf": "Export it again as a PDF with a text layer (run OCR on scans), or upload the text as .txt.",
    ".docx": "Open it in Word, save a fresh .docx and upload it again.",
}


def _check_extracts_to_text(staged: Path, filename: str) -> str:
    advice = _EXTRACT_ADVICE[staged.suffix]
    try:
        text = read_text(staged)
    except Exception as exc:  # any parser failure on an untrusted upload is the file's problem, not ours
        reason = str(exc).replace(staged.name, filename)
        if not reason.startswith(filename):
            reason = f"{filename}: cannot be read ({reason or type(exc).__name__})."
        raise CorpusError(f"{reason} {advice}") from exc
    if not text.strip():
        raise CorpusError(f"{filename} contains no text; check that the right file was chosen. {advice}")
    return text


def _check_yields_passages(text: str, document: Document, filename: str, max_chars: int, min_chars: int) -> None:
    """Refuse a document the index would hold no passage of (the same chunking as the index build decides)."""
    if not document_chunks(text, document, [], max_chars, min_chars):
        raise CorpusError(
            f"{filename} yields no passage to index: once page headers, footers and the title block are set aside, "
            f"no paragraph of text is left (it has {len(text.strip()):,} characters). "
            "Check that the right file was chosen and that it holds the document's full text."
        )


def _load_current_catalog(corpus_dir: Path) -> Catalog:
    try:
        return load_catalog(corpus_dir)
    except CatalogError as exc:
        raise CorpusError(f"The corpus catalog is unusable, so nothing can be added until it is fixed: {exc}") from exc


def _resolve_body(catalog: Catalog, body: str, body_names: dict | None) -> tuple[str, dict | None]:
    """The body code to file the document under, and the [bodies.CODE] table to add if it is new."""
    given = body.strip() if isinstance(body, str) else ""
    known = ", ".join(catalog.body_codes())
    if (code := catalog.body_code(given)) is not None:  # codes match in any case: fhki is FHKI
        existing = catalog.bodies[code]
        if body_names and any(_renames(existing, key, body_names.get(key)) for key in _BODY_NAME_KEYS):
            raise CorpusError(
                f"Body {code} already exists as {existing.name_zh} / {existing.name_en}; "
                "leave the names out to use it, or choose a new code."
            )
        return code, None
    if not body_names:
        raise CorpusError(
            f"Body {given!r} is not in the catalog (known: {known}); pick one of these, "
            "or give a new code with its Chinese and English names."
        )
    try:
        code = check_body_code(given, "The new body").upper()
    except CatalogError as exc:
        raise CorpusError(str(exc)) from None
    unknown = set(body_names) - _BODY_NAME_KEYS
    if unknown:
        raise CorpusError(f"Body details have unknown fields {sorted(unknown)}; use {sorted(_BODY_NAME_KEYS)}.")
    table: dict = {}
    for key in ("name_zh", "name_en"):
        value = body_names.get(key)
        if not isinstance(value, str) or not value.strip():
            raise CorpusError(f"The new body {code} needs a non-empty {key}; give its full name.")
        table[key] = _body_name(value, code, key)
    for key in ("short_zh", "short_en"):
        names = body_names.get(key) or []
        if isinstance(names, str) or not all(isinstance(name, str) and name.strip() for name in names):
            raise CorpusError(f"The {key} of body {code} must be a list of non-empty names.")
        if names:
            table[key] = list(dict.fromkeys(_body_name(name, code, key) for name in names))
    _check_names_are_new(catalog, code, table)
    return code, table


def _renames(body: Body, key: str, given: object) -> bool:
    """Whether a name field given for an existing body says something the catalog does not (empty says nothing)."""
    if not given:
        return False
    have = getattr(body, key, None)
    if isinstance(have, tuple):
        return isinstance(given, str) or not set(given) <= set(have)
    return given != have


def _body_name(value: str, code: str, key: str) -> str:
    if NAME_CONTROL.search(value):
        raise CorpusError(f"The {key} of body {code} contains control characters (a tab, a line break …); "
                          "type the name on one line.")
    return value.strip()


def _check_names_are_new(catalog: Catalog, code: str, table: dict) -> None:
    """A question names a body by any of its names, so no name of a new body may be another body's name."""
    owners = {name.casefold(): body.code for body in catalog.bodies.values() for name in body.names()}
    for name in (code, table["name_zh"], table["name_en"], *table.get("short_zh", []), *table.get("short_en", [])):
        if (owner := owners.get(name.casefold())) is not None:
            raise CorpusError(f"{name} is already a name of body {owner}; file the document under {owner}, "
                              "or give the new body names of its own.")


def _check_not_duplicate(catalog: Catalog, digest: str) -> None:
    short = digest[:HASH_CHARS]
    for doc in catalog.documents:
        if doc.doc_id.endswith(f"_{short}") or _sha256_of(catalog.path_of(doc)) == digest:
            raise CorpusError(f"This file is already in the corpus as {doc.doc_id} ({doc.title_zh}); nothing added.")


def _sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _next_prefix(catalog: Catalog, corpus_dir: Path) -> int:
    """One past the highest NNN_ prefix in the catalog or the folder; gaps are not reused, old ids stay unique."""
    names = [doc.doc_id for doc in catalog.documents] + [path.name for path in corpus_dir.iterdir()]
    numbers = [int(match.group(1)) for name in names if (match := _ID_PREFIX.match(name))]
    return max(numbers, default=-1) + 1


def _catalog_with(corpus_dir: Path, entry: dict, new_body: dict | None) -> str:
    """The current catalog text with the new entry (and body) appended, so existing comments and layout survive."""
    text = (corpus_dir / "catalog.toml").read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    if new_body is not None:
        text += "\n" + tomli_w.dumps({"bodies": {entry["body"]: new_body}})
    return text + "\n[[documents]]\n" + tomli_w.dumps(entry)


def _verify_catalog(corpus_dir: Path, new_text: str, entry: dict, new_body: dict | None) -> Document:
    """Check the candidate catalog before anything in the corpus changes.

    tomllib must read it as the old catalog plus exactly the new entry (and body); then the catalog checks must accept
    it, with the staged upload counted under its final name.
    """
    old = tomllib.loads((corpus_dir / "catalog.toml").read_text(encoding="utf-8"))
    expected = {**old, "documents": [*old.get("documents", []), entry]}
    if new_body is not None:
        expected["bodies"] = {**old.get("bodies", {}), entry["body"]: new_body}
    try:
        parsed = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"The updated catalog would not parse ({exc}); nothing was added.") from exc
    if parsed != expected:
        raise CorpusError("Appending to catalog.toml would change existing entries; check its last lines by hand.")
    try:
        catalog = catalog_from_data(parsed, corpus_dir, pending=frozenset({entry["file"]}))
    except CatalogError as exc:
        raise CorpusError(f"The updated catalog would not load ({exc}); nothing was added.") from exc
    return catalog.document(entry["id"])


def _replace_catalog(corpus_dir: Path, new_text: str) -> None:
    path = corpus_dir / "catalog.toml"
    staged = _write_aside(corpus_dir, new_text.encode("utf-8"), suffix=".toml.part", prefix=".catalog-")
    try:
        _match_mode(staged, path)
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _write_aside(corpus_dir: Path, data: bytes, suffix: str, prefix: str) -> Path:
    """Write `data` to a new hidden file in the corpus folder (same file system, so a rename is atomic)."""
    fd, name = tempfile.mkstemp(dir=corpus_dir, prefix=prefix, suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _match_mode(path: Path, like: Path) -> None:
    """mkstemp makes private (0600) files; give the new file the catalog's permissions instead."""
    os.chmod(path, like.stat().st_mode & 0o777)


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable, so a crash cannot reorder 'file placed' after 'catalog updated'."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _corpus_lock(corpus_dir: Path) -> Iterator[None]:
    """One change at a time per corpus: two concurrent adds would otherwise pick the same prefix or lose an entry.

    Re-entrant in one thread: a library change (rag.corpus.changes) holds it from its first step to its commit,
    and the add it makes takes it again.
    """
    if not corpus_dir.is_dir():
        raise CorpusError(f"The corpus folder {corpus_dir} does not exist; check the configured corpus path.")
    with _THREAD_LOCK:
        depth = getattr(_HELD, "depth", 0)
        _HELD.depth = depth + 1
        try:
            if depth or fcntl is None:
                yield
                return
            fd = os.open(corpus_dir, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the lock
        finally:
            _HELD.depth = depth
