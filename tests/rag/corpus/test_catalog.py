"""The catalog: documents stay inside the corpus folder; bad fields are named in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.corpus.catalog import CatalogError, load_catalog

BODY = '[bodies.ABC]\nname_zh = "甲乙丙商會"\nname_en = "ABC Chamber"\n'


def corpus(tmp_path: Path, entry: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("一、建議\n本會建議發展無人機。\n", encoding="utf-8")
    (folder / "catalog.toml").write_text(f"{BODY}\n[[documents]]\n{entry}\n", encoding="utf-8")
    return folder


def entry(**changes: str) -> str:
    values = {"id": '"a"', "file": '"a.txt"', "body": '"ABC"', "title_zh": '"建議書"', "title_en": '"Proposals"',
              "year": "2024", "kind": '"submission"'}
    values.update(changes)
    return "\n".join(f"{k} = {v}" for k, v in values.items())


def test_a_good_entry_loads(tmp_path: Path) -> None:
    catalog = load_catalog(corpus(tmp_path, entry()))
    assert catalog.documents[0].year == 2024 and catalog.path_of(catalog.documents[0]).is_file()


@pytest.mark.parametrize("file", ['"/etc/os-release"', '"../../../../etc/os-release"', '"../outside.txt"'])
def test_a_file_outside_the_corpus_folder_is_refused(tmp_path: Path, file: str) -> None:
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CatalogError, match="outside the corpus folder"):
        load_catalog(corpus(tmp_path, entry(file=file)))


def test_a_symbolic_link_leading_out_is_refused(tmp_path: Path) -> None:
    folder = corpus(tmp_path, entry(file='"link.txt"'))
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(CatalogError, match="outside the corpus folder"):
        load_catalog(folder)


@pytest.mark.parametrize(("change", "message"), [
    ({"year": '"abc"'}, "'year' must be a year"),
    ({"year": "1066"}, "not a plausible year"),
    ({"title_zh": '"bad\\u0007title"'}, "control characters"),
    ({"title_zh": "3"}, "'title_zh' must be a non-empty string"),
    ({"front_matter_lines": '"two"'}, "front_matter_lines"),
])
def test_bad_fields_are_named(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(corpus(tmp_path, entry(**change)))


def test_a_body_without_an_english_name_is_named(tmp_path: Path) -> None:
    folder = corpus(tmp_path, entry())
    text = (folder / "catalog.toml").read_text(encoding="utf-8").replace('name_en = "ABC Chamber"\n', "")
    (folder / "catalog.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="'name_en' must be a non-empty string"):
        load_catalog(folder)
