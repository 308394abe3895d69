"""DenseIndex: build, search (against a brute-force reference), save/load roundtrip and load failures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embeddings.model import Embedder, HashEmbedder
from embeddings.store import FAISS_FILE, IDS_FILE, META_FILE, DenseIndex, DenseIndexError

PASSAGES = [
    "創建「香港食品產業園」，推動食品製造業升級。",
    "建議政府提供稅務優惠，鼓勵企業投資研發。",
    "加強人才培訓，吸引海外專才來港發展。",
    "推動新型工業化，善用北部都會區土地。",
    "",
]
IDS = [f"doc#{n}" for n in range(len(PASSAGES))]


@pytest.fixture
def hash_index(hash_embedder: HashEmbedder) -> DenseIndex:
    return DenseIndex.build(IDS, PASSAGES, hash_embedder)


@pytest.fixture
def saved_index(hash_index: DenseIndex, tmp_path: Path) -> Path:
    directory = tmp_path / "dense"
    hash_index.save(directory)
    return directory


@pytest.mark.corpus
def test_top_hit_of_own_text_is_itself_with_tiny_model(
    tiny_embedder: Embedder, corpus_pieces: list[str], tmp_path: Path
) -> None:
    pieces = corpus_pieces[:80]
    ids = [f"piece#{n}" for n in range(len(pieces))]
    DenseIndex.build(ids, pieces, tiny_embedder).save(tmp_path / "dense")
    index = DenseIndex.load(tmp_path / "dense", expected_dim=tiny_embedder.dim, expected_model=tiny_embedder.name)
    queries = tiny_embedder.embed_queries(pieces[::10])
    for n, query in zip(range(0, len(pieces), 10), queries, strict=True):
        hits = index.search(query, top_k=3)
        assert hits[0][0] == ids[n]
        assert hits[0][1] == pytest.approx(1.0, abs=1e-4)


def test_search_matches_brute_force_inner_product(hash_index: DenseIndex, hash_embedder: HashEmbedder) -> None:
    query = hash_embedder.embed_queries(["食品產業園 稅務優惠"])[0]
    reference = hash_embedder.embed_passages(PASSAGES) @ query
    expected_order = [IDS[i] for i in np.argsort(-reference, kind="stable")[:3]]
    hits = hash_index.search(query, top_k=3)
    assert [chunk_id for chunk_id, _ in hits] == expected_order
    np.testing.assert_allclose([score for _, score in hits], np.sort(reference)[::-1][:3], rtol=1e-5)


def test_top_k_larger_than_index_returns_every_chunk(hash_index: DenseIndex, hash_embedder: HashEmbedder) -> None:
    hits = hash_index.search(hash_embedder.embed_queries(["香港"])[0], top_k=50)
    assert sorted(chunk_id for chunk_id, _ in hits) == sorted(IDS)


def test_search_with_zero_top_k_raises(hash_index: DenseIndex, hash_embedder: HashEmbedder) -> None:
    with pytest.raises(ValueError, match="top_k must be greater than 0"):
        hash_index.search(hash_embedder.embed_queries(["香港"])[0], top_k=0)


def test_search_with_wrong_query_dimension_raises(hash_index: DenseIndex) -> None:
    with pytest.raises(DenseIndexError, match="same model"):
        hash_index.search(np.ones(32, dtype=np.float32), top_k=1)


def test_empty_index_returns_no_hits(hash_embedder: HashEmbedder, tmp_path: Path) -> None:
    DenseIndex.build([], [], hash_embedder).save(tmp_path / "dense")
    index = DenseIndex.load(tmp_path / "dense")
    assert len(index) == 0
    assert index.search(hash_embedder.embed_queries(["香港"])[0], top_k=5) == []


def test_build_with_duplicate_chunk_ids_raises(hash_embedder: HashEmbedder) -> None:
    with pytest.raises(ValueError, match="unique"):
        DenseIndex.build(["a", "a"], ["x", "y"], hash_embedder)


def test_build_with_mismatched_lengths_raises(hash_embedder: HashEmbedder) -> None:
    with pytest.raises(ValueError, match="2 chunk ids but 1 texts"):
        DenseIndex.build(["a", "b"], ["x"], hash_embedder)


def test_save_load_roundtrip_keeps_ids_scores_and_meta(
    hash_index: DenseIndex, saved_index: Path, hash_embedder: HashEmbedder
) -> None:
    loaded = DenseIndex.load(saved_index, expected_dim=64, expected_model=hash_embedder.name)
    assert loaded.chunk_ids == IDS
    assert (loaded.model, loaded.dim) == (hash_embedder.name, 64)
    query = hash_embedder.embed_queries(["人才培訓"])[0]
    assert loaded.search(query, top_k=3) == hash_index.search(query, top_k=3)
    meta = json.loads((saved_index / META_FILE).read_text(encoding="utf-8"))
    assert meta["model"] == hash_embedder.name and meta["dim"] == 64 and meta["count"] == len(IDS)
    assert sorted(p.name for p in saved_index.iterdir()) == sorted([FAISS_FILE, IDS_FILE, META_FILE])


@pytest.mark.parametrize("name", [FAISS_FILE, IDS_FILE, META_FILE])
def test_load_with_missing_file_raises(saved_index: Path, name: str) -> None:
    (saved_index / name).unlink()
    with pytest.raises(DenseIndexError, match=f"{name} missing.*Rebuild"):
        DenseIndex.load(saved_index)


def test_load_from_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(DenseIndexError, match="missing"):
        DenseIndex.load(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (META_FILE, b"{not json", "unreadable"),
        (META_FILE, b'{"format": "something else"}', "not a dense-index meta file"),
        (IDS_FILE, b"[1, 2", "unreadable"),
        (IDS_FILE, b'["only-one"]', "disagrees"),
        (IDS_FILE, b'{"a": 1}', "not a list of chunk ids"),
        (FAISS_FILE, b"garbage bytes, not a faiss index", "checksum"),
    ],
)
def test_load_with_corrupt_file_raises(saved_index: Path, name: str, content: bytes, problem: str) -> None:
    (saved_index / name).write_bytes(content)
    with pytest.raises(DenseIndexError, match=problem):
        DenseIndex.load(saved_index)


def test_load_with_truncated_faiss_file_raises(saved_index: Path) -> None:
    path = saved_index / FAISS_FILE
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(DenseIndexError, match="checksum"):
        DenseIndex.load(saved_index)


def test_load_with_unreadable_faiss_file_matching_checksum_raises(saved_index: Path) -> None:
    """Even with a matching checksum, FAISS's own read error surfaces as DenseIndexError."""
    import hashlib

    garbage = b"definitely not a faiss index"
    (saved_index / FAISS_FILE).write_bytes(garbage)
    meta = json.loads((saved_index / META_FILE).read_text(encoding="utf-8"))
    meta["faiss_sha256"] = hashlib.sha256(garbage).hexdigest()
    (saved_index / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DenseIndexError, match="unreadable"):
        DenseIndex.load(saved_index)


