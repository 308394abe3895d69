"""The CI regression gate: lexical and hybrid retrieval and answers on the dev split must stay within 0.03 of
the committed baselines (Hit@5, MRR@10, body F1 and abstention accuracy may not fall, false abstentions may not
rise).

The baseline numbers live in eval/baseline_dev_<mode>.json, written by
`rag eval --split dev --modes lexical,hybrid --no-baselines --write-baseline` and committed with the change
that moved them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASELINE_DIR = Path(__file__).resolve().parent
GATED = ("hit@5", "mrr@10", "body_f1", "abstention_accuracy")
LOWER_IS_BETTER = ("false_abstention_rate",)  # the gate and the reports
STORED = ("hit@1", "hit@5", "recall@5", "mrr@10", "ndcg@10", "body_f1", "abstention_accuracy",
          "false_abstention_rate")
TOLERANCE = 0.03  # a metric moving more than this the wrong way is a regression (the gate and the reports)
GATE_SPLIT, GATE_K = "dev", 5
GATE_MODES = ("lexical", "hybrid")  # lexical: the fallback without a model; hybrid: the default


def baseline_file(mode: str) -> Path:
    return BASELINE_DIR / f"baseline_{GATE_SPLIT}_{mode}.json"


class GateError(ValueError):
    """The gate cannot compare: no baseline file, or results of the wrong kind."""


def write_baseline(results: dict[str, Any], mode: str, path: Path | None = None) -> dict[str, Any]:
    """Store the dev numbers of one mode of a `run_eval` result as that mode's new baseline."""
    meta = results["meta"]
    system = results["systems"].get(mode)
    if meta["gold"] != GATE_SPLIT or meta["k"] != GATE_K:
        raise GateError(
            f"The baseline holds the {GATE_SPLIT} split at k={GATE_K}; this run used {meta['gold']} at k={meta['k']}."
        )
    if mode not in GATE_MODES or not system or system["status"] != "ok":
        raise GateError(f"A baseline needs a run of one of {', '.join(GATE_MODES)} that ran as itself.")
    overall = system["overall"]
    baseline = {
        "split": GATE_SPLIT,
        "mode": mode,
        "k": GATE_K,
        "gold_digest": meta["gold_digest"],
        "n_questions": meta["n_questions"],
        "created": meta["created"],
        "commit": meta.get("commit"),
        "metrics": {key: overall[key] for key in STORED if overall.get(key) is not None},
    }
    (path or baseline_file(mode)).write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return baseline


def load_baseline(mode: str, path: Path | None = None) -> dict[str, Any]:
    path = path or baseline_file(mode)
    if not path.is_file():
        raise GateError(
            f"No baseline at {path}. Create it with `rag eval --split dev --modes {mode} "
            "--no-baselines --write-baseline` and commit it."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def check_regression(overall: dict[str, Any], baseline: dict[str, Any], tolerance: float = TOLERANCE) -> list[str]:
    """One sentence per gated metric that fell more than `tolerance` below the baseline; empty when fine."""
    failures = []
    for key in (*GATED, *LOWER_IS_BETTER):
        now, then = overall.get(key), baseline["metrics"].get(key)
        if then is None and key not in ("hit@5", "mrr@10"):
            continue  # an older baseline without answer metrics gates retrieval only
        if now is None or then is None:
            failures.append(f"{key} is missing from the {'results' if now is None else 'baseline'}.")
        elif key in LOWER_IS_BETTER and now > then + tolerance:
            failures.append(f"{key} rose from {then:.3f} to {now:.3f} (more than {tolerance} above the baseline).")
        elif key not in LOWER_IS_BETTER and now < then - tolerance:
            failures.append(f"{key} fell from {then:.3f} to {now:.3f} (more than {tolerance} below the baseline).")
    return failures
