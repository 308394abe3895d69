"""Library changes to the corpus: add, replace or remove a document, undoable until the index is rebuilt.

`corpus_change` holds the corpus lock from the first step to the end and yields a `CorpusChange`. Its steps write
the corpus the way ingest does (a new file written aside and renamed into place; the catalog edited as text, so
its comments survive, checked, and renamed over the old one), and a file taken out is first hard-linked to a hidden
backup. Until the change ends it can be undone: the UI rebuilds the index inside the change, and a failed rebuild
undoes it, so the corpus, the catalog and the index move together. At no point does the catalog name a missing
file; a crash leaves at worst a hidden backup or an unlisted file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import tomli_w

from rag.config import Settings
from rag.corpus.catalog import Catalog, CatalogError, Document, catalog_from_data
from rag.corpus.ingest import (
    CorpusError,
    _check_content_type,
    _check_extracts_to_text,
    _check_not_duplicate,
    _check_yields_passages,
    _corpus_lock,
    _extension_of,
    _fsync_dir,
    _load_current_catalog,
    _match_mode,
    _read_upload,
    _replace_catalog,
    _sha256_of,
    _write_aside,
    add_document,
)

_TABLE = re.compile(r"\s*\[")
_DOCUMENTS = re.compile(r"\s*\[\[\s*documents\s*\]\]\s*(#.*)?$")


class CorpusChange:
    """One change to a corpus folder, made step by step and undone as a whole (see the module's docstring)."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._catalog_path = self.corpus_dir / "catalog.toml"
        self._catalog_before = self._catalog_path.read_bytes() if self._catalog_path.is_file() else None
        self._placed: list[Path] = []  # files this change put into the corpus
        self._backups: list[tuple[Path, Path]] = []  # (a file this change took out or overwrote, its backup)

    # -- steps ----------------------------------------------------------------------------------------------
    def add(self, source: Path, filename: str, **fields: object) -> Document:
        """rag.corpus.ingest.add_document, remembered so it can be undone; same arguments after the file."""
        document = add_document(self.corpus_dir, source, filename, **fields)
        self._placed.append(self.corpus_dir / document.file)
        return document

    def remove(self, doc_id: str) -> Document:
        """Take a document out of the catalog and its file out of the corpus folder; returns its old entry."""
        catalog = _load_current_catalog(self.corpus_dir)
        document = _known(catalog, doc_id)
        if len(catalog.documents) == 1:
            raise CorpusError(f"{doc_id} is the only document of the corpus; add another before removing it.")
        path = catalog.path_of(document)
        self._back_up(path)
        self._write_catalog(doc_id, None)
        path.unlink()
        _fsync_dir(self.corpus_dir)
        return document

    def replace(self, doc_id: str, source: Path, filename: str, max_bytes: int = 20_000_000,
                chunk_max_chars: int = Settings.chunk_max_chars,
                chunk_min_chars: int = Settings.chunk_min_chars) -> Document:
        """Put a new file in place of a document's file: same id, body, year and titles; returns the new entry.

        The new file is checked as an upload is (type, size, text, passages) and may be of another type
        (a .pdf for a .txt): it is stored as `<doc_id><ext>`. The entry's `front_matter_lines` counted the old
        file's title block, so it is dropped: the parser finds the new file's title block itself, as for an add.
        """
        ext = _extension_of(filename)
        data = _read_upload(Path(source), filename, max_bytes)
        _check_content_type(data, filename, ext, max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        catalog = _load_current_catalog(self.corpus_dir)
        old = _known(catalog, doc_id)
        old_path = catalog.path_of(old)
        if _sha256_of(old_path) == digest:
            raise CorpusError(f"{filename} is the file {doc_id} already has; nothing replaced.")
        _check_not_duplicate(replace(catalog, documents=tuple(d for d in catalog.documents if d is not old)), digest)
        target = self.corpus_dir / f"{doc_id}{ext}"
        if target != old_path and target.exists():
            raise CorpusError(f"A file named {target.name} is already in {self.corpus_dir}; remove it and try again.")
        new = replace(old, file=target.name, front_matter_lines=None)
        staged = _write_aside(self.corpus_dir, data, suffix=ext, prefix=".upload-")
        try:
            text = _check_extracts_to_text(staged, filename)
            _check_yields_passages(text, new, filename, chunk_max_chars, chunk_min_chars)
            _match_mode(staged, old_path)
            self._back_up(old_path)
            os.replace(staged, target)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        if target != old_path:
            self._placed.append(target)
        if target != old_path or old.front_matter_lines is not None:
            self._write_catalog(doc_id, {"file": target.name, "front_matter_lines": None}, pending=target.name)
        if target != old_path:
            old_path.unlink()
        _fsync_dir(self.corpus_dir)
        return new

    # -- the end --------------------------------------------------------------------------------------------
    def undo(self) -> None:
        """Put the corpus folder back as it was before the first step: files first, then the catalog."""
        restored = set()
        for original, backup in reversed(self._backups):
            os.replace(backup, original)
            restored.add(original)
        if self._catalog_before is not None and self._catalog_path.read_bytes() != self._catalog_before:
            _replace_catalog(self.corpus_dir, self._catalog_before.decode("utf-8"))
        for path in self._placed:
            if path not in restored:
                path.unlink(missing_ok=True)
        _fsync_dir(self.corpus_dir)
        self._placed, self._backups = [], []

    def commit(self) -> None:
        """Keep the change: drop the backups."""
        for _, backup in self._backups:
            backup.unlink(missing_ok=True)
        self._placed, self._backups = [], []

    # -- helpers --------------------------------------------------------------------------------------------
    def _back_up(self, path: Path) -> None:
        """A hidden second name for `path` (a hard link, else a copy), so taking it out can be undone."""
        backup = self.corpus_dir / f".backup-{len(self._backups)}-{os.getpid()}-{path.name}"
        backup.unlink(missing_ok=True)
        try:
            os.link(path, backup)
        except OSError:  # a file system without hard links
            shutil.copy2(path, backup)
        self._backups.append((path, backup))

    def _write_catalog(self, doc_id: str, changes: dict | None, pending: str | None = None) -> None:
        """Rewrite the entry of `doc_id` with `changes` (a None value drops that key; no changes at all removes the
        entry), checked before it is renamed in."""
        text = self._catalog_path.read_text(encoding="utf-8")
        old = tomllib.loads(text)
        documents = old.get("documents", [])
        if changes is None:
            entry = None
            documents = [d for d in documents if d.get("id") != doc_id]
        else:
            entry = {key: value for key, value in {**next(d for d in documents if d.get("id") == doc_id),
                                                   **changes}.items() if value is not None}
            documents = [entry if d.get("id") == doc_id else d for d in documents]
        new_text = catalog_text_with(text, doc_id, entry)
        try:
            parsed = tomllib.loads(new_text)
            if parsed != {**old, "documents": documents}:
                raise CorpusError(f"Editing catalog.toml would change more than the entry of {doc_id}; "
                                  "check its [[documents]] entries by hand.")
            catalog_from_data(parsed, self.corpus_dir, pending=frozenset({pending} if pending else ()))
        except (tomllib.TOMLDecodeError, CatalogError) as exc:
            raise CorpusError(f"The edited catalog would not load ({exc}); nothing was changed.") from exc
        _replace_catalog(self.corpus_dir, new_text)


@contextmanager
def corpus_change(corpus_dir: Path) -> Iterator[CorpusChange]:
    """A change under the corpus lock: undone when the block raises (a refused step, a failed rebuild), else kept."""
    with _corpus_lock(Path(corpus_dir)):
        change = CorpusChange(corpus_dir)
        try:
            yield change
        except BaseException:
            change.undo()
            raise
        change.commit()


def remove_document(corpus_dir: Path, doc_id: str) -> Document:
    """Remove one document from the corpus (the `rag remove` command); returns its old catalog entry."""
    with corpus_change(corpus_dir) as change:
        return change.remove(doc_id)


def replace_document(corpus_dir: Path, doc_id: str, source: Path, filename: str, **limits: int) -> Document:
    """Replace one document's file (the `rag replace` command); returns its new catalog entry."""
    with corpus_change(corpus_dir) as change:
        return change.replace(doc_id, source, filename, **limits)


def catalog_text_with(text: str, doc_id: str, entry: dict | None) -> str:
    """catalog.toml's text with the [[documents]] entry of `doc_id` replaced by `entry` (removed when None).

    Only that entry's lines change: comments and the layout of the rest survive. A comment or blank line at the
    end of the entry belongs to what follows it.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _TABLE.match(line)]
    for k, start in enumerate(starts):
        if not _DOCUMENTS.match(lines[start]):
            continue
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        try:
            found = tomllib.loads("".join(lines[start:end])).get("documents", [{}])[0].get("id")
        except tomllib.TOMLDecodeError:
            continue
        if found != doc_id:
            continue
        if entry is None:
            if start > 0 and not lines[start - 1].strip():
                start -= 1  # the blank line that separated it from the entry before
            block = ""
        else:
            block = "[[documents]]\n" + tomli_w.dumps(entry)
        if end < len(lines) and block and not block.endswith("\n"):
            block += "\n"
        return "".join(lines[:start]) + block + "".join(lines[end:])
    raise CorpusError(f"catalog.toml has no [[documents]] entry with id = {doc_id!r} to edit.")


def _known(catalog: Catalog, doc_id: str) -> Document:
    try:
        return catalog.document(doc_id)
    except CatalogError as exc:
        raise CorpusError(str(exc)) from None

