from __future__ import annotations

from pathlib import Path

import pytest

from rag.corpus.catalog import CatalogError, load_catalog
from rag.corpus.loader import DecodeError, decode_bytes, read_text

SAMPLE = "香港中華廠商聯合會建議創建「香港食品產業園」，推動新型工業化。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "big5", "gb18030", "utf-16"])
def test_documents_in_common_encodings_decode_to_the_same_text(encoding: str) -> None:
    text = SAMPLE if encoding != "gb18030" else SAMPLE
    assert decode_bytes(text.encode(encoding), f"sample.{encoding}") == text


def test_binary_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(DecodeError, match="broken.txt"):
        read_text(path)


@pytest.mark.corpus
def test_seed_documents_load_unchanged(corpus_dir: Path) -> None:
    for path in corpus_dir.glob("0*.txt"):
        assert read_text(path) == path.read_bytes().decode("utf-8")


@pytest.mark.corpus
def test_catalog_entry_whose_file_is_missing_is_named(small_corpus: Path) -> None:
    (small_corpus / "002_c6cbd0b05b50272d.txt").unlink()
    with pytest.raises(CatalogError, match="002_c6cbd0b05b50272d.txt"):
        load_catalog(small_corpus)


@pytest.mark.corpus
def test_catalog_with_unknown_body_is_refused(small_corpus: Path) -> None:
    path = small_corpus / "catalog.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('body = "FHKI"', 'body = "XYZ"'), encoding="utf-8")
    with pytest.raises(CatalogError, match="XYZ"):
        load_catalog(small_corpus)
