"""Sources from ranked chunks: each with its verbatim quote, cited under the section the quote sits in."""

from __future__ import annotations

from rag.answer.quotes import best_quote, is_verbatim
from rag.corpus.lexicon import Cue
from rag.text.tokenize import Tokenizer
from rag.types import Chunk, ScoredChunk, Source


class QuoteError(RuntimeError):
    """A quote failed the verbatim check: a bug, never shown as a citation."""


def make_sources(
    ranked: list[ScoredChunk],
    chunks: list[Chunk],
    query_tokens: list[str],
    tokenizer: Tokenizer,
    documents: dict[str, str],
    proposes: Cue | None = None,
) -> list[Source]:
    """Ranked Sources with a verbatim quote each, cited under the section the quote sits in (`proposes`, to quote
    proposing sentences first: see rag.answer.quotes.best_quote)."""
    sources = []
    for n, (position, score) in enumerate(ranked, 1):
        chunk = chunks[position]
        document = documents[chunk.doc_id]
        found = best_quote(chunk.text, query_tokens, tokenizer, verify=lambda q, d=document: is_verbatim(q, d),
                           proposes=proposes)
        if found is None:
            raise QuoteError(f"no sentence of {chunk.chunk_id} is verbatim in its document")
        offset, quote = found
        if not (is_verbatim(quote, chunk.text) and is_verbatim(quote, document)):
            raise QuoteError(f"quote from {chunk.chunk_id} is not verbatim in its source: {quote!r}")
        part = chunk.part_at(offset)
        sources.append(
            Source(
                n=n,
                doc_id=chunk.doc_id,
                body=chunk.body,
                year=chunk.year,
                title=chunk.title,
                section=part.section,
                heading=part.heading,
                path=list(part.path),
                text=chunk.text,
                quote=quote,
                score=round(float(score), 4),
                heading_en=part.heading_en,
                chunk_id=chunk.chunk_id,
            )
        )
    return sources
