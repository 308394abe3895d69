"""Lexical retrieval across languages through the glossary, read both ways (a small bilingual corpus written here):
a Chinese question reaches the English passage that words its term in English, an English one the Chinese
passage, and English inflections meet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import DEFAULT_CORPUS_DIR, Settings
from rag.pipeline import Pipeline
from rag.types import Mode

ENGLISH = """Harbour Chamber of Commerce
Submission on the Policy Address

1. Cruise tourism
The Chamber proposed that the Government expand the cruise terminal with a second berth.

2. Arbitration services
A fund to train young arbitrators.
"""

CHINESE = """青年創科協會
施政報告建議書

一、智慧農業
本會建議政府資助本地農場引入垂直種植系統。

二、郵輪旅遊
本會建議推廣郵輪旅遊。
"""

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

GLOSSARY = "en\tzh\tkind\ncruise terminal|cruise terminals\t郵輪碼頭\tplace\nvertical farming\t垂直種植\tconcept\n"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Pipeline:
    corpus = tmp_path_factory.mktemp("bridge")
    (corpus / "en_doc.txt").write_text(ENGLISH, encoding="utf-8")
    (corpus / "zh_doc.txt").write_text(CHINESE, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (corpus / "glossary.tsv").write_text(GLOSSARY, encoding="utf-8")
    for name in ("stopwords.txt", "userdict.txt"):
        shutil.copy(DEFAULT_CORPUS_DIR / name, Path(corpus) / name)
    return Pipeline(Settings(corpus_dir=corpus, index_dir=corpus / "index", mode=Mode.LEXICAL))


@pytest.mark.parametrize(("question", "doc", "words"), [
    ("郵輪碼頭應否擴建？", "en_doc", "cruise terminal"),  # Chinese question, English passage
    ("What is proposed for vertical farming?", "zh_doc", "垂直種植"),  # English question, Chinese passage
    ("Which bodies make proposals on arbitrators?", "en_doc", "arbitrators"),
])
def test_a_question_finds_the_passage_in_the_other_language(bilingual: Pipeline, question, doc, words) -> None:
    answer = bilingual.ask(question, top_k=1, mode=Mode.LEXICAL)
    assert answer.sources and answer.sources[0].doc_id == doc and words in answer.sources[0].text


def test_inflections_meet_and_the_body_name_is_no_topic(bilingual: Pipeline) -> None:
    answer = bilingual.ask("What does the Harbour Chamber propose for cruise terminals?", top_k=1, mode=Mode.LEXICAL)
    assert answer.sources[0].doc_id == "en_doc" and "cruise terminal" in answer.sources[0].quote
    assert not answer.abstained and answer.bodies == ["HCC"]
