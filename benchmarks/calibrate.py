"""Calibrate the judge's thresholds (rag.config.JudgeSettings) on the dev split, never on test: prints the sweeps.

Every setting is tried through the public API only: `Pipeline.with_settings(judge=...)` answers the dev
questions as `rag ask` does, and the eval's own metrics (eval.metrics) score the answers:
- abstention: abstain_below against abstention accuracy (unanswerable) and false abstention (answerable);
- "which bodies": body_keep_at × body_keep_relative against the mean body F1 over which_bodies and compare;
- the concept window (window_sentences), the weight of everyday English words (dictionary_weight) and of English
  words found nowhere (unread_weight) against both.
The current setting is marked `*`.
Run: .venv/bin/python benchmarks/calibrate.py [--mode lexical] [--gold DEV.jsonl] [--only settings]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.gold import GoldQuestion, gold_paths, load_gold  # noqa: E402
from eval.metrics import abstention_rates, body_prf, mean  # noqa: E402
from eval.runner import DEPTH  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Mode  # noqa: E402


def score(pipeline: Pipeline, questions: Sequence[GoldQuestion], mode: Mode) -> dict[str, float | None]:
    """The eval's abstention rates and mean body F1 of the pipeline's answers to `questions`."""
    answers = [pipeline.ask(q.question, top_k=DEPTH, mode=mode) for q in questions]
    out = abstention_rates([a.abstained for a in answers], [q.answerable for q in questions])
    out["body_f1"] = mean(body_prf(a.bodies, q.bodies)[2] for a, q in zip(answers, questions, strict=True)
                          if q.asks_bodies)
    return out


def _f(value: float | None) -> str:
    return "  –  " if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev"], help="the test split stays held out")
    parser.add_argument("--mode", default="lexical", choices=[m.value for m in Mode])
    parser.add_argument("--gold", action="append", type=Path, default=[],
                        help="another dev gold file over the shipped corpus, asked as well (repeatable)")
    parser.add_argument("--only", choices=["abstain", "bodies", "settings"], help="run one of the sweeps")
    args = parser.parse_args()
    if any(path.name.startswith("test") for path in args.gold):
        parser.error("the test splits stay held out: calibrate on dev files only.")
    mode = Mode(args.mode)
    pipeline = Pipeline(Settings.from_env(mode=mode))
    base = pipeline.settings.judge
    questions = load_gold([*gold_paths(args.split), *args.gold])
    bodies = [q for q in questions if q.asks_bodies]
    print(f"{args.split}: {sum(q.answerable for q in questions)} answerable, "
          f"{sum(not q.answerable for q in questions)} unanswerable, {len(bodies)} asking for bodies; mode {mode}")
    print(f"current: {base}")

    if args.only in (None, "abstain"):
        sweep_abstention(pipeline, questions, mode)
    if args.only in (None, "bodies"):
        sweep_bodies(pipeline, bodies, mode)
    if args.only in (None, "settings"):
        sweep_settings(pipeline, questions, mode)


def sweep_abstention(pipeline: Pipeline, questions: Sequence[GoldQuestion], mode: Mode) -> None:
    base = pipeline.settings.judge
    print("\nabstain_below  abstention-acc(unanswerable)  false-abstention(answerable)  body-F1")
    for t in np.round(np.arange(0.20, 0.61, 0.05), 2):
        s = score(pipeline.with_settings(judge=replace(base, abstain_below=float(t))), questions, mode)
        mark = "*" if t == base.abstain_below else " "
        print(f"  {t:.2f}{mark}        {_f(s['abstention_accuracy'])}                        "
              f"{_f(s['false_abstention_rate'])}                      {_f(s['body_f1'])}")



def sweep_bodies(pipeline: Pipeline, bodies: Sequence[GoldQuestion], mode: Mode) -> None:
    base = pipeline.settings.judge
    relatives = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8)
    print("\nmean body F1 (which_bodies and compare) by body_keep_at (a) and body_keep_relative (b)")
    print("           " + "  ".join(f"b={b:.1f} " for b in relatives))
    for a in np.round(np.arange(0.20, 0.71, 0.05), 2):
        cells = []
        for b in relatives:
            judge = replace(base, body_keep_at=float(a), body_keep_relative=b)
            mark = "*" if (a, b) == (base.body_keep_at, base.body_keep_relative) else " "
            cells.append(f"{_f(score(pipeline.with_settings(judge=judge), bodies, mode)['body_f1'])}{mark}")
        print(f"  a={a:.2f}  " + "  ".join(cells))



def sweep_settings(pipeline: Pipeline, questions: Sequence[GoldQuestion], mode: Mode) -> None:
    base = pipeline.settings.judge
    print("\nsetting                   abstention-acc  false-abstention  body-F1")
    for name, values in (("window_sentences", (1, 2, 3, 4, 5)), ("dictionary_weight", (0.0, 0.2, 0.4, 0.45, 0.6)),
                         ("unread_weight", (0.0, 0.1, 0.2, 0.3, 0.5))):
        for value in values:
            s = score(pipeline.with_settings(judge=replace(base, **{name: value})), questions, mode)
            mark = "*" if getattr(base, name) == value else " "
            print(f"  {name}={value:<5}{mark}   {_f(s['abstention_accuracy'])}           "
                  f"{_f(s['false_abstention_rate'])}             {_f(s['body_f1'])}")


if __name__ == "__main__":
    main()
