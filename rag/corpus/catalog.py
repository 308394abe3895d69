"""The corpus catalog: which documents exist, who wrote them, and when."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import Any


class CatalogError(ValueError):
    """The catalog or a file it names is unusable; the message says which and what to do."""


@dataclass(frozen=True)
class Body:
    code: str
    name_zh: str
    name_en: str
    short_zh: tuple[str, ...] = ()
    short_en: tuple[str, ...] = ()
    # names read off the full names (derived_names): "the Tidewater council", 綠色款待聯盟
    derived: tuple[str, ...] = field(default=(), compare=False)

    def names(self) -> tuple[str, ...]:
        """Every name a question may use for this body."""
        return (self.code, self.name_zh, self.name_en, *self.short_zh, *self.short_en, *self.derived)

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

    def body_code(self, code: str) -> str | None:
        """The catalog's spelling of a body code given in any case (fhki → FHKI), or None when it has none."""
        wanted = code.strip().casefold()
        return next((known for known in self.bodies if known.casefold() == wanted), None)


# How a question shortens a body's name: some of the words that set it apart, then its kind ("the Tidewater
# council" of "Tidewater Business Council of Hong Kong", "the hospitality and dining alliance", 綠色款待聯盟 of
# 香港綠色款待及餐飲聯盟) or its members ("the Laiping merchants" of "Laiping District Merchants' Association").
# The kind is the name's own last word before "of"/"for" (its last two characters in Chinese, or three: 聯誼會); a
# distinctive part is one no other body's name has. Place names are no part of it.
_PLACE = re.compile(r"\bhong\s+kong\b|^香港|香港$", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_LINKS = {"of", "for", "and", "the", "in", "on"}


def _english_parts(name: str) -> tuple[list[str], str, list[str]]:
    """(words before the kind, the kind, words after "of"/"for"), lower case, without place names or links."""
    head, _, tail = re.sub(r"\s+(?:of|for)\s+", "\x00", name, count=1).partition("\x00")
    before = [w.lower() for w in _NAME_WORD.findall(_PLACE.sub(" ", head))]
    after = [w.lower() for w in _NAME_WORD.findall(_PLACE.sub(" ", tail))]
    if not before:
        return [], "", []
    return [w for w in before[:-1] if w not in _LINKS], before[-1], [w for w in after if w not in _LINKS]


def derived_names(bodies: dict[str, Body]) -> dict[str, tuple[str, ...]]:
    """Per body, the shortened names a question may use, read off the catalog's full names (see above)."""
    words = {code: set(_NAME_WORD.findall(b.name_en.lower())) for code, b in bodies.items()}
    out: dict[str, tuple[str, ...]] = {}
    for code, body in bodies.items():
        others = set().union(*(w for c, w in words.items() if c != code))
        others_zh = [b.name_zh for c, b in bodies.items() if c != code]
        found: list[str] = []
        before, kind, after = _english_parts(body.name_en)
        # … or its members, named in the possessive before the kind ("the Laiping merchants" of "Laiping District
        # Merchants' Association"): the words before them set it apart
        members = [(before[:k], w.rstrip("'’")) for k, w in enumerate(before) if k and w.endswith(("s'", "s’"))]
        for part, noun in [(before, kind), (after, kind), *members] if kind else ():
            for size in (1, 2, 3):
                for chosen in combinations(part, size):
                    if any(len(w) > 2 and w not in others for w in chosen):
                        found.append(" ".join((*chosen, noun)))
                        if size == 2:
                            found.append(f"{chosen[0]} and {chosen[1]} {noun}")
        zh = _PLACE.sub("", body.name_zh)
        for cut in (2, 3):  # 聯盟, 商會; 聯合會, 聯誼會
            core, suffix = zh[:-cut], zh[-cut:]
            for start in range(len(core)):
                for end in range(start + 2, len(core) + 1):
                    if not any(core[start:end] in other for other in others_zh):
                        found.append(core[start:end] + suffix)
        given = {n.casefold() for n in (body.code, body.name_zh, body.name_en, *body.short_zh, *body.short_en)}
        out[code] = tuple(dict.fromkeys(n for n in found if n.casefold() not in given))
    return out


_REQUIRED = ("id", "file", "body", "title_zh", "title_en", "year", "kind")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A body's name is matched in questions and printed in citations: one line, no control character at all.
NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A body code: 2 to 10 letters or digits, starting with a letter (so it never reads as a year or a number);
# codes are unique ignoring case, since questions and filters name them in any case.
BODY_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]{1,9}")


def check_body_code(code: str, where: str) -> str:
    """`code` when it is a well-formed body code, else a CatalogError that says what one looks like."""
    if not isinstance(code, str) or not BODY_CODE.fullmatch(code):
        raise CatalogError(f"{where}: the body code {code!r} must be 2 to 10 letters or digits starting with a "
                           "letter, e.g. HKGCC.")
    return code


def _text(value: Any, where: str, key: str, required: bool = True) -> str:
    """A catalog string: present (when required), a string, without control characters."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogError(f"{where}: '{key}' must be a non-empty string, got {value!r}.")
    if _CONTROL.search(value):
        raise CatalogError(f"{where}: '{key}' contains control characters; remove them.")
    return value.strip()


def _name(value: Any, where: str, key: str) -> str:
    """A body's name: a catalog string on one line (no tab or line break either)."""
    name = _text(value, where, key)
    if NAME_CONTROL.search(name):
        raise CatalogError(f"{where}: '{key}' contains a tab or a line break; write the name on one line.")
    return name


