"""Retrieval benchmark per mode (lexical, dense, hybrid): index build, query latency, embedding throughput, memory,
on the shipped corpus and on a synthetic corpus `--scale` times its size.

Dense and hybrid use the tiny test model (random 2-layer BERT, hidden 32, built offline into a temporary folder
by embeddings.testing.build_tiny_model): the numbers show the pipeline's own cost, not a production model's.
Every measured phase runs in its own subprocess, so "peak RSS" is that phase's high-water mark; inside a
phase the high-water mark is reset between build stages (/proc/self/clear_refs), so each stage gets its own.
The scale run writes N perturbed copies of each document (sentence order shuffled within paragraphs, a few
characters and digits swapped; headings kept, so the outline parses the same) and times a lexical and a dense
index over them. Copies that could not be perturbed stay identical, and identical passages are embedded once,
so the dense stage embeds fewer passages than there are chunks (the output says how many).
The default run (N=100: 500 documents, 10 M characters, 26,300 chunks) takes about 3.5 minutes on an idle
2-core machine. Prints numbers; asserts nothing.
This file is the parent (runs the phases, prints); the phases are in bench_phases.py, the copies in
scaled_corpus.py, timing and memory helpers in bench_measure.py.

    .venv/bin/python benchmarks/bench_retrieval.py [--scale N] [--quick] [--questions 50] [--torch-threads T]
                                                   [--tracemalloc]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_measure import MODES, RESULT_TAG, TOP_K, stage_seconds  # noqa: E402
from bench_phases import run_phase_here  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------
# Parent: run the phases, print as they finish, then the summary table


def run_phase(name: str, params: dict, timeout: float, threads: int | None = None) -> dict:
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)  # torch's intra-op threads (and OpenMP/BLAS) in the phase
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--params", json.dumps(params)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            result = json.loads(line[len(RESULT_TAG):])
            result["wall_s"] = time.perf_counter() - started
            return result
    tail = "\n".join(done.stderr.strip().splitlines()[-8:])
    return {"error": f"exit code {done.returncode}: {tail}"}


def code_version() -> str:
    """The commit and whether rag/ or embeddings/ differ from it (read-only git commands)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "rag", "embeddings"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown (no git)"
    changed = len(dirty.stdout.splitlines())
    suffix = f" + {changed} uncommitted changes in rag/, embeddings/" if changed else ""
    return (commit.stdout.strip() or "unknown") + suffix


def fmt_lat(entry: dict | None, key: str) -> str:
    if not entry or key not in entry:
        return "-"
    value = entry[key]
    return f"{value['p50']:.1f} / {value['p95']:.1f}"


def fmt_stages(records: list[dict]) -> str:
    return ", ".join(f"{r['stage']} {r['s']:.2f} s ({r['peak_rss_mb']:.0f} MB)" for r in records if r["s"] >= 0.005)


def fmt_dense_parts(parts: dict) -> str:
    text = (f"dense retrieve = query embed {fmt_lat(parts['default'], 'embed')} + FAISS search "
            f"{fmt_lat(parts['default'], 'search')} ms ({parts['threads']} torch threads)")
    if "one_thread" in parts:
        text += f"; query embed with 1 thread {fmt_lat(parts['one_thread'], 'embed')} ms"
    return text


