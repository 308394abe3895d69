"""A two-document corpus written by a test: one English submission (Harbour Chamber, HCC) and one Chinese one (Youth
Innovation Association, YIA); each test brings its own texts and, optionally, a glossary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import DEFAULT_CORPUS_DIR, Settings
from rag.pipeline import Pipeline

CATALOG = """[bodies.HCC]
name_zh = "海港商會"
name_en = "Harbour Chamber of Commerce"
short_en = ["Harbour Chamber"]

[bodies.YIA]
name_zh = "青年創科協會"
name_en = "Youth Innovation Association"

[[documents]]
id = "en_doc"
file = "en_doc.txt"
body = "HCC"
title_zh = "海港商會施政報告建議"
title_en = "Harbour Chamber submission"
year = 2025
kind = "submission"
front_matter_lines = 2

[[documents]]
id = "zh_doc"
file = "zh_doc.txt"
body = "YIA"
title_zh = "青年創科協會施政報告建議書"
title_en = "Youth Innovation Association submission"
year = 2025
kind = "submission"
front_matter_lines = 2
"""

# The English side of a test about the Chinese one: one section, naming nothing the Chinese document does.
CRUISE_ONLY = """Harbour Chamber of Commerce
Submission on the Policy Address
1. Cruise tourism
The Chamber recommends that the Government expand the cruise terminal at Kai Tak with a second berth.
"""


def write_bilingual_corpus(corpus: Path, english: str, chinese: str, glossary: str | None = None) -> Path:
    """The corpus folder with both documents, the catalog, the shipped stopwords and dictionary, and `glossary`."""
    (corpus / "en_doc.txt").write_text(english, encoding="utf-8")
    (corpus / "zh_doc.txt").write_text(chinese, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    if glossary is not None:
        (corpus / "glossary.tsv").write_text(glossary, encoding="utf-8")
    for name in ("stopwords.txt", "userdict.txt"):
        shutil.copy(DEFAULT_CORPUS_DIR / name, corpus / name)
    return corpus


def bundled_pipeline(corpus: Path) -> Pipeline:
    """A pipeline over the corpus with the bundled model; the test is skipped when the model does not load."""
    pipeline = Pipeline(Settings(corpus_dir=corpus, index_dir=corpus / "index"))
    if pipeline.dense is None:
        pytest.skip("the bundled model did not load: " + "; ".join(pipeline.notices))
    return pipeline
