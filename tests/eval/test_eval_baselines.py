"""The two baseline retrievers: fixed windows cover every short span; both rank real corpus text."""

from __future__ import annotations

import pytest

from eval import baselines
from eval.corpus import cleaned_documents, raw_documents
from rag.config import DEFAULT_CORPUS_DIR
from rag.text.normalize import match_key


def test_fixed_windows_cover_every_span_up_to_the_overlap():
    text = "".join(chr(0x4E00 + i % 500) for i in range(1234))
    windows = baselines.fixed_windows(text, size=100, overlap=20)
    assert all(len(w) <= 100 for w in windows)
    assert windows[0] == text[:100] and windows[-1].endswith(text[-20:])
    for start in range(0, len(text) - 20):
        span = text[start : start + 20]
        assert any(span in w for w in windows), start


def test_fixed_windows_short_text_and_bad_arguments():
    assert baselines.fixed_windows("短文", size=400, overlap=50) == ["短文"]
    assert baselines.fixed_windows("", size=400, overlap=50) == []
    with pytest.raises(ValueError, match="overlap"):
        baselines.fixed_windows("abc", size=10, overlap=10)


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(baselines.BASELINES))
def test_baselines_return_ranked_corpus_text(name):
    retrieve = baselines.BASELINES[name]
    texts = retrieve("廠商會建議在北部都會區創建香港食品產業園", 10)
    assert 0 < len(texts) <= 10
    corpus = [match_key(t) for t in (*raw_documents().values(), *cleaned_documents().values())]
    assert all(any(match_key(t) in doc for doc in corpus) for t in texts)
    assert len(retrieve("食品產業園", 3)) <= 3
    assert baselines.describe(name)


@pytest.mark.corpus
def test_fixed_size_baseline_finds_the_food_park_and_is_cached():
    texts = baselines.fixed_size_bm25("香港食品產業園", 5)
    assert any("香港食品產業園" in t for t in texts)
    assert baselines._fixed_index(DEFAULT_CORPUS_DIR) is baselines._fixed_index(DEFAULT_CORPUS_DIR)
    assert baselines.fixed_size_bm25("zzzz qqqq", 5) == []  # no known token: nothing retrieved
