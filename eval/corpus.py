"""The corpus as the evaluation sees it: each document's raw text and its cleaned text, read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rag.config import DEFAULT_CORPUS_DIR
from rag.corpus.catalog import load_catalog
from rag.corpus.cleaning import clean_lines
from rag.corpus.loader import read_text


@cache
def raw_documents(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> dict[str, str]:
    """doc_id → the document's text as `rag.corpus.loader.read_text` returns it."""
    catalog = load_catalog(corpus_dir)
    return {doc.doc_id: read_text(catalog.path_of(doc)) for doc in catalog.documents}


@cache
def cleaned_documents(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> dict[str, str]:
    """doc_id → the cleaned lines joined by newlines (page numbers and footnotes removed)."""
    return {
        doc_id: "\n".join(line.text for line in clean_lines(text)) for doc_id, text in raw_documents(corpus_dir).items()
    }


@cache
def body_codes(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> tuple[str, ...]:
    return tuple(load_catalog(corpus_dir).body_codes())
