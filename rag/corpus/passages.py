"""One document's passages: the one path from its text to its chunks, shared by the index build and ingest."""

from __future__ import annotations

from rag.corpus.catalog import Document
from rag.corpus.chunking import chunk_sections
from rag.corpus.sections import parse_document
from rag.corpus.titles import Row, apply_titles
from rag.types import Chunk


def document_chunks(text: str, document: Document, titles: list[Row], max_chars: int, min_chars: int) -> list[Chunk]:
    """The chunks of a document's text as read: cleaned of page furniture, parsed into sections (English section
    titles from `titles`), and chunked with the Settings caps. None means nothing in it can be found."""
    root = parse_document(text, document.front_matter_lines)
    apply_titles(root, titles)
    root.heading_en = document.title_en  # the preamble before the first heading
    return chunk_sections(root, document, max_chars=max_chars, min_chars=min_chars)
