"""Tune hybrid fusion (rag.config.FusionSettings) and the dictionary's search weight on dev, never on test.

Each setting answers the dev questions through the public API (`Pipeline.with_settings(fusion=...)`, as
`rag ask --mode hybrid` does) and is scored by the evaluation itself (`eval.runner.run_eval` with that
pipeline's answers): Hit@5, MRR@10, nDCG@10, overall and for English questions. The current setting is
marked `*`. `--dictionary` sweeps Settings.dictionary_search_weight (the general dictionary's wordings of an
English question in lexical search), in hybrid or, with `--mode lexical`, alone.
Run: .venv/bin/python benchmarks/tune_fusion.py [--dictionary 0,0.25,0.5,1 --weights 0.5 --k 60 --depth 50]
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
    parser.add_argument("--dictionary", default=None, help="dictionary search weights to try (default: current)")
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "lexical"])
    args = parser.parse_args()
    settings = Settings.from_env(mode=Mode(args.mode))
    pipeline = Pipeline(settings)
    if pipeline.dense is None and args.mode == "hybrid":
        print("The embedding model did not load: nothing to tune.", file=sys.stderr)
        return 1
    dictionary = ([float(w) for w in args.dictionary.split(",")] if args.dictionary
                  else [settings.dictionary_search_weight])
    grid = itertools.product(dictionary, [float(w) for w in args.weights.split(",")],
                             [int(k) for k in args.k.split(",")], [int(d) for d in args.depth.split(",")])
    print(f"{'dict w':>6} {'dense w':>8} {'k':>4} {'depth':>6} | {'Hit@5':>6} {'MRR@10':>7} {'nDCG@10':>8} | "
          f"{'en Hit@5':>8} {'en MRR':>7} | {'zh Hit@5':>8} {'zh MRR':>7}")
    for loose, weight, k, depth in grid:
        fusion = FusionSettings(lexical_weight=1.0, dense_weight=weight, k=k, depth=depth)
        variant = pipeline.with_settings(fusion=fusion, dictionary_search_weight=loose)
        results = run_eval("dev", modes=[args.mode], baselines=False, progress=False, ask=pipeline_ask(variant),
                           settings=settings)
        system = results["systems"][args.mode]
        overall, by_lang = system["overall"], system["by_lang"]
        zh = [by_lang[lang] for lang in ("zh-Hant", "zh-Hans") if lang in by_lang]
        zh_hit = sum(x["hit@5"] * x["n_answerable"] for x in zh) / max(1, sum(x["n_answerable"] for x in zh))
        zh_mrr = sum(x["mrr@10"] * x["n_answerable"] for x in zh) / max(1, sum(x["n_answerable"] for x in zh))
        current = fusion == settings.fusion and loose == settings.dictionary_search_weight
        mark = "*" if current else " "
        print(f"{mark}{loose:5.2f} {weight:7.2f} {k:4d} {depth:6d} | {overall['hit@5']:6.3f} {overall['mrr@10']:7.3f} "
              f"{overall['ndcg@10']:8.3f} | {by_lang['en']['hit@5']:8.3f} {by_lang['en']['mrr@10']:7.3f} | "
              f"{zh_hit:8.3f} {zh_mrr:7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
