"""The parser's outline score on invented submissions in layouts it was not developed on (fixtures/layouts:
English-first bilingual pairs, parts over chapters, 第X條 hard-wrapped, lower-case roman top level, a Simplified
Chinese summary, a Markdown export). Outlines were written by hand before the parser was run on them."""

from __future__ import annotations

from pathlib import Path

from eval.outline import overall, score_corpus
from rag.corpus.catalog import load_catalog

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def test_every_layout_fixture_is_in_the_catalog_and_has_an_outline() -> None:
    catalog = load_catalog(LAYOUTS)
    assert len(catalog.documents) >= 5
    assert {doc.doc_id for doc in catalog.documents} == {p.stem for p in (LAYOUTS / "outline").glob("*.json")}


def test_layout_fixture_outline_score_is_at_least_95_percent() -> None:
    scores = score_corpus(LAYOUTS, LAYOUTS / "outline")
    assert len(scores) >= 5
    assert overall(scores).score >= 0.95, [(s.doc_id, s.missing, s.wrong_parent) for s in scores]
