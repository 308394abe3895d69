"""Can the embedding model tell an answerable question from one no document answers? Measured on dev, not test.

For each dev question, the bundled model's cosine similarity to its closest passage (and that similarity as a z-score
over all passages, and its margin over the 20th closest) is a candidate abstention signal: "no passage close enough".
The script prints, per signal and language, the ROC AUC of separating answerable from unanswerable questions (0.5:
no better than chance) and the best threshold's accuracy. Run: .venv/bin/python benchmarks/dense_abstention.py
[--gold eval/gold/briefing/dev.jsonl]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.gold import gold_paths, load_gold  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Mode  # noqa: E402
from rag.understand.query import build_query  # noqa: E402


def auc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """ROC AUC of `scores` ranking the positives first (Mann-Whitney U); None without both classes."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def best_accuracy(scores: Sequence[float], answerable: Sequence[bool]) -> float:
    """The best accuracy of "answerable when the score is at least t" over every threshold t."""
    best = 0.0
    for t in sorted(set(scores)):
        right = sum((s >= t) == a for s, a in zip(scores, answerable, strict=True))
        best = max(best, right / len(scores))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", action="append", type=Path, default=[], help="more dev gold files (repeatable)")
    args = parser.parse_args()
    if any(path.name.startswith("test") for path in args.gold):
        parser.error("the test splits stay held out: measure on dev files only.")
    pipeline = Pipeline(Settings.from_env(mode=Mode.HYBRID))
    if pipeline.dense is None:
        print("The embedding model did not load: nothing to measure.", file=sys.stderr)
        return 1
    questions = load_gold([*gold_paths("dev"), *args.gold])
    rows = []
    for q in questions:
        query = build_query(q.question, pipeline.tokenizer, pipeline.glossary, pipeline.body_names)
        sims = np.sort(pipeline.dense.similarities(query))[::-1]
        rows.append((q.lang, q.answerable, float(sims[0]), float((sims[0] - sims.mean()) / (sims.std() or 1.0)),
                     float(sims[0] - sims[min(19, len(sims) - 1)])))
    print(f"{len(rows)} dev questions, {sum(not r[1] for r in rows)} unanswerable")
    print(f"{'signal':<16} {'language':<8} {'n':>4} {'AUC':>6} {'best acc.':>9} {'majority':>9}")
    for index, name in ((2, "max cosine"), (3, "z-score"), (4, "margin over 20th")):
        for language in ("all", "en", "zh-Hant", "zh-Hans"):
            chosen = [r for r in rows if language in ("all", r[0])]
            scores, answerable = [r[index] for r in chosen], [r[1] for r in chosen]
            value = auc(scores, answerable)
            majority = max(sum(answerable), len(answerable) - sum(answerable)) / len(answerable)
            shown = "  –   " if value is None else f"{value:6.3f}"
            print(f"{name:<16} {language:<8} {len(chosen):>4} {shown} {best_accuracy(scores, answerable):9.3f} "
                  f"{majority:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
