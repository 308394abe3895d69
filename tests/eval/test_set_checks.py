"""The hand-written DEV sets' validators (eval/set_check.py and the thin eval/unseenNN/check.py scripts): each
set passes, and the shared checker catches a broken copy."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETS = ["unseen11", "unseen12", "unseen13", "unseen14", "unseen15"]


def _script(name: str):
    """The thin check.py of a set, loaded as a module (its main() is not run)."""
    spec = importlib.util.spec_from_file_location(f"_check_{name}", ROOT / "eval" / name / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy_set(name: str, tmp_path: Path):
    """A scratch copy of a set (documents, outlines, gold) and the config pointing at it."""
    module = _script(name)
    set_dir, gold_dir = tmp_path / name, tmp_path / "gold" / name
    shutil.copytree(ROOT / "eval" / name, set_dir)
    shutil.copytree(ROOT / "eval" / "gold" / name, gold_dir)
    return module, module.set_check.replace(module.CONFIG, set_dir=set_dir, gold_dir=gold_dir)


def _rewrite(path: Path, change) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    change(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("name", SETS)
def test_each_set_checker_prints_ok(name: str) -> None:
    done = subprocess.run([sys.executable, f"eval/{name}/check.py"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "ok"


def test_an_unchanged_copy_passes(tmp_path: Path) -> None:
    module, config = _copy_set("unseen13", tmp_path)
    assert module.set_check.check(config) == []


def test_evidence_not_in_its_document_is_flagged(tmp_path: Path) -> None:
    module, config = _copy_set("unseen13", tmp_path)
    broken: dict[str, str] = {}

    def break_first_answerable(rows: list[dict]) -> None:
        row = next(r for r in rows if r["evidence"] and not r["evidence"][0]["doc"][:1].isdigit())
        row["evidence"][0]["text"] = "a sentence that no document contains"
        broken["id"] = row["id"]

    _rewrite(config.gold / "dev.jsonl", break_first_answerable)
    problems = module.set_check.check(config)
    assert any(broken["id"] in p and "not on one line" in p for p in problems), problems
    assert any(broken["id"] in p and "occurs 0 times" in p for p in problems), problems


def test_evidence_outside_its_section_and_a_wrong_retarget_are_flagged(tmp_path: Path) -> None:
    module, config = _copy_set("unseen13", tmp_path)

    def move_section(rows: list[dict]) -> None:
        row = next(r for r in rows if r["evidence"] and not r["evidence"][0]["doc"][:1].isdigit())
        row["evidence"][0]["section"] = row["evidence"][0]["section"] + "-nowhere"

    _rewrite(config.gold / "test.jsonl", move_section)
    _rewrite(config.gold / "followups.jsonl", lambda rows: rows[0].update(retarget="year"))
    problems = module.set_check.check(config)
    assert any("is not a path of outline" in p for p in problems), problems
    assert any("retarget 'year'" in p for p in problems), problems


def test_a_heading_missing_from_the_english_half_is_flagged(tmp_path: Path) -> None:
    """c03 is given whole in Chinese, then whole in English: each heading must be found in its own half."""
    module, config = _copy_set("unseen13", tmp_path)
    outline = next((config.folder / "outline").glob("c03_*.json"))
    data = json.loads(outline.read_text(encoding="utf-8"))
    data["sections"][2]["heading_en"] = "A Heading the English Half Does Not Have"
    outline.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    problems = module.set_check.check(config)
    assert any("A Heading the English Half Does Not Have" in p for p in problems), problems
