"""`rag replace` and `rag remove`: the UI's library changes from the command line; bad input is one line, exit 2,
nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from rag.corpus.catalog import load_catalog

REVISED = (
    "香港中華廠商聯合會對2024年施政報告的建議（修訂本）\n\n"
    "一、創建食品產業園\n\n"
    "本會建議政府在北部都會區預留土地，創建香港食品產業園，集中發展高增值食品製造，並設立共用的檢測及物流設施。\n"
)
FOOD = "000_f19342d821a7e080"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def rag(corpus: Path, *args: str) -> int:
    return main(["--corpus", str(corpus), *args])


def test_remove_takes_the_document_out_of_the_catalog_and_the_folder(small_corpus: Path, capsys) -> None:
    assert rag(small_corpus, "remove", FOOD) == 0
    assert capsys.readouterr().out.startswith(f"removed {FOOD} (CMA 2024)")
    assert FOOD not in {d.doc_id for d in load_catalog(small_corpus).documents}
    assert not (small_corpus / f"{FOOD}.txt").exists()


def test_replace_keeps_id_body_and_year_with_the_new_text(small_corpus: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "修訂本.txt"
    path.write_text(REVISED, encoding="utf-8")
    assert rag(small_corpus, "replace", FOOD, str(path)) == 0
    assert capsys.readouterr().out.startswith(f"replaced the file of {FOOD} (CMA 2024)")
    document = load_catalog(small_corpus).document(FOOD)
    assert (document.body, document.year, document.file) == ("CMA", 2024, f"{FOOD}.txt")
    assert (small_corpus / document.file).read_text(encoding="utf-8") == REVISED


@pytest.mark.parametrize(("args", "message"), [
    (["remove", "999_unknown"], "Unknown document '999_unknown'"),
    (["remove"], "required: doc_id"),
    (["replace", FOOD, "no-such-file.txt"], "is not a file"),
    (["replace", "999_unknown", "{revised}"], "Unknown document '999_unknown'"),
    (["replace", FOOD, "{same}"], "already has"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(small_corpus: Path, tmp_path: Path, capsys, args,
                                                          message) -> None:
    revised = tmp_path / "revised.txt"
    revised.write_text(REVISED, encoding="utf-8")
    files = {"{revised}": str(revised), "{same}": str(small_corpus / f"{FOOD}.txt")}
    before = snapshot(small_corpus)
    assert rag(small_corpus, *[files.get(arg, arg) for arg in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag: ") and message in err and err.count("\n") == 1
    assert snapshot(small_corpus) == before
