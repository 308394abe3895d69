"""Tune hybrid fusion (rag.config.FusionSettings) on the dev split, never on test: prints the sweep.

Each setting answers the dev questions through the public API (`Pipeline.with_settings(fusion=...)`, as
`rag ask --mode hybrid` does) and is scored by the evaluation itself (`eval.runner.run_eval` with that
pipeline's answers): Hit@5, MRR@10, nDCG@10, overall and for English questions. The current setting is
marked `*`. Run: .venv/bin/python benchmarks/tune_fusion.py
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.runner import pipeline_ask, run_eval  # noqa: E402
from rag.config import FusionSettings, Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Mode  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="0.5,0.75,1,1.5,2", help="dense weights to try (lexical weight 1)")
    parser.add_argument("--k", default="10,30,60", help="RRF constants to try")
    parser.add_argument("--depth", default="20,50", help="fusion depths to try")
    args = parser.parse_args()
    settings = Settings.from_env(mode=Mode.HYBRID)
    pipeline = Pipeline(settings)
    if pipeline.dense is None:
        print("The embedding model did not load: nothing to tune.", file=sys.stderr)
        return 1
    grid = itertools.product([float(w) for w in args.weights.split(",")], [int(k) for k in args.k.split(",")],
                             [int(d) for d in args.depth.split(",")])
    print(f"{'dense w':>8} {'k':>4} {'depth':>6} | {'Hit@5':>6} {'MRR@10':>7} {'nDCG@10':>8} | "
          f"{'en Hit@5':>8} {'en MRR':>7} | {'zh Hit@5':>8} {'zh MRR':>7}")
    for weight, k, depth in grid:
        fusion = FusionSettings(lexical_weight=1.0, dense_weight=weight, k=k, depth=depth)
        variant = pipeline.with_settings(fusion=fusion)
        results = run_eval("dev", modes=["hybrid"], baselines=False, progress=False, ask=pipeline_ask(variant),
                           settings=settings)
        system = results["systems"]["hybrid"]
        overall, by_lang = system["overall"], system["by_lang"]
        zh = [by_lang[lang] for lang in ("zh-Hant", "zh-Hans") if lang in by_lang]
        zh_hit = sum(x["hit@5"] * x["n_answerable"] for x in zh) / max(1, sum(x["n_answerable"] for x in zh))
        zh_mrr = sum(x["mrr@10"] * x["n_answerable"] for x in zh) / max(1, sum(x["n_answerable"] for x in zh))
        mark = "*" if fusion == settings.fusion else " "
        print(f"{mark}{weight:7.2f} {k:4d} {depth:6d} | {overall['hit@5']:6.3f} {overall['mrr@10']:7.3f} "
              f"{overall['ndcg@10']:8.3f} | {by_lang['en']['hit@5']:8.3f} {by_lang['en']['mrr@10']:7.3f} | "
              f"{zh_hit:8.3f} {zh_mrr:7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
