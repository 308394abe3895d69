"""Loading the real model: local folders, the Hugging Face cache, and fast, helpful failures offline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from embeddings import hub as hub_module
from embeddings import model as model_module
from embeddings.model import EmbeddingConfig, ModelUnavailable, load_embedder

UNKNOWN_MODEL = "hk-policy-qa-tests/no-such-model"
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_unknown_model_offline_fails_fast_with_helpful_message(tmp_path: Path, network_attempts: list[str]) -> None:
    cfg = EmbeddingConfig(model=UNKNOWN_MODEL, cache_dir=str(tmp_path / "hub"))
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable) as caught:
        load_embedder(cfg)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    message = str(caught.value)
    assert UNKNOWN_MODEL in message
    assert "not in the local Hugging Face cache" in message
    assert "local folder" in message and "allow the download" in message
    assert network_attempts == []


def test_offline_failure_is_fast_in_a_fresh_process_and_imports_no_torch(tmp_path: Path) -> None:
    """Cold start as in `rag ask`: importing and failing must not pull in torch or take a second."""
    script = f"""
import json, sys, time
started = time.perf_counter()
import embeddings, embeddings.model
heavy = ("torch", "sentence_transformers", "transformers", "faiss", "llama_index")
after_import = [name for name in heavy if name in sys.modules]
try:
    embeddings.load_embedder(embeddings.EmbeddingConfig(model={UNKNOWN_MODEL!r}, cache_dir={str(tmp_path)!r}))
    outcome = "loaded"
except embeddings.ModelUnavailable:
    outcome = "unavailable"
elapsed = time.perf_counter() - started
after_failure = [name for name in heavy if name in sys.modules]
import embeddings.store, embeddings.llama_adapter
print(json.dumps({{"after_import": after_import, "outcome": outcome, "elapsed": elapsed,
                  "after_failure": after_failure, "torch_after_store": "torch" in sys.modules}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["after_import"] == []
    assert report["outcome"] == "unavailable"
    assert report["elapsed"] < 1.0
    assert report["after_failure"] == []
    assert report["torch_after_store"] is False


def test_missing_local_path_raises_model_unavailable() -> None:
    with pytest.raises(ModelUnavailable, match="no model folder at"):
        load_embedder(EmbeddingConfig(model="./no/such/model-folder"))


def test_folder_that_is_not_a_model_raises_model_unavailable(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="SentenceTransformer.save"):
        load_embedder(EmbeddingConfig(model=str(tmp_path)))


def _fake_hub_cache(model_dir: Path, hub: Path, repo_id: str) -> Path:
    """Lay `model_dir` out as huggingface_hub caches a download of `repo_id`; returns the snapshot folder."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = hub / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / commit
    shutil.copytree(model_dir, snapshot)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    return snapshot


def test_local_folder_loads_without_network(tiny_model_dir: Path, network_attempts: list[str]) -> None:
    embedder = load_embedder(EmbeddingConfig(model=str(tiny_model_dir)))
    assert embedder.embed_passages(["香港"]).shape == (1, 32)
    assert network_attempts == []


def test_name_found_in_hugging_face_cache_loads_without_network(
    tiny_model_dir: Path, tmp_path: Path, network_attempts: list[str]
) -> None:
    _fake_hub_cache(tiny_model_dir, tmp_path / "hub", "hkpqa/tiny-e5")
    embedder = load_embedder(EmbeddingConfig(model="hkpqa/tiny-e5", cache_dir=str(tmp_path / "hub")))
    assert network_attempts == []
    assert embedder.name == "hkpqa/tiny-e5"
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")
    assert embedder.embed_queries(["香港"]).shape == (1, 32)


def test_download_with_unreachable_hub_fails_fast(tmp_path: Path, network_attempts: list[str]) -> None:
    """Allowing the download on an unconnected machine costs one probe, not the hub's minute of retries."""
    cfg = EmbeddingConfig(
        model=UNKNOWN_MODEL, allow_download=True, download_timeout_s=2.0, cache_dir=str(tmp_path / "hub")
    )
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable) as caught:
        load_embedder(cfg)
    assert time.perf_counter() - started < 1.0
    assert "could not be reached" in str(caught.value) and UNKNOWN_MODEL in str(caught.value)
    assert network_attempts and all("huggingface.co" in attempt for attempt in network_attempts)


def test_download_stops_after_failed_probe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub
    from huggingface_hub import HfApi

    probes: list[float | None] = []

    def unreachable(self: HfApi, repo_id: str, *, timeout: float | None = None, **kwargs: object) -> None:
        probes.append(timeout)
        raise ConnectionError("network is unreachable")

    def must_not_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("snapshot_download must not run after a failed probe")

    monkeypatch.setattr(HfApi, "model_info", unreachable)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", must_not_download)
    cfg = EmbeddingConfig(
        model="intfloat/multilingual-e5-small",
        allow_download=True,
        download_timeout_s=3.0,
        cache_dir=str(tmp_path / "hub"),
    )
    with pytest.raises(ModelUnavailable, match="could not be reached"):
        model_module.load_embedder(cfg)
    assert probes == [3.0]


def test_incomplete_cached_snapshot_is_downloaded_again_when_allowed(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = _fake_hub_cache(tiny_model_dir, tmp_path / "hub", "hkpqa/tiny")
    (snapshot / "model.safetensors").unlink()
    downloads: list[str] = []

    def fake_download(cfg: EmbeddingConfig) -> Path:
        downloads.append(cfg.model)
        return tiny_model_dir

    monkeypatch.setattr(hub_module, "_download", fake_download)
    offline = EmbeddingConfig(model="hkpqa/tiny", cache_dir=str(tmp_path / "hub"))
    with pytest.raises(ModelUnavailable, match="failed"):
        load_embedder(offline)
    assert downloads == []
    embedder = load_embedder(EmbeddingConfig(model="hkpqa/tiny", cache_dir=str(tmp_path / "hub"), allow_download=True))
    assert downloads == ["hkpqa/tiny"]
    assert embedder.dim == 32
