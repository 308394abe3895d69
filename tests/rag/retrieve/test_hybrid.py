"""Dense and hybrid retrieval end to end with a tiny model the test builds, and the no-model fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.config import Settings
from rag.pipeline import MODEL_UNAVAILABLE, Pipeline
from rag.retrieve.retrievers import reciprocal_rank_fusion
from rag.types import Mode, ScoredChunk

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> tuple[Path, Path]:
    from embeddings.testing import build_tiny_model

    base = tmp_path_factory.mktemp("models")
    return build_tiny_model(base / "tiny-a", seed=0), build_tiny_model(base / "tiny-b", seed=1)


def test_rrf_matches_hand_computed_ranking() -> None:
    # item 1: 1/61 + 1/63; item 2: 1/62 + 1/61; item 3: 1/63; item 4: 1/62 (k = 60)
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 4, 1]])
    assert [item for item, _ in fused] == [2, 1, 4, 3]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    weighted = reciprocal_rank_fusion([[1, 2], [2, 1]], k=1, weights=[3.0, 1.0])
    assert weighted == [(1, pytest.approx(3 / 2 + 1 / 3)), (2, pytest.approx(3 / 3 + 1 / 2))]


@pytest.mark.parametrize("weights", [[1.0], [-1.0, 1.0], [0.0, 0.0]])
def test_rrf_rejects_bad_weights(weights) -> None:
    with pytest.raises(ValueError, match="weights"):
        reciprocal_rank_fusion([[1], [2]], weights=weights)


@pytest.mark.corpus
def test_hybrid_is_the_default_when_the_model_loads(tiny_models, tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(index_dir=tmp_path / "index", embedding_model=str(tiny_models[0])))
    assert pipeline.default_mode is Mode.HYBRID
    answer = pipeline.ask("Which bodies propose a food industrial park?")
    assert answer.mode == "hybrid" and answer.warnings == [] and answer.sources
    dense = pipeline.ask("食品產業園", mode=Mode.DENSE, bodies=["FHKI"])
    assert dense.mode == "dense" and {s.body for s in dense.sources} == {"FHKI"}
    assert pipeline.index.manifest["dense"]["dim"] == pipeline.embedder.dim


@pytest.mark.corpus
def test_model_change_rebuilds_with_a_notice(tiny_models, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = Pipeline(Settings(index_dir=index, embedding_model=str(tiny_models[0])))
    second = Pipeline(Settings(index_dir=index, embedding_model=str(tiny_models[1])))
    assert second.index.directory != first.index.directory
    assert any("embedding model changed" in n for n in second.notices)
    assert second.index.manifest["dense"]["model"] == str(tiny_models[1])


@pytest.mark.corpus
def test_cli_index_and_ask_run_hybrid(tiny_models, tmp_path: Path) -> None:
    env = {**os.environ, "RAG_EMBEDDING_MODEL": str(tiny_models[0]), "RAG_INDEX_DIR": str(tmp_path / "i")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "cli.main", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
    assert run("index").returncode == 0
    done = run("ask", "經民聯對低空經濟有甚麼建議？", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mode"] == "hybrid"


@pytest.mark.corpus
def test_without_a_model_ask_is_lexical_fast_and_imports_no_torch(tmp_path: Path) -> None:
    probe = (
        "import sys, time, json; t = time.perf_counter();"
        "from rag.config import Settings; from rag.pipeline import Pipeline;"
        f"p = Pipeline(Settings(index_dir=__import__('pathlib').Path({str(tmp_path / 'i')!r}),"
        " embedding_model='no-such-org/no-such-model'));"
        "a = p.ask('食品產業園');"
        "print(json.dumps({'mode': a.mode, 'warnings': a.warnings, 'torch': 'torch' in sys.modules,"
        " 'seconds': time.perf_counter() - t}))"
    )
    env = {**os.environ, "RAG_EMBEDDING_MODEL": "no-such-org/no-such-model", "HF_HUB_OFFLINE": "0"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["mode"] == "lexical" and out["warnings"] == [MODEL_UNAVAILABLE.message]
    assert out["torch"] is False
    assert time.perf_counter() - started < 30  # includes building the index; the model check itself is < 1 s


@pytest.mark.corpus
def test_explicit_lexical_mode_skips_the_model_and_warns_nothing(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(index_dir=tmp_path / "i", mode=Mode.LEXICAL, embedding_model="no-such/model"))
    answer = pipeline.ask("食品產業園")
    assert answer.mode == "lexical" and answer.warnings == [] and pipeline.embedder is None


@pytest.mark.corpus
def test_reranker_reorders_candidates_with_a_tiny_cross_encoder(tiny_models, tmp_path: Path) -> None:
    from embeddings.testing import build_tiny_cross_encoder
    from rag.retrieve.rerank import MAX_CANDIDATES, load_reranker

    folder = build_tiny_cross_encoder(tmp_path / "ce", tiny_models[0])
    reranker = load_reranker(str(folder))
    texts = [f"段落 {i} 食品產業園" * (i + 1) for i in range(30)]
    candidates = [ScoredChunk(i, 1.0 / (i + 1)) for i in range(30)]
    out = reranker.rerank("食品產業園", candidates, texts, top_k=25)
    assert len(out) == 25 and sorted(i for i, _ in out[:MAX_CANDIDATES]) == list(range(MAX_CANDIDATES))
    assert [i for i, _ in out[MAX_CANDIDATES:]] == list(range(MAX_CANDIDATES, 25))  # beyond 20: order kept
    pipeline = Pipeline(Settings(index_dir=tmp_path / "i", mode=Mode.LEXICAL, reranker_model=str(folder)))
    assert pipeline.reranker is not None and pipeline.ask("食品產業園").sources


@pytest.mark.corpus
def test_missing_reranker_is_reported_not_fatal(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(index_dir=tmp_path / "i", mode=Mode.LEXICAL, reranker_model="no-such/reranker"))
    assert pipeline.reranker is None and any("not reranked" in n for n in pipeline.notices)
