"""Check gold QA files: every evidence text is verbatim (whitespace aside) in its document and unique in the corpus.

Usage: python tools/check_gold.py eval/gold/*.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rag.normalize import match_key  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TYPES = {"fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable"}


def main(paths: list[str]) -> int:
    docs = {p.stem: match_key(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))}
    problems, seen_ids = [], set()
    for path in paths:
        for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            q = json.loads(line)
            if q["id"] in seen_ids:
                problems.append(f"{where}: duplicate id {q['id']}")
            seen_ids.add(q["id"])
            if q.get("type") not in TYPES:
                problems.append(f"{where}: bad type {q.get('type')}")
            if q.get("lang") not in {"en", "zh-Hant", "zh-Hans"}:
                problems.append(f"{where}: bad lang {q.get('lang')}")
            if (q["type"] == "unanswerable") != (not q.get("evidence")):
                problems.append(f"{where}: unanswerable iff no evidence")
            for ev in q.get("evidence", []):
                key = match_key(ev["text"])
                if ev["doc"] not in docs:
                    problems.append(f"{where}: unknown doc {ev['doc']}")
                    continue
                if key not in docs[ev["doc"]]:
                    problems.append(f"{where}: evidence not in {ev['doc']}: {ev['text']}")
                hits = sum(d.count(key) for d in docs.values())
                if hits > 1:
                    problems.append(f"{where}: evidence occurs {hits} times in corpus: {ev['text']}")
    print("\n".join(problems) or f"ok: {len(seen_ids)} questions")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