def _year(value: Any, where: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: 'year' must be a year such as 2024, got {value!r}.") from None
    if not 1900 <= year <= 2100:
        raise CatalogError(f"{where}: 'year' {year} is not a plausible year (1900–2100).")
    return year


def confined_file(corpus_dir: Path, name: Any, where: str, pending: frozenset[str] = frozenset()) -> str:
    """The catalog's file name, checked to resolve inside the corpus folder (no absolute path, no ../, no
    symbolic link leading out) and to be a file there (or one of the `pending` names about to be placed)."""
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"{where}: 'file' must be a file name inside the corpus folder, got {name!r}.")
    root = corpus_dir.resolve()
    target = (corpus_dir / name).resolve()
    if Path(name).is_absolute() or not target.is_relative_to(root):
        raise CatalogError(f"{where}: file {name} lies outside the corpus folder {corpus_dir}; "
                           "copy the document into the corpus folder and name it there.")
    if not target.is_file() and name not in pending:
        raise CatalogError(f"{where}: names file {name}, which is not in {corpus_dir}.")
    return name


def load_catalog(corpus_dir: Path) -> Catalog:
    """Read corpus/catalog.toml and check every entry names a body and an existing file."""
    path = corpus_dir / "catalog.toml"
    if not path.is_file():
        raise CatalogError(f"No catalog at {path}. Each corpus folder needs a catalog.toml listing its documents.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The catalog {path} cannot be read: {exc}") from exc
    return catalog_from_data(data, corpus_dir)


def catalog_from_data(data: dict[str, Any], corpus_dir: Path, pending: frozenset[str] = frozenset()) -> Catalog:
    """The catalog a parsed catalog.toml describes, every entry checked; `pending` names files about to be
    placed in the corpus folder (an upload checks its new entry before anything is written)."""
    path = corpus_dir / "catalog.toml"
    raw_bodies, raw_documents = data.get("bodies", {}), data.get("documents", [])
    if not isinstance(raw_bodies, dict) or not isinstance(raw_documents, list):
        raise CatalogError(f"The catalog {path} needs [bodies.CODE] tables and [[documents]] entries.")
    bodies: dict[str, Body] = {}
    for code, entry in raw_bodies.items():
        where = f"Catalog body {code}"
        check_body_code(code, where)
        if (same := next((known for known in bodies if known.casefold() == code.casefold()), None)) is not None:
            raise CatalogError(f"{where}: the catalog defines body {same} already (codes ignore case); "
                               "merge the two or give one another code.")
        if not isinstance(entry, dict):
            raise CatalogError(f"{where} must be a table with name_zh and name_en.")
        names = {key: entry.get(key, ()) for key in ("short_zh", "short_en")}
        if any(not isinstance(v, list | tuple) or not all(isinstance(n, str) for n in v) for v in names.values()):
            raise CatalogError(f"{where}: short_zh and short_en must be lists of names.")
        bodies[code] = Body(
            code=_text(code, where, "code"),
            name_zh=_name(entry.get("name_zh"), where, "name_zh"),
            name_en=_name(entry.get("name_en"), where, "name_en"),
            short_zh=tuple(_name(n, where, "short_zh") for n in names["short_zh"]),
            short_en=tuple(_name(n, where, "short_en") for n in names["short_en"]),
        )
    bodies = {code: replace(body, derived=names) for (code, body), names in
              zip(bodies.items(), derived_names(bodies).values(), strict=True)}
    documents, seen = [], set()
    for entry in raw_documents:
        if not isinstance(entry, dict):
            raise CatalogError(f"The catalog {path} has a [[documents]] entry that is not a table.")
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise CatalogError(f"Catalog entry {entry.get('id', '?')} lacks {', '.join(missing)}.")
        where = f"Catalog entry '{entry['id']}'"
        doc_id = _text(entry["id"], where, "id")
        if doc_id in seen:
            raise CatalogError(f"Catalog lists document '{doc_id}' twice.")
        seen.add(doc_id)
        if entry["body"] not in bodies:
            raise CatalogError(
                f"Document '{doc_id}' names body '{entry['body']}', which the catalog does not define "
                f"(known: {', '.join(sorted(bodies))})."
            )
        front = entry.get("front_matter_lines")
        if front is not None and (not isinstance(front, int) or isinstance(front, bool) or front < 0):
            raise CatalogError(f"{where}: front_matter_lines must be a whole number of lines, got {front!r}.")
        year = _year(entry["year"], where)
        documents.append(
            Document(
                doc_id=doc_id,
                file=confined_file(corpus_dir, entry["file"], where, pending),
                body=entry["body"],
                title_zh=_text(entry["title_zh"], where, "title_zh"),
                title_en=_text(entry["title_en"], where, "title_en", required=False),
                year=year,
                date=_text(str(entry.get("date", year)), where, "date"),
                kind=_text(entry["kind"], where, "kind"),
                front_matter_lines=front,
            )
        )
    return Catalog(directory=corpus_dir, bodies=bodies, documents=tuple(documents))
