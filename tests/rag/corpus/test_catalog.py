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


BODIES = """
[bodies.TWBC]
name_zh = "香港潮匯商務議會"
name_en = "Tidewater Business Council of Hong Kong"
[bodies.GHDA]
name_zh = "香港綠色款待及餐飲聯盟"
name_en = "Hong Kong Green Hospitality and Dining Alliance"
[bodies.HKBC]
name_zh = "香港商務議會"
name_en = "Hong Kong Business Council"
[bodies.LPMA]
name_zh = "香港荔坪區商戶聯誼總會"
name_en = "Laiping District Merchants' Association of Hong Kong"
"""


def test_a_question_may_shorten_a_name_to_what_sets_it_apart(tmp_path: Path) -> None:
    from rag.understand.intent import named_bodies

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "catalog.toml").write_text(BODIES, encoding="utf-8")
    catalog = load_catalog(folder)
    assert named_bodies("What does the Tidewater council propose on drones?", catalog) == ["TWBC"]
    assert named_bodies("How much would the hospitality and dining alliance's subsidy pay?", catalog) == ["GHDA"]
    assert named_bodies("綠色款待聯盟建議興建多少間生態旅舍？", catalog) == ["GHDA"]
    assert named_bodies("绿色款待联盟有甚么建议？", catalog) == ["GHDA"]
    # a word two bodies' names share sets neither apart; a name's own kind alone names no body
    assert "business council" not in catalog.bodies["TWBC"].derived
    assert named_bodies("Which council proposes a sugar tax?", catalog) == []
    assert "香港商務議會" not in catalog.bodies["TWBC"].derived
    # … or to its members, named in the possessive before its kind
    assert named_bodies("How much could one shop borrow under the Laiping merchants' micro-loan?", catalog) == ["LPMA"]
    assert named_bodies("What do the Laiping District merchants propose?", catalog) == ["LPMA"]
    assert named_bodies("Which merchants propose a micro-loan?", catalog) == []
