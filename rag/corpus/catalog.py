"""The corpus catalog: which documents exist, who wrote them, and when."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class CatalogError(ValueError):
    """The catalog or a file it names is unusable; the message says which and what to do."""


@dataclass(frozen=True)
class Body:
    code: str
    name_zh: str
    name_en: str
    short_zh: tuple[str, ...] = ()
    short_en: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name a question may use for this body."""
        return (self.code, self.name_zh, self.name_en, *self.short_zh, *self.short_en)

    def short_name(self, chinese: bool) -> str:
        """How a list or a rewritten question names the body: its first Chinese short name, or its code."""
        if not chinese:
            return self.code
        return self.short_zh[0] if self.short_zh else self.name_zh


@dataclass(frozen=True)
class Document:
    doc_id: str
    file: str
    body: str
    title_zh: str
    title_en: str
    year: int
    date: str
    kind: str
    front_matter_lines: int | None = None


@dataclass(frozen=True)
class Catalog:
    directory: Path
    bodies: dict[str, Body]
    documents: tuple[Document, ...] = field(default_factory=tuple)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        known = ", ".join(d.doc_id for d in self.documents)
        raise CatalogError(f"Unknown document '{doc_id}'. Known documents: {known}.")

    def path_of(self, doc: Document) -> Path:
        return self.directory / doc.file

    def body_codes(self) -> list[str]:
        return sorted(self.bodies)


_REQUIRED = ("id", "file", "body", "title_zh", "title_en", "year", "kind")


def load_catalog(corpus_dir: Path) -> Catalog:
    """Read corpus/catalog.toml and check every entry names a body and an existing file."""
    path = corpus_dir / "catalog.toml"
    if not path.is_file():
        raise CatalogError(f"No catalog at {path}. Each corpus folder needs a catalog.toml listing its documents.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The catalog {path} cannot be read: {exc}") from exc
    bodies = {
        code: Body(
            code=code,
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
            short_zh=tuple(entry.get("short_zh", ())),
            short_en=tuple(entry.get("short_en", ())),
        )
        for code, entry in data.get("bodies", {}).items()
    }
    documents, seen = [], set()
    for entry in data.get("documents", []):
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise CatalogError(f"Catalog entry {entry.get('id', '?')} lacks {', '.join(missing)}.")
        if entry["id"] in seen:
            raise CatalogError(f"Catalog lists document '{entry['id']}' twice.")
        seen.add(entry["id"])
        if entry["body"] not in bodies:
            raise CatalogError(
                f"Document '{entry['id']}' names body '{entry['body']}', which the catalog does not define "
                f"(known: {', '.join(sorted(bodies))})."
            )
        if not (corpus_dir / entry["file"]).is_file():
            raise CatalogError(
                f"Catalog entry '{entry['id']}' names file {entry['file']}, which is not in {corpus_dir}."
            )
        documents.append(
            Document(
                doc_id=entry["id"],
                file=entry["file"],
                body=entry["body"],
                title_zh=entry["title_zh"],
                title_en=entry["title_en"],
                year=int(entry["year"]),
                date=str(entry.get("date", entry["year"])),
                kind=entry["kind"],
                front_matter_lines=entry.get("front_matter_lines"),
            )
        )
    return Catalog(directory=corpus_dir, bodies=bodies, documents=tuple(documents))
