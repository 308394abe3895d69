"""Sources from ranked chunks: each with its verbatim quote, cited under the section the quote sits in."""

from __future__ import annotations

from collections.abc import Mapping

from rag.answer.quotes import best_quote, is_verbatim
from rag.answer.roles import Role, SentenceRoles
from rag.text.tokenize import Tokenizer
from rag.types import Chunk, Reported, ScoredChunk, Source


class QuoteError(RuntimeError):
    """A quote failed the verbatim check: a bug, never shown as a citation."""


def make_sources(
    ranked: list[ScoredChunk],
    chunks: list[Chunk],
    query_tokens: list[str],
    tokenizer: Tokenizer,
    documents: dict[str, str],
    roles: SentenceRoles | None = None,
    proposals_first: bool = False,
    topic: Mapping[str, float] | None = None,
) -> list[Source]:
    """Ranked Sources with a verbatim quote each, cited under the section the quote sits in. `roles` keeps
    boilerplate and background out of quotes and tells another party's words from the body's own;
    `proposals_first` quotes the body's own proposals first; `topic`: the question's topic tokens and their weights (see
    rag.answer.quotes.best_quote)."""
    sources = []
    for n, (position, score) in enumerate(ranked, 1):
        chunk = chunks[position]
        document = documents[chunk.doc_id]
        found = best_quote(chunk.text, query_tokens, tokenizer, verify=lambda q, d=document: is_verbatim(q, d),
                           roles=roles, body=chunk.body, proposals_first=proposals_first, topic=topic)
        if found is None:
            raise QuoteError(f"no sentence of {chunk.chunk_id} is verbatim in its document")
        offset, quote, reading = found
        if not (is_verbatim(quote, chunk.text) and is_verbatim(quote, document)):
            raise QuoteError(f"quote from {chunk.chunk_id} is not verbatim in its source: {quote!r}")
        reports = Reported(reading.who, reading.suggestion, reading.measure) if reading.role is Role.REPORTED else None
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
                reports=reports,
            )
        )
    return sources
