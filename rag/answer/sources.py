"""Composing answers from retrieved chunks. The default composer is extractive: quotes with citations."""

from __future__ import annotations

from rag.answer.quotes import best_quote, is_verbatim
from rag.corpus.catalog import Catalog
from rag.text.tokenize import ChineseTokenizer
from rag.types import Chunk, Source


class QuoteError(RuntimeError):
    """A quote failed the verbatim check: a bug, never shown as a citation."""


def make_sources(
    hits: list[tuple[Chunk, float]],
    query_tokens: list[str],
    tokenizer: ChineseTokenizer,
    documents: dict[str, str],
    proposals_first: bool = False,
) -> list[Source]:
    """Ranked Sources with a verbatim quote each, cited under the section the quote sits in (`proposals_first`:
    see rag.answer.quotes.best_quote)."""
    sources = []
    for n, (chunk, score) in enumerate(hits, 1):
        document = documents[chunk.doc_id]
        found = best_quote(chunk.text, query_tokens, tokenizer, verify=lambda q, d=document: is_verbatim(q, d),
                           proposals_first=proposals_first)
        if found is None:
            raise QuoteError(f"no sentence of {chunk.chunk_id} is verbatim in its document")
        offset, quote = found
        if not (is_verbatim(quote, chunk.text) and is_verbatim(quote, document)):
            raise QuoteError(f"quote from {chunk.chunk_id} is not verbatim in its source: {quote!r}")
        section, heading, path, heading_en = chunk.part_at(offset)
        sources.append(
            Source(
                n=n,
                doc_id=chunk.doc_id,
                body=chunk.body,
                year=chunk.year,
                title=chunk.title,
                section=section,
                heading=heading,
                path=list(path),
                text=chunk.text,
                quote=quote,
                score=round(float(score), 4),
                heading_en=heading_en,
                chunk_id=chunk.chunk_id,
            )
        )
    return sources


def cite_label(source: Source, language: str) -> str:
    """Short citation: body, year, section (or heading when the document has no numbers)."""
    where = f"§{source.section}" if source.section else f"「{source.heading}」" if source.heading else ""
    return f"{source.body} {source.year} {where}".strip()


def passages_answer(question: str, language: str, sources: list[Source], catalog: Catalog) -> str:
    """The interim answer: the best passages, each quoted and cited as [n]."""
    if not sources:
        return {
            "en": "No passage in the corpus matches this question.",
            "zh-Hans": "资料库中没有与这个问题相符的段落。",
        }.get(language, "資料庫中沒有與這個問題相符的段落。")
    intro = {
        "en": "The most relevant passages:",
        "zh-Hans": "最相关的段落：",
    }.get(language, "最相關的段落：")
    lines = [intro]
    for source in sources:
        heading = source.heading_en if language == "en" and source.heading_en else source.heading
        label = cite_label(source, language)
        lines.append(f"- {label} {heading}: 「{source.quote}」 [{source.n}]")
    return "\n".join(lines)