def report_error(name: str, result: dict) -> bool:
    if "error" in result:
        print(f"  !! phase {name} failed: {result['error']}")
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=None, help="copies of each document in the scale run "
                        "(default 100; 10 with --quick; 0 skips the scale run)")
    parser.add_argument("--quick", action="store_true", help="one repeat per build, scale 10, 20 questions")
    parser.add_argument("--questions", type=int, default=None, help="dev questions timed in the scale run (50)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report tracemalloc's peak (Python and numpy allocations, not torch); makes every "
                        "timing several times slower, so use it for memory only")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="OMP_NUM_THREADS for every phase (default: torch's own choice, one per core)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase_here(args.phase, json.loads(args.params))
        return

    scale = args.scale if args.scale is not None else (10 if args.quick else 100)
    questions = args.questions or (20 if args.quick else 50)
    repeats = 1 if args.quick else 3
    warmup = 3 if args.quick else 10
    timeout = 3600.0

    def phase(name: str, params: dict) -> dict:
        return run_phase(name, params, timeout, args.torch_threads)

    started = time.perf_counter()
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"bench_retrieval: scale {scale}, {'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, "
          f"load average {load} (other work on the machine skews timings)")
    print("dense/hybrid use the tiny test model (random 2-layer BERT, hidden 32): pipeline cost, not model quality")
    print(f"code: {code_version()}")

    summary: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as scratch:
        tmp = Path(scratch)
        model_dir = tmp / "tiny-model"
        common = {"tracemalloc": args.tracemalloc, "warmup": warmup, "repeats": repeats, "model_dir": str(model_dir)}

        model = phase("model", common)
        if not report_error("model", model):
            print(f"\n== tiny model built in {model['build_s']:.1f} s (phase {model['wall_s']:.1f} s with imports)")

        print("\n== shipped corpus")
        lex = phase("small-lexical", {**common, "index_dir": str(tmp / "small-lexical")})
        if not report_error("small-lexical", lex):
            summary["small-lexical"] = lex
            print(f"corpus: {lex['docs']} documents, {lex['chars']:,} chars, {lex['chunks']} chunks")
            print(f"lexical-only build: first (new process, jieba dictionary load) "
                  f"{sum(r['s'] for r in lex['first_build']):.2f} s = {fmt_stages(lex['first_build'])}")
            print(f"lexical-only rebuild (median of {repeats}): {lex['rebuild_s']:.2f} s = "
                  f"{fmt_stages(lex['rebuild_stages'])}")
            print(f"start on a built index (load + freshness check): {lex['reload_s']:.2f} s")
            print(f"phase peak RSS {lex['peak_rss_mb']:.0f} MB (at start {lex['start_rss_mb']:.0f} MB); "
                  f"phase {lex['wall_s']:.1f} s, load {lex['load_1m']:.1f}")
        dense = (
            {"error": "no tiny model"}
            if "error" in model
            else phase("small-dense", {**common, "index_dir": str(tmp / "small-dense")})
        )
        if not report_error("small-dense", dense):
            summary["small-dense"] = dense
            print(f"build with embeddings, first (new process: model load, jieba, cold cache) "
                  f"{sum(r['s'] for r in dense['first_build']):.2f} s = {fmt_stages(dense['first_build'])}")
            print(f"rebuild with embeddings (median of {repeats}): cold cache {dense['cold_rebuild_s']:.2f} s "
                  f"(dense stage {dense['cold_dense_stage_s']:.2f} s), warm cache {dense['warm_rebuild_s']:.2f} s "
                  f"(dense stage {dense['warm_dense_stage_s']:.2f} s)")
            print(f"  cold-cache rebuild stages: {fmt_stages(dense['cold_stages'])}")
            print(f"embedding throughput (tiny model, dim {dense['dim']}, {dense['torch_threads']} torch threads): "
                  f"{dense['passages_per_s']:,.0f} passages/s (mean {dense['mean_passage_chars']:.0f} chars, "
                  f"max 128 tokens); one query embedded: {fmt_lat(dense, 'query_embed_ms')} ms (p50 / p95)")
            if dense.get("one_thread"):
                print(f"  with torch.set_num_threads(1): {dense['one_thread']['passages_per_s']:,.0f} passages/s; one "
                      f"query embedded: {fmt_lat(dense['one_thread'], 'query_embed_ms')} ms (p50 / p95)")
            print(f"phase peak RSS {dense['peak_rss_mb']:.0f} MB (at start {dense['start_rss_mb']:.0f} MB); "
                  f"phase {dense['wall_s']:.1f} s, load {dense['load_1m']:.1f}")
            for label, result in (("small-lexical", lex), ("small-dense", dense)):
                if "tracemalloc_peak_mb" in result:
                    print(f"tracemalloc peak ({label}): {result['tracemalloc_peak_mb']:.0f} MB")
        if "latency" in dense or "latency" in lex:
            n = dense.get("questions") or lex.get("questions")
            print(f"warm query latency over {n} dev questions, top_k {TOP_K}, ms p50 / p95:")
            parse = (dense.get("latency") or lex["latency"])["parse"]
            print(f"  query parse (build_query): {parse['p50']:.2f} / {parse['p95']:.2f}")
            for mode in MODES:
                source = lex if mode == "lexical" and "latency" in lex else dense
                entry = source.get("latency", {}).get(mode)
                if entry:
                    print(f"  {mode:<8} retrieve {fmt_lat(entry, 'retrieve'):<14} ask {fmt_lat(entry, 'ask'):<14}"
                          f" ran as {'/'.join(entry['ran'])}")
            if "dense_parts" in dense.get("latency", {}):
                print("  " + fmt_dense_parts(dense["latency"]["dense_parts"]))
            if "latency" in dense and "lexical" in dense["latency"]:
                entry = dense["latency"]["lexical"]
                print(f"  lexical in the dense process: retrieve {fmt_lat(entry, 'retrieve')}, ask "
                      f"{fmt_lat(entry, 'ask')}")

        if scale > 0:
            print(f"\n== synthetic corpus: {scale} perturbed copies of each document")
            corpus_dir = tmp / "scale-corpus"
            made = phase("scale-corpus", {**common, "corpus_dir": str(corpus_dir), "scale": scale})
            if not report_error("scale-corpus", made):
                summary["scale-corpus"] = made
                print(f"written in {made['write_s']:.1f} s: {made['docs']} documents, {made['chars']:,} chars; "
                      f"{made['runs_shuffled']:,} paragraphs perturbed ({made['runs_kept']} kept as they were: "
                      f"every order gave a heading-like line); outline unchanged in {made['outline_same']} "
                      "checked copies")
                for kind in ("lexical", "dense"):
                    if kind == "dense" and model.get("error"):
                        continue
                    params = {**common, "corpus_dir": str(corpus_dir), "index_dir": str(tmp / f"scale-{kind}"),
                              "dense": kind == "dense", "questions": questions}
                    result = phase(f"scale-{kind}", params)
                    if report_error(f"scale-{kind}", result):
                        continue
                    summary[f"scale-{kind}"] = result
                    total = sum(r["s"] for r in result["build"])
                    print(f"{kind} index: {result['chunks']:,} chunks, built in {total:.1f} s = "
                          f"{fmt_stages(result['build'])}")
                    print(f"  index on disk {result['index_mb']:.0f} MB; start on the built index "
                          f"{result['reload_s']:.1f} s{' (it rebuilt!)' if result['reload_rebuilt'] else ''}; "
                          f"phase peak RSS {result['peak_rss_mb']:.0f} MB (build {result['build_peak_rss_mb']:.0f}"
                          f" MB, at start {result['start_rss_mb']:.0f} MB)"
                          + (f"; tracemalloc peak {result['tracemalloc_peak_mb']:.0f} MB"
                             if "tracemalloc_peak_mb" in result else ""))
                    for mode, entry in result["latency"].items():
                        if mode in MODES:
                            print(f"  {mode:<8} over {result['questions']} questions, ms p50 / p95: retrieve "
                                  f"{fmt_lat(entry, 'retrieve')}, ask {fmt_lat(entry, 'ask')} "
                                  f"(ran as {'/'.join(entry['ran'])})")
                    if "dense_parts" in result["latency"]:
                        print("  " + fmt_dense_parts(result["latency"]["dense_parts"]))
                        seconds = stage_seconds(result["build"], "dense (embed+FAISS)")
                        unique = result["unique_passages"]
                        print(f"  dense stage: {unique:,} distinct passages embedded (identical ones are embedded "
                              f"once), {unique / seconds:,.0f} passages/s including cache write, FAISS add and save")
                    print(f"  phase wall time {result['wall_s']:.1f} s, load {result['load_1m']:.1f}")

    print_summary(summary, scale)
    elapsed = time.perf_counter() - started
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\ntotal {elapsed:.0f} s ({elapsed / 60:.1f} min); load average now {load}")


