"""Index builds are atomic, stale indexes rebuild, damaged ones are replaced without loss."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.index.lexical import LexicalIndex
from rag.pipeline import Pipeline
from rag.text.tokenize import Tokenizer

pytestmark = pytest.mark.corpus


def make(corpus: Path, index: Path) -> Pipeline:
    return Pipeline(Settings(corpus_dir=corpus, index_dir=index))


def test_crash_mid_build_leaves_previous_index_usable(small_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    index_dir = tmp_path / "index"
    first = make(small_corpus, index_dir)
    before = first.index.directory

    def explode(self, directory):
        raise RuntimeError("disk full")

    monkeypatch.setattr(LexicalIndex, "save", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        first.rebuild()
    monkeypatch.undo()
    again = make(small_corpus, index_dir)
    assert again.index.directory == before
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]
    assert again.ask("食品產業園").sources


def test_corpus_change_triggers_rebuild(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = make(small_corpus, index_dir)
    doc = small_corpus / "000_f19342d821a7e080.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n\n23. 新增章節\n\n這是一段新增的獨特內容：量子咖啡。\n", encoding="utf-8"
    )
    second = make(small_corpus, index_dir)
    assert second.index.directory != first.index.directory
    assert any("corpus changed" in n for n in second.notices)
    assert "量子咖啡" in second.ask("量子咖啡").sources[0].text


def test_damaged_index_is_rebuilt_with_a_notice(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = make(small_corpus, index_dir)
    (first.index.directory / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    second = make(small_corpus, index_dir)
    assert any("damaged" in n for n in second.notices)
    assert second.ask("食品產業園").sources


def test_manifest_records_corpus_settings_and_versions(small_corpus: Path, tmp_path: Path) -> None:
    manifest = make(small_corpus, tmp_path / "index").index.manifest
    assert manifest["corpus_fingerprint"] and manifest["settings"]["chunk_max_chars"] == 700
    assert {"python", "bm25s", "jieba"} <= set(manifest["versions"])


def test_refresh_after_adding_a_document_finds_it(small_corpus: Path, tmp_path: Path) -> None:
    from rag.corpus.ingest import add_document

    pipeline = make(small_corpus, tmp_path / "index")
    upload = tmp_path / "upload.txt"
    upload.write_text("1. 量子咖啡產業\n\n本會建議發展量子咖啡產業，並設立專項基金。\n", encoding="utf-8")
    document = add_document(small_corpus, upload, "brief.txt", "FHKI", "量子咖啡建議", "Quantum coffee", 2026)
    pipeline.refresh()
    answer = pipeline.ask("量子咖啡產業")
    assert answer.sources[0].doc_id == document.doc_id and answer.sources[0].year == 2026


def test_which_bodies_respects_a_body_filter(shared_pipeline) -> None:
    answer = shared_pipeline.ask("Which bodies propose a food industrial park?", bodies=["FHKI"])
    assert answer.bodies == ["FHKI"] and "Not found" not in answer.answer


def test_a_second_reading_scores_each_chunk_by_the_better_of_the_two() -> None:
    tokenizer = Tokenizer(user_terms=["低空經濟"])
    texts = ["本會建議發展低空經濟。", "We propose to grow the low-altitude economy.", "本會建議發展旅遊。"]
    index = LexicalIndex.build([tokenizer.tokenize(t) for t in texts], tokenizer)
    chinese, english = tokenizer.tokenize("低空經濟"), tokenizer.tokenize("low-altitude economy")
    assert [hit.position for hit in index.search(chinese, 3)] == [0]
    both = index.search(chinese, 3, also=english)
    assert sorted(hit.position for hit in both) == [0, 1]
    scores = {hit.position: hit.score for hit in both}
    assert scores[1] == pytest.approx(float(index.scores(english)[1]))


def test_a_questions_scores_are_computed_once_and_filters_only_mask_them() -> None:
    tokenizer = Tokenizer(user_terms=["低空經濟"])
    texts = ["本會建議發展低空經濟。", "低空經濟需要規管。", "本會建議發展旅遊。"]
    index = LexicalIndex.build([tokenizer.tokenize(t) for t in texts], tokenizer)
    question = tokenizer.tokenize("低空經濟")
    scored = index.combined_scores(question)
    assert index.combined_scores(question) is scored  # kept: one answer asks per body, per side, globally
    assert not scored.flags.writeable
    everything = index.search(question, 3)
    only_second = index.search(question, 3, allowed=np.array([False, True, True]))
    assert [hit.position for hit in only_second] == [1]
    assert only_second[0].score == next(hit.score for hit in everything if hit.position == 1)
    assert index.search(question, 3) == everything  # the mask did not change what is kept
    for n in range(LexicalIndex.CACHED_QUERIES + 1):  # bounded: the oldest question is forgotten
        index.combined_scores([f"詞{n}"])
    assert index.combined_scores(question) is not scored
