"""Check gold QA files: evidence verbatim (whitespace aside) in its document and unique in the corpus.

Usage: python tools/check_gold.py eval/gold/parts/*.jsonl   (a thin front for eval.gold.load_gold)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from eval.corpus import body_codes, raw_documents  # noqa: E402
from eval.gold import GoldError, load_gold  # noqa: E402


def main(paths: list[str]) -> int:
    try:
        questions = load_gold(paths, documents=raw_documents(), bodies=body_codes(), require_unique=True)
    except GoldError as exc:
        print(exc)
        return 1
    print(f"ok: {len(questions)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
