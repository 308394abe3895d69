from __future__ import annotations

from llama_index.core.schema import MetadataMode

from rag.nodes import from_text_node, to_text_node


def test_chunks_become_text_nodes_with_section_metadata(shared_pipeline) -> None:
    chunk = next(c for c in shared_pipeline.chunks if c.doc_id == "000_f19342d821a7e080" and c.section == "7")
    node = to_text_node(chunk)
    assert node.node_id == chunk.chunk_id and node.text == chunk.text
    assert node.metadata["body"] == "CMA" and node.metadata["year"] == 2024 and node.metadata["section"] == "7"
    assert "創建「香港食品產業園」" in node.get_content(MetadataMode.EMBED)
    back = from_text_node(node)
    assert (back.doc_id, back.section, back.heading, back.path) == (chunk.doc_id, chunk.section, chunk.heading, chunk.path)
