"""Sections → Chunks: one chunk per section or sub-item, long sections split at paragraph or sentence ends.

A chunk never crosses a top-level section (the outermost numbered one, or the outermost
heading). A tiny section joins its neighbour; the chunk then records
where each section's text starts (`parts`), so a quote is cited under the section it really sits in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.corpus.catalog import Document
from rag.corpus.sections import Section
from rag.text.sentences import split_pieces
from rag.types import Chunk, Part


@dataclass
class _Piece:
    section: Section
    text: str
    top: Section


@dataclass
class _Draft:
    top: Section
    parts: list[tuple[Section, str]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return sum(len(text) for _, text in self.parts)


def split_paragraph(text: str, max_chars: int) -> list[str]:
    """Split an over-long paragraph at sentence ends into pieces of at most about max_chars."""
    if len(text) <= max_chars:
        return [text]
    pieces, current = [], ""
    for sentence in split_pieces(text):
        if current and len(current) + len(sentence) > max_chars:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _section_pieces(section: Section, max_chars: int) -> list[str]:
    """A section's text packed into pieces under the cap, breaking between paragraphs where possible."""
    pieces, current = [], ""
    for paragraph in section.paragraphs:
        for part in split_paragraph(paragraph, max_chars):
            if current and len(current) + 1 + len(part) > max_chars:
                pieces.append(current)
                current = ""
            current = f"{current}\n{part}" if current else part
    if current:
        pieces.append(current)
    return pieces


def _top_of(section: Section) -> Section:
    """The unit a chunk may not cross: the outermost numbered section, else the outermost heading."""
    lineage = section.lineage()
    numbered = [s for s in lineage if s.number]
    return numbered[0] if numbered else (lineage[0] if lineage else section)


def chunk_sections(root: Section, document: Document, max_chars: int, min_chars: int) -> list[Chunk]:
    """The chunks of one parsed document; the caps come from Settings (chunk_max_chars, chunk_min_chars)."""
    pieces = [
        _Piece(section, text, _top_of(section))
        for section in root.walk()
        for text in _section_pieces(section, max_chars)
    ]
    drafts: list[_Draft] = []
    for piece in pieces:
        last = drafts[-1] if drafts else None
        tiny = len(piece.text) < min_chars
        # Joining is allowed inside one top-level section, and from a heading's own intro into its first child.
        same_unit = last is not None and (last.top is piece.top or last.top in piece.section.lineage())
        fits = same_unit and last.length + len(piece.text) <= max_chars
        last_tiny = last is not None and last.length < min_chars
        if fits and (tiny or last_tiny):
            last.parts.append((piece.section, piece.text))
        else:
            drafts.append(_Draft(piece.top, [(piece.section, piece.text)]))
    return [_chunk(document, i, draft) for i, draft in enumerate(drafts)]


def _chunk(document: Document, ordinal: int, draft: _Draft) -> Chunk:
    text, parts = "", []
    for k, (section, piece) in enumerate(draft.parts):
        new_section = k == 0 or section is not draft.parts[k - 1][0]
        if text:
            text += "\n"
        start = len(text)  # a joined section begins at its heading line, which belongs to it
        if k > 0 and new_section and section.title:
            text += section.title + "\n"  # a joined section keeps its heading line: it is source text too
        if new_section:
            parts.append(Part(start, section.number_path, section.heading, section.path(), section.heading_en))
        text += piece
    head = draft.parts[0][0]
    return Chunk(
        chunk_id=f"{document.doc_id}#{ordinal:03d}",
        doc_id=document.doc_id,
        body=document.body,
        year=document.year,
        title=document.title_zh,
        section=head.number_path,
        heading=head.heading,
        path=tuple(head.path()),
        text=text,
        heading_en=head.heading_en,
        parts=tuple(parts),
    )
