"""A document read back from its chunks: its pieces hold every paragraph once, in order, and its outline is the
parser's outline (what `rag outline` prints), even when small sections were joined into one chunk."""

from __future__ import annotations

import pytest

from rag.corpus.catalog import Document
from rag.corpus.passages import document_chunks, document_outline, document_pieces
from rag.corpus.sections import outline_rows, parse_document

TEXT = """甲商會對2025年施政報告的建議

一、發展創新科技

（一）設立基金
本會建議政府設立創新科技基金，支援中小企業數碼轉型，並加強與大灣區城市的合作。

（二）培育人才
短段。

（三）吸引企業
本會建議推出更多稅務優惠，吸引海外企業來港設立研發中心，並為初創企業提供租金資助。

二、鞏固金融中心

本會建議擴大人民幣業務，發展綠色金融，並推動家族辦公室在港落戶，鞏固香港的國際金融中心地位。
"""

DOCUMENT = Document(doc_id="000_aaaaaaaaaaaaaaaa", file="000_aaaaaaaaaaaaaaaa.txt", body="AAA",
                    title_zh="甲商會建議書", title_en="", year=2025, date="2025", kind="submission",
                    front_matter_lines=1)


def pieces_and_root(max_chars: int = 400, min_chars: int = 40):
    chunks = document_chunks(TEXT, DOCUMENT, [], max_chars, min_chars)
    return chunks, document_pieces(chunks), parse_document(TEXT, DOCUMENT.front_matter_lines)


def test_the_outline_from_the_chunks_is_the_parsers_outline() -> None:
    chunks, pieces, root = pieces_and_root()
    outline = document_outline(pieces)
    assert [(e.depth, e.title) for e in outline] == [(d, s.title) for (d, *_), s in
                                                     zip(outline_rows(root), list(root.walk())[1:], strict=True)]
    assert any(len(chunk.parts) > 1 for chunk in chunks)  # the tiny （二） was joined to a neighbour


def test_every_paragraph_is_in_one_piece_in_document_order_without_joined_title_lines() -> None:
    _, pieces, root = pieces_and_root()
    paragraphs = [p for section in root.walk() for p in section.paragraphs]
    assert "\n".join(piece.text for piece in pieces) == "\n".join(paragraphs)
    assert not any("（二）" in piece.text for piece in pieces)


def test_a_piece_locates_its_text_in_its_chunk() -> None:
    chunks, pieces, _ = pieces_and_root(max_chars=60, min_chars=10)
    by_id = {chunk.chunk_id: chunk for chunk in chunks}
    for piece in pieces:
        assert by_id[piece.chunk_id].text[piece.start:piece.end] == piece.text


@pytest.mark.corpus
def test_on_the_shipped_corpus_the_outline_from_the_chunks_is_what_rag_outline_prints(corpus_dir) -> None:
    from rag.config import Settings
    from rag.corpus.catalog import load_catalog
    from rag.corpus.loader import read_text

    catalog = load_catalog(corpus_dir)
    for doc in catalog.documents:
        text = read_text(catalog.path_of(doc))
        chunks = document_chunks(text, doc, [], Settings.chunk_max_chars, Settings.chunk_min_chars)
        root = parse_document(text, doc.front_matter_lines)
        parsed = [(d, s.title) for (d, *_), s in zip(outline_rows(root), list(root.walk())[1:], strict=True)]
        assert [(e.depth, e.title) for e in document_outline(document_pieces(chunks))] == parsed, doc.doc_id
