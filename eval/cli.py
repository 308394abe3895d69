"""`rag eval`: evaluate retrieval and answers on the gold set, write a report, optionally gate or rebaseline.

rag eval [--gold FILE] [--set NAME] [--split dev|test|all] [--followups FILE] [--modes lexical,dense,hybrid]
         [--k 5] [--no-baselines] [--json] [--out DIR] [--no-report] [--quiet] [--write-baseline]
rag eval --outline DIR [--json]   (the parser's outlines against hand-written ones; no index needed)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from eval.followups import ConverseFn
from eval.gate import GATE_MODES, GateError, write_baseline
from eval.gold import SPLITS, GoldError, gold_set_dir
from eval.report import git_commit, write_report
from eval.runner import MODES, AskFn, run_eval
from rag.config import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag eval", description="Evaluate retrieval and answers on the gold set.")
    parser.add_argument("--gold", type=Path, action="append", help="gold JSONL file (repeatable); overrides --split")
    parser.add_argument("--split", choices=SPLITS, default="dev", help="gold split to run (default: dev)")
    parser.add_argument("--set", metavar="NAME",
                        help="a gold set in a sub-folder of eval/gold (e.g. briefing): its --split, with the split's "
                             "follow-up conversations (followups_<split>.jsonl); default: the shipped set")
    parser.add_argument("--followups", type=Path, action="append", metavar="FILE",
                        help="follow-up conversations to ask and score as well (repeatable)")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="comma-separated retrieval modes (default: lexical,dense,hybrid); '' for none",
    )
    parser.add_argument("--k", type=int, default=5, help="cut-off for Hit@k and Recall@k (default: 5)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the two baseline retrievers")
    parser.add_argument("--json", action="store_true", help="print the metrics JSON to stdout")
    parser.add_argument("--out", type=Path, help="report folder (default: eval/reports/<date>-<commit>/)")
    parser.add_argument("--no-report", action="store_true", help="write no report folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--uncurated", action="store_true",
                        help="per document, rebuild without its curated English titles and the glossary and dictionary "
                             "words only it uses, and ask its own questions (how the next document will fare)")
    parser.add_argument("--added", type=Path, metavar="FOLDER",
                        help="add the documents of FOLDER (files and catalog.toml) to a scratch copy of the corpus and "
                             "ask --gold there: retrieval per language direction, cited sections, bodies")
    parser.add_argument("--compare", metavar="SPLIT_OR_FILE",
                        help="with --added: also ask this gold set over the corpus before and after the documents "
                             "were added, and list the answers that changed")
    parser.add_argument("--outline", type=Path, metavar="DIR",
                        help="score the parsed outline of each corpus document against the hand-written outline "
                             "JSON files in DIR (eval/unseen/outline with --corpus eval/unseen/corpus)")
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="store the dev numbers of lexical and hybrid in eval/baseline_dev_<mode>.json (the CI gate)",
    )
    return parser


def main(argv: Sequence[str] | None = None, ask: AskFn | None = None, settings: Settings | None = None,
         converse: ConverseFn | None = None) -> int:
    """Run `rag eval` with the Settings the CLI read; returns the exit code. `ask` and `converse` replace the
    real pipeline (tests)."""
    args = build_parser().parse_args(argv)
    # an evaluation answers many questions, as the UI does: models loaded for speed per question (Settings.warm)
    settings = replace(settings or Settings(), warm=True)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    gold = args.gold or args.split
    if args.outline is not None:
        return _outline(args.outline, settings, args.json)
    if args.set and (args.uncurated or args.added):
        print("rag eval: --set runs the plain evaluation; give --uncurated and --added their --gold files.",
              file=sys.stderr)
        return 2
    if args.uncurated:
        return _uncurated(gold, modes, settings, args)
    if args.added:
        return _added(args, modes, settings)
    try:
        results = run_eval(
            gold,
            modes=modes,
            k=args.k,
            baselines=not args.no_baselines,
            progress=not args.quiet and sys.stderr.isatty(),
            ask=ask,
            settings=settings,
            gold_dir=gold_set_dir(args.set),
            followups=args.followups,
            converse=converse,
        )
    except (GoldError, ValueError, RuntimeError) as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 1
    results["meta"]["commit"], results["meta"]["dirty"] = git_commit()
    if not args.no_report:
        folder = write_report(results, args.out)
        print(f"report written to {folder / 'report.md'}", file=sys.stderr)
    if args.write_baseline:
        for mode in [m for m in modes if m in GATE_MODES] or ["lexical"]:
            try:
                baseline = write_baseline(results, mode)
            except GateError as exc:
                print(f"rag eval: {exc}", file=sys.stderr)
                return 1
            print(f"{mode} baseline written: {json.dumps(baseline['metrics'])}", file=sys.stderr)
    if args.json:
        print(json.dumps({"meta": results["meta"], "systems": results["systems"]}, ensure_ascii=False, indent=2))
    else:
        print(_summary(results), file=sys.stderr if args.no_report else sys.stdout)
    return 0


def _outline(outline_dir: Path, settings: Settings, as_json: bool) -> int:
    from eval.outline import format_scores, score_corpus

    scores = score_corpus(settings.corpus_dir, outline_dir)
    if not scores:
        print(f"rag eval: no outline files (*.json) in {outline_dir}; give the folder of hand-written outlines.",
              file=sys.stderr)
        return 1
    print(format_scores(scores, as_json))
    return 0


def _uncurated(gold, modes: list[str], settings: Settings, args: argparse.Namespace) -> int:
    from eval.uncurated import format_summary, run_uncurated

    try:
        results = run_uncurated(gold, modes, settings)
    except (GoldError, ValueError, RuntimeError) as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 1
    table = format_summary(results["summary"])
    if not args.no_report:
        folder = args.out or Path("eval/reports") / f"uncurated-{git_commit()[0]}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "uncurated.md").write_text(f"# Uncurated evaluation ({gold})\n\n{table}\n", encoding="utf-8")
        (folder / "uncurated.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"report written to {folder / 'uncurated.md'}", file=sys.stderr)
    print(json.dumps(results["summary"], indent=2) if args.json else table)
    return 0


def _added(args: argparse.Namespace, modes: list[str], settings: Settings) -> int:
    from eval.added import format_added, run_added

    if not args.gold:
        print("rag eval: --added needs --gold (the questions about the added documents).", file=sys.stderr)
        return 2
    if not (args.added / "catalog.toml").is_file():
        print(f"rag eval: {args.added} has no catalog.toml.", file=sys.stderr)
        return 2
    scratch = settings.index_dir.parent / f".index-added-{args.added.resolve().parent.name}"  # git-ignored
    try:
        out = run_added(args.added, args.gold, modes, settings, scratch, shipped_gold=args.compare,
                        followups=args.followups)
    except (GoldError, ValueError, RuntimeError, OSError) as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 1
    table = format_added(out)
    if not args.no_report:
        folder = args.out or Path("eval/reports") / f"added-{args.added.resolve().parent.name}-{git_commit()[0]}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "added.md").write_text(f"# Added documents: {args.added} ({', '.join(map(str, args.gold))})\n\n"
                                         f"{table}\n", encoding="utf-8")
        (folder / "added.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"report written to {folder / 'added.md'}", file=sys.stderr)
    print(table)
    return 0


def _summary(results: dict) -> str:
    k = results["meta"]["k"]
    keys = ("hit@1", f"hit@{k}", f"recall@{k}", "mrr@10", "ndcg@10")
    lines = [f"{'system':<34}" + "".join(f"{key:>11}" for key in keys)]
    for system in results["systems"].values():
        overall = system.get("overall")
        cells = "".join(
            f"{overall[key]:>11.3f}" if overall and overall[key] is not None else f"{'–':>11}" for key in keys
        )
        lines.append(f"{system['label']:<34}{cells}")
    for system in results["systems"].values():
        overall = system.get("overall")
        if system["kind"] != "project" or not overall:
            continue
        line = (f"{system['label']}: abstention {_num(overall['abstention_accuracy'])}, false abstention "
                f"{_num(overall['false_abstention_rate'])}, body F1 {_num(overall['body_f1'])}, quotes flagged "
                f"{overall['quotes_flagged']} of {overall['quotes_checked']}")
        if system.get("followups"):
            line += f", follow-ups right {_num(system['followups']['accuracy'])} of {system['followups']['n']}"
        lines.append(line)
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
