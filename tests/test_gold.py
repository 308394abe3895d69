"""The gold QA set: every evidence string is verbatim (whitespace aside) in its document and unique."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gold_evidence_is_verbatim_and_unique(capsys) -> None:
    spec = importlib.util.spec_from_file_location("check_gold", ROOT / "tools" / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files = sorted(str(p) for p in (ROOT / "eval" / "gold").glob("*.jsonl"))
    files = files or sorted(str(p) for p in (ROOT / "eval" / "gold" / "parts").glob("*.jsonl"))
    assert files
    assert module.main(files) == 0, capsys.readouterr().out
