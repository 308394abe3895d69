from __future__ import annotations

import pytest

from rag.corpus.cleaning import clean_lines
from rag.text.normalize import match_key

pytestmark = pytest.mark.corpus


def test_chunks_respect_the_cap_and_never_cross_top_level_sections(shared_pipeline) -> None:
    for chunk in shared_pipeline.chunks:
        assert len(chunk.text) <= 720, chunk.chunk_id
        tops = {part.path[0] if part.path else "" for part in chunk.parts}
        assert len(tops) <= 2  # a heading's own intro may join its first child, nothing more


def test_chunk_text_is_source_text_with_only_artefacts_removed(shared_pipeline) -> None:
    cleaned = {
        doc_id: match_key("".join(line.text for line in clean_lines(text)))
        for doc_id, text in shared_pipeline.documents.items()
    }
    for chunk in shared_pipeline.chunks:
        for paragraph in chunk.text.split("\n"):
            assert match_key(paragraph) in cleaned[chunk.doc_id], (chunk.chunk_id, paragraph[:40])


def test_cleaning_removes_only_page_numbers_markers_and_markdown(corpus_dir) -> None:
    raw = (corpus_dir / "000_f19342d821a7e080.txt").read_text(encoding="utf-8")
    cleaned = "".join(line.text for line in clean_lines(raw))
    assert match_key(cleaned) == match_key(raw).replace("調整相關11政府", "調整相關政府")


def test_long_sections_are_split_and_keep_their_metadata(shared_pipeline) -> None:
    pieces = [c for c in shared_pipeline.chunks if c.doc_id == "000_f19342d821a7e080" and c.section == "8"]
    assert len(pieces) >= 2
    assert all(p.heading == "提倡港研港產結合" and p.year == 2024 and p.body == "CMA" for p in pieces)


def test_joined_small_sections_cite_the_section_their_text_is_in(shared_pipeline) -> None:
    joined = [c for c in shared_pipeline.chunks if len(c.parts) > 1]
    assert joined
    for chunk in joined:
        for part in chunk.parts:
            assert chunk.part_at(part.offset) == part


def test_every_section_has_its_curated_english_title(shared_pipeline) -> None:
    for chunk in shared_pipeline.chunks:
        assert chunk.heading_en, (chunk.chunk_id, chunk.section, chunk.heading)
    two_elevens = {c.heading_en for c in shared_pipeline.chunks if c.doc_id.startswith("001") and c.section == "11(2)"}
    assert len(two_elevens) == 2  # the two sections numbered 11 keep their own items' titles


def test_a_joined_sections_heading_line_belongs_to_that_section() -> None:
    from rag.corpus.catalog import Document
    from rag.corpus.chunking import chunk_sections
    from rag.corpus.sections import parse_document

    text = ("四、青年住屋與創業空間\n\n（一） 青年宿舍\n\n本社建議增加五千個青年宿舍床位。\n\n"
            "（二） 工廈改建青年創業空間\n\n本社建議把部分空置工廈樓層改建為青年創業空間。\n")
    document = Document("d", "d.txt", "B", "建議書", "Submission", 2025, "2025-09", "policy_address")
    [chunk] = chunk_sections(parse_document(text, 0), document, 700, 120)
    heading = chunk.text.index("（二）")
    assert chunk.part_at(heading).section.endswith("(二)")
    assert chunk.part_at(heading - 2).section.endswith("(一)")