def test_load_with_dimension_mismatch_raises(saved_index: Path) -> None:
    with pytest.raises(DenseIndexError, match="64-dimensional.*gives 384 dimensions"):
        DenseIndex.load(saved_index, expected_dim=384)


def test_load_with_other_model_raises(saved_index: Path) -> None:
    with pytest.raises(DenseIndexError, match="not with 'intfloat/multilingual-e5-small'"):
        DenseIndex.load(saved_index, expected_model="intfloat/multilingual-e5-small")


def test_meta_dimension_disagreeing_with_faiss_file_raises(saved_index: Path) -> None:
    meta = json.loads((saved_index / META_FILE).read_text(encoding="utf-8"))
    meta["dim"] = 32
    (saved_index / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DenseIndexError, match="disagrees"):
        DenseIndex.load(saved_index)


def test_vectors_are_the_stored_rows_and_survive_a_save(hash_index: DenseIndex, hash_embedder: HashEmbedder,
                                                        saved_index: Path) -> None:
    expected = np.asarray(hash_embedder.embed_passages(PASSAGES[1:3]), dtype=np.float32)
    np.testing.assert_allclose(hash_index.vectors([1, 2]), expected, atol=1e-6)
    np.testing.assert_allclose(DenseIndex.load(saved_index).vectors([2]), expected[1:], atol=1e-6)
    assert hash_index.vectors([]).shape == (0, hash_index.dim)