def print_summary(summary: dict[str, dict], scale: int) -> None:
    print("\n== summary: build = fresh index in a new process (incl. model load, jieba init); latencies warm, "
          "ms p50 / p95; load = 1-min load average at the phase's end")
    header = (f"{'corpus':<17}{'chunks':>7}  {'mode':<8}{'build s':>8}  {'retrieve ms':<14}{'ask ms':<16}"
              f"{'peak RSS':>9}{'load':>6}")
    print(header)
    print("-" * len(header))
    rows = []
    lex, dense = summary.get("small-lexical"), summary.get("small-dense")
    if lex:
        rows.append(("shipped", lex, "lexical", lex["first_build"]))
    if dense:
        rows += [("shipped", dense, mode, dense["first_build"]) for mode in ("dense", "hybrid")]
    for kind, modes in (("scale-lexical", ("lexical",)), ("scale-dense", ("dense", "hybrid"))):
        result = summary.get(kind)
        if result:
            rows += [(f"x{scale} ({result['docs']} docs)", result, mode, result["build"]) for mode in modes]
    for corpus, result, mode, build in rows:
        entry = result["latency"][mode]
        print(f"{corpus:<17}{result['chunks']:>7,}  {mode:<8}{sum(r['s'] for r in build):>8.1f}  "
              f"{fmt_lat(entry, 'retrieve'):<14}{fmt_lat(entry, 'ask'):<16}{result['peak_rss_mb']:>6.0f} MB"
              f"{result['load_1m']:>6.1f}")
    if lex and dense:
        print(f"shipped rebuilds: lexical-only {lex['rebuild_s']:.2f} s; with embeddings, cold cache "
              f"{dense['cold_rebuild_s']:.2f} s, warm cache {dense['warm_rebuild_s']:.2f} s")
    if dense:
        one = dense.get("one_thread")
        print(f"tiny-model embedding: {dense['passages_per_s']:,.0f} passages/s with {dense['torch_threads']} torch "
              f"threads" + (f", {one['passages_per_s']:,.0f} with 1" if one else ""))
    corpus = summary.get("scale-corpus")
    if corpus:
        print(f"scale corpus: {corpus['docs']} docs, {corpus['chars'] / 1e6:.1f} M chars")
        for kind in ("scale-lexical", "scale-dense"):
            if kind in summary:
                print(f"  {kind} build stages: {fmt_stages(summary[kind]['build'])}")
        if "scale-dense" in summary:
            result = summary["scale-dense"]
            print(f"  distinct passages to embed: {result['unique_passages']:,} of {result['chunks']:,} chunks")


if __name__ == "__main__":
    main()
