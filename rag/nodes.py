"""Chunks as llama-index TextNodes, the form the dense store and LLM synthesis consume."""

from __future__ import annotations

from llama_index.core.schema import TextNode

from rag.schema import Chunk

_NOT_FOR_EMBEDDING = ["doc_id", "body", "year", "section", "parts"]


def to_text_node(chunk: Chunk) -> TextNode:
    """A TextNode keyed by chunk id, carrying the citation metadata (doc, body, year, title, section, path)."""
    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        metadata={
            "doc_id": chunk.doc_id,
            "body": chunk.body,
            "year": chunk.year,
            "title": chunk.title,
            "section": chunk.section,
            "heading": chunk.heading,
            "heading_en": chunk.heading_en,
            "path": " > ".join(chunk.path),
            "parts": [[o, s, h] for o, s, h, _, _ in chunk.parts],
        },
        excluded_embed_metadata_keys=_NOT_FOR_EMBEDDING,
        excluded_llm_metadata_keys=["parts"],
    )


def from_text_node(node: TextNode) -> Chunk:
    meta = node.metadata
    return Chunk(
        chunk_id=node.node_id, doc_id=meta["doc_id"], body=meta["body"], year=int(meta["year"]),
        title=meta["title"], section=meta["section"], heading=meta["heading"],
        path=tuple(p for p in meta["path"].split(" > ") if p), text=node.text,
        heading_en=meta.get("heading_en", ""),
    )
