"""`rag add`: a document for a body of the catalog or a new one; bad input is one line, exit 2, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from rag.corpus.catalog import load_catalog

TEXT = (
    "香港總商會對2025年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立專項基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。"
    "同時應完善人才政策，吸引海外專業人士來港工作，提升香港的國際競爭力。\n"
)


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "總商會意見書.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def rag_add(corpus: Path, *args: str) -> int:
    return main(["--corpus", str(corpus), "add", *args])


def test_add_files_a_document_under_a_new_body_with_its_names(small_corpus: Path, document: Path, capsys) -> None:
    code = rag_add(small_corpus, str(document), "--body", "HKGCC", "--year", "2025",
                   "--title-zh", "總商會對2025年施政報告的建議", "--title-en", "HKGCC proposals for 2025",
                   "--name-zh", "香港總商會", "--name-en", "Hong Kong General Chamber of Commerce",
                   "--short-zh", "總商會", "--short-en", "HKGCC", "--short-en", "General Chamber")
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("added ") and "(HKGCC 2025)" in out
    catalog = load_catalog(small_corpus)
    doc = catalog.documents[-1]
    assert (doc.body, doc.year, doc.title_en) == ("HKGCC", 2025, "HKGCC proposals for 2025")
    assert catalog.bodies["HKGCC"].short_en == ("HKGCC", "General Chamber")
    assert (small_corpus / doc.file).read_text(encoding="utf-8") == TEXT


def test_add_files_a_document_under_a_known_body_in_any_case(small_corpus: Path, document: Path) -> None:
    assert rag_add(small_corpus, str(document), "--body", "fhki", "--year", "2026", "--title-zh", "建議書") == 0
    assert load_catalog(small_corpus).documents[-1].body == "FHKI"


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "2025", "--title-zh", "建議書"], "required: --body"),
    (["--body", "CMA", "--year", "soon", "--title-zh", "建議書"], "--year: invalid int value"),
    (["--body", "CMA", "--year", "1800", "--title-zh", "建議書"], "between 1990 and 2100"),
    (["--body", "HKGCC", "--year", "2025", "--title-zh", "建議書"], "not in the catalog"),
    (["--body", "HK GCC", "--year", "2025", "--title-zh", "建議書", "--name-zh", "總商會", "--name-en", "Chamber"],
     "letters or digits"),
    (["--body", "HKGCC", "--year", "2025", "--title-zh", "建議書", "--name-zh", "總商會"], "needs a non-empty name_en"),
    (["--body", "CMA", "--year", "2025", "--title-zh", "建議書", "--short-zh", "別名"], "already exists"),
    (["--body", "CMA", "--year", "2025", "--title-zh", "建議書", "--name-en", "Line\nbreak"], "already exists"),
    (["--body", "HKGCC", "--year", "2025", "--title-zh", "建議書", "--name-zh", "總商會", "--name-en", "Line\nbreak"],
     "control characters"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(small_corpus: Path, document: Path, capsys,
                                                          args: list[str], message: str) -> None:
    before = snapshot(small_corpus)
    assert rag_add(small_corpus, str(document), *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag") and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(small_corpus) == before


@pytest.mark.parametrize(("text", "message"), [
    (None, "is not a file"),
    ("", "is empty"),
    ("封面\n2025\n", "yields no passage to index"),
])
def test_a_missing_empty_or_passageless_document_is_refused(small_corpus: Path, tmp_path: Path, capsys,
                                                            text: str | None, message: str) -> None:
    path = tmp_path / "blank.txt"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    before = snapshot(small_corpus)
    assert rag_add(small_corpus, str(path), "--body", "CMA", "--year", "2025", "--title-zh", "建議書") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert snapshot(small_corpus) == before
