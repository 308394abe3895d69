"""Calibrate the composer's thresholds on the dev split (never on test): prints the sweeps it chose from.

- abstention: the best passage's coverage for unanswerable vs answerable questions;
- "which bodies": each body's best concept coverage (rag.answer.concepts) vs whether the gold answer lists that body,
  as the mean per-question body F1 the eval reports.
Run: .venv/bin/python benchmarks/calibrate.py [--split dev]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.gold import gold_paths, load_gold  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.understand.intent import classify  # noqa: E402
from rag.understand.query import build_query  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    parser.add_argument("-v", action="store_true", help="print every per-body decision")
    args = parser.parse_args()
    pipeline = Pipeline(Settings.from_env())
    questions = load_gold(gold_paths(args.split))
    best_cov, answerable, body_rows = [], [], []
    for q in questions:
        query = build_query(q.question, pipeline.tokenizer, pipeline.glossary)
        weights = pipeline._composer(None).topic_weights(query)
        intent = classify(q.question, pipeline.catalog)
        mask = None
        if len(intent.bodies) == 1 and intent.kind.value == "ask":
            mask = np.array([c.body == intent.bodies[0] for c in pipeline.chunks])
        hits, _, _ = pipeline._search(query, 10, None, mask)
        best_cov.append(max((pipeline.coverage.of(weights, i) for i, _ in hits), default=0.0))
        answerable.append(q.answerable)
        if q.type in ("which_bodies", "compare"):
            composer = pipeline._composer(lambda qq, k, m: pipeline._search(qq, k, None, m)[0])
            weights = composer.topic_weights(query, drop_unknown=True)
            concepts = pipeline.concepts.concepts(q.question, drop_unknown=query.language == "en")
            for code in pipeline.catalog.body_codes():
                best = composer._best_per_body(query, weights, code, None, concepts=concepts)
                body_rows.append([q.id, q.type, code, best[0][2] if best else 0.0, code in q.bodies])
            top = max(r[3] for r in body_rows[-len(pipeline.catalog.body_codes()):])
            for r in body_rows[-len(pipeline.catalog.body_codes()):]:
                r.append(r[3] / top if top else 0.0)
    cov, ans = np.array(best_cov), np.array(answerable)
    print(f"{args.split}: {ans.sum()} answerable, {(~ans).sum()} unanswerable")
    print("threshold  abstain-acc(unanswerable)  false-abstain(answerable)")
    for t in np.arange(0.2, 0.85, 0.05):
        print(f"  {t:.2f}      {np.mean(cov[~ans] < t):.3f}                     {np.mean(cov[ans] < t):.3f}")
    which = [r for r in body_rows if r[1] == "which_bodies"]
    print("concept coverage ≥ a and ≥ b × best body's: mean body F1 over which_bodies questions")
    for a in np.arange(0.2, 0.75, 0.05):
        cells = []
        for b in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8):
            per_question: dict[str, list[int]] = {}
            for r in which:
                keep = r[3] >= a and r[5] >= b
                counts = per_question.setdefault(r[0], [0, 0, 0])
                counts[0] += keep and r[4]
                counts[1] += keep and not r[4]
                counts[2] += not keep and r[4]
            scores = []
            for tp, fp, fn in per_question.values():
                p = tp / (tp + fp) if tp + fp else 1.0
                r_ = tp / (tp + fn) if tp + fn else 1.0
                scores.append(2 * p * r_ / (p + r_) if p + r_ else 0.0)
            cells.append(f"b={b:.1f}: {np.mean(scores):.3f}")
        print(f"  a={a:.2f}  " + "  ".join(cells))
    if args.v:
        for row in which:
            print(row)


if __name__ == "__main__":
    main()
