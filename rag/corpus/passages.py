"""One document's passages: the one path from its text to its chunks, shared by the index build and ingest; and back
from its chunks to its sections' texts and outline, for reading the whole document (the UI's source viewer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.corpus.catalog import Document
from rag.corpus.chunking import chunk_sections
from rag.corpus.sections import parse_document
from rag.corpus.titles import Row, apply_titles
from rag.types import Chunk, Part


def document_chunks(text: str, document: Document, titles: list[Row], max_chars: int, min_chars: int) -> list[Chunk]:
    """The chunks of a document's text as read: cleaned of page furniture, parsed into sections (English section
    titles from `titles`), and chunked with the Settings caps. None means nothing in it can be found."""
    root = parse_document(text, document.front_matter_lines)
    apply_titles(root, titles)
    root.heading_en = document.title_en  # the preamble before the first heading
    return chunk_sections(root, document, max_chars=max_chars, min_chars=min_chars)


@dataclass(frozen=True)
class Piece:
    """A run of one section's text inside one chunk: a document read back from its chunks, in document order.

    `start`/`end` locate `text` in the chunk's text, so a quote found in the chunk can be placed in the piece."""

    chunk_id: str
    start: int
    end: int
    section: str  # number path, "" when unnumbered
    path: tuple[str, ...]  # headings from the top with their numbers, as the parser read them
    heading_en: str
    text: str


@dataclass(frozen=True)
class OutlineEntry:
    """One heading of a document's outline: its depth, its title as printed (number and heading), and the index
    of the first piece under it."""

    depth: int
    title: str
    piece: int


def document_pieces(chunks: Sequence[Chunk]) -> list[Piece]:
    """One document's chunks (in index order) cut back into its sections' texts.

    A chunk that joined small sections holds each later section's title line before its text (the chunker keeps
    it as source text, and the section begins there); here the title belongs to the outline, so it is cut off.
    """
    pieces = []
    for chunk in chunks:
        parts = chunk.parts or (Part(0, chunk.section, chunk.heading, chunk.path, chunk.heading_en),)
        for k, part in enumerate(parts):
            start, end = part.offset, parts[k + 1].offset if k + 1 < len(parts) else len(chunk.text)
            if k and part.path and chunk.text.startswith(title_line := f"{part.path[-1]}\n", start):
                start += len(title_line)
            while end > start and chunk.text[end - 1] == "\n":
                end -= 1
            pieces.append(Piece(chunk.chunk_id, start, end, part.section, tuple(part.path), part.heading_en,
                                chunk.text[start:end]))
    return pieces


def document_outline(pieces: Sequence[Piece]) -> list[OutlineEntry]:
    """Every heading the pieces sit under, in document order: a heading whose own text is empty (its children
    hold the text) still appears, before its first child. A heading starts where the path changes, so two
    sections printed alike (two items "(2)" under different parents) are two entries."""
    entries: list[OutlineEntry] = []
    previous: tuple[str, ...] = ()
    for index, piece in enumerate(pieces):
        for depth in range(len(piece.path)):
            if piece.path[: depth + 1] != previous[: depth + 1]:
                entries.append(OutlineEntry(depth, piece.path[depth], index))
        previous = piece.path
    return entries
