"""Adding a document under a new body, and refusing documents the index could hold no passage of, on a two-document
copy of the corpus; a refusal leaves corpus and catalog byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.corpus.catalog import CatalogError, load_catalog
from rag.corpus.ingest import CorpusError, add_document

SUBMISSION = (
    "香港總商會對2025年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立專項基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。"
    "同時應完善人才政策，吸引海外專業人士來港工作，提升香港的國際競爭力。\n"
)
NEW_BODY = {"name_zh": "香港總商會", "name_en": "Hong Kong General Chamber of Commerce",
            "short_zh": ["總商會"], "short_en": ["HKGCC", "General Chamber"]}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def add(corpus: Path, tmp_path: Path, text: str = SUBMISSION, **overrides):
    source = tmp_path / "upload.txt"
    source.write_text(text, encoding="utf-8")
    fields = {"body": "CMA", "title_zh": "測試文件", "title_en": "Test document", "year": 2025}
    return add_document(corpus, source, "upload.txt", **{**fields, **overrides})


def test_a_new_body_with_digits_is_added_upper_case_with_its_names(small_corpus: Path, tmp_path: Path) -> None:
    doc = add(small_corpus, tmp_path, body="hkgcc2", body_names=NEW_BODY)
    catalog = load_catalog(small_corpus)
    assert doc.body == "HKGCC2" and catalog.document(doc.doc_id).body == "HKGCC2"
    body = catalog.bodies["HKGCC2"]
    assert (body.name_zh, body.name_en, body.short_zh, body.short_en) == (
        "香港總商會", "Hong Kong General Chamber of Commerce", ("總商會",), ("HKGCC", "General Chamber"))


def test_a_known_code_in_another_case_with_empty_names_files_under_it(small_corpus: Path, tmp_path: Path) -> None:
    doc = add(small_corpus, tmp_path, body="Fhki", body_names={"name_zh": "", "name_en": ""})
    assert doc.body == "FHKI" and set(load_catalog(small_corpus).bodies) == {"CMA", "FHKI", "BPA"}


# What forms a passage is the chunker's to say (the same path as the index build); these form none.
EMPTYISH = {
    "title block only": "香港總商會\n2025年施政報告建議\n",
    "page furniture only": "- 1 -\n\n- 2 -\n\n第 3 頁\n",
}
BAD_BODIES = {
    "code with a hyphen": ({"body": "HK-GCC", "body_names": NEW_BODY}, "letters or digits"),
    "code starting with a digit": ({"body": "2025", "body_names": NEW_BODY}, "starting with a letter"),
    "code too long": ({"body": "ABCDEFGHIJK", "body_names": NEW_BODY}, "2 to 10"),
    "name with a line break": ({"body": "HKGCC", "body_names": {**NEW_BODY, "name_en": "Hong Kong\nChamber"}},
                               "control characters"),
    "short name with a tab": ({"body": "HKGCC", "body_names": {**NEW_BODY, "short_zh": ["總\t商會"]}},
                              "control characters"),
    "name of another body": ({"body": "HKGCC", "body_names": {**NEW_BODY, "short_zh": ["工總"]}},
                             "already a name of body FHKI"),
    "full name of another body": ({"body": "MFRS", "body_names": {**NEW_BODY, "name_zh": "香港中華廠商聯合會"}},
                                  "already a name of body CMA"),
    "known code renamed": ({"body": "cma", "body_names": NEW_BODY}, "Body CMA already exists"),
    "unknown code without names": ({"body": "HKGCC"}, "not in the catalog"),
}


@pytest.mark.parametrize("case", list(EMPTYISH))
def test_a_document_without_a_passage_is_refused_and_nothing_changes(small_corpus: Path, tmp_path: Path,
                                                                      case: str) -> None:
    before = snapshot(small_corpus)
    with pytest.raises(CorpusError, match="yields no passage to index"):
        add(small_corpus, tmp_path, EMPTYISH[case], body="HKGCC", body_names=NEW_BODY)
    assert snapshot(small_corpus) == before


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_a_bad_body_is_refused_in_one_sentence_and_nothing_changes(small_corpus: Path, tmp_path: Path,
                                                                    case: str) -> None:
    overrides, message = BAD_BODIES[case]
    before = snapshot(small_corpus)
    with pytest.raises(CorpusError, match=message) as refused:
        add(small_corpus, tmp_path, **overrides)
    assert "\n" not in str(refused.value)
    assert snapshot(small_corpus) == before


@pytest.mark.parametrize(("codes", "message"), [
    (("CMA", "cma"), "defines body CMA already"),
    (("C-MA",), "letters or digits"),
    (("9AB",), "starting with a letter"),
])
def test_the_catalog_refuses_bad_or_case_duplicate_body_codes(tmp_path: Path, codes: tuple[str, ...],
                                                              message: str) -> None:
    tables = "".join(f'[bodies."{code}"]\nname_zh = "商會{i}"\nname_en = "Chamber {i}"\n' for i, code in enumerate(codes))
    (tmp_path / "catalog.toml").write_text(tables, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_catalog(tmp_path)


def test_the_catalog_refuses_a_body_name_on_two_lines(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text('[bodies.ABC]\nname_zh = "甲乙\\n商會"\nname_en = "ABC"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="'name_zh' contains a tab or a line break"):
        load_catalog(tmp_path)


def test_the_catalog_finds_a_body_code_in_any_case(small_corpus: Path) -> None:
    catalog = load_catalog(small_corpus)
    assert [catalog.body_code(c) for c in ("fhki", " Cma ", "XYZ")] == ["FHKI", "CMA", None]
