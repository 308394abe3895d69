"""Any damage to the index folder is noticed on load and mended by a rebuild, with a notice; never a crash."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode


def make(corpus: Path, index: Path, **kwargs) -> Pipeline:
    return Pipeline(Settings(corpus_dir=corpus, index_dir=index, mode=Mode.LEXICAL), **kwargs)


def live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def shuffle_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    path.write_text("".join(lines), encoding="utf-8")


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), max(1, len(data) // 7)):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


def empty_npy(index: Path) -> None:
    next(live(index).rglob("*.npy")).write_bytes(b"")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "chunks shuffled, same size": lambda i: shuffle_lines(live(i) / "chunks.jsonl"),
    "bytes flipped in a bm25 array": lambda i: flip_bytes(next(live(i).rglob("*.npy"))),
    "an emptied .npy": empty_npy,
    "CURRENT not UTF-8": lambda i: (i / "CURRENT").write_bytes(b"\xff\xfe\x00bad"),
    "CURRENT a folder": lambda i: ((i / "CURRENT").unlink(), (i / "CURRENT").mkdir()),
    "CURRENT names ../": lambda i: (i / "CURRENT").write_text("../../etc"),
    "manifest a list": lambda i: (live(i) / "manifest.json").write_text("[1, 2]"),
    "manifest not JSON": lambda i: (live(i) / "manifest.json").write_text("{"),
    "documents missing": lambda i: (live(i) / "documents.json").unlink(),
    "tokens emptied": lambda i: (live(i) / "tokens.json").write_text(""),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_rebuilt_with_a_notice_and_answers_stay_the_same(small_corpus, tmp_path, damage) -> None:
    index = tmp_path / "index"
    before = make(small_corpus, index).ask("食品產業園", top_k=3)
    DAMAGE[damage](index)
    again = make(small_corpus, index)
    assert any("damaged" in n or "names no build" in n or "not one this version" in n for n in again.notices), \
        again.notices
    after = again.ask("食品產業園", top_k=3)
    assert [s.chunk_id for s in after.sources] == [s.chunk_id for s in before.sources]
    assert after.answer == before.answer


def test_force_never_reads_the_old_index(small_corpus, tmp_path, monkeypatch) -> None:
    index = tmp_path / "index"
    make(small_corpus, index)
    (index / "CURRENT").write_bytes(b"\xff")

    def no_load(*args, **kwargs):
        raise AssertionError("--force must not load the old index")

    monkeypatch.setattr("rag.pipeline.load_index", no_load)
    rebuilt = make(small_corpus, index, rebuild=True)
    assert rebuilt.chunks and (index / "CURRENT").read_text().startswith("build-")


def test_the_manifest_records_a_checksum_for_every_file(small_corpus, tmp_path) -> None:
    pipeline = make(small_corpus, tmp_path / "index")
    files = json.loads((live(tmp_path / "index") / "manifest.json").read_text())["files"]
    assert {"chunks.jsonl", "tokens.json", "documents.json"} <= set(files)
    assert all(size > 0 and len(digest) == 32 for size, digest in files.values())
    assert pipeline.documents.keys() == {d.doc_id for d in pipeline.catalog.documents}
