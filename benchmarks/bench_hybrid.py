"""Hybrid retrieval with the bundled model, as a user gets it: what building, adding a document and asking cost.

Prints:
- the shipped corpus's index build with embeddings from an empty vector cache, then again with the cache warm;
- adding one document (an unseen English submission from eval/unseen) to a copy of the corpus: the rebuild,
  which embeds only the new document's chunks;
- warm `Pipeline.ask` latency per mode over the dev questions (p50, p95);
- a cold `rag ask` in hybrid mode (a new process each time: import, load the index and the model, answer);
- a corpus N times the shipped one (perturbed copies, benchmarks/scaled_corpus.py): lexical index build time and
  peak memory, and the dense build's cost from the measured embedding rate (embedding it whole would take
  N × the first line's time).

    .venv/bin/python benchmarks/bench_hybrid.py [--scale 10] [--cold-runs 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tomli_w  # noqa: E402
from common import percentile  # noqa: E402
from scaled_corpus import write_scaled_corpus  # noqa: E402

from rag.config import DEFAULT_CORPUS_DIR, Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Mode  # noqa: E402

UNSEEN = ROOT / "eval" / "unseen" / "corpus"


def timed_build(settings: Settings) -> tuple[float, Pipeline]:
    started = time.perf_counter()
    pipeline = Pipeline(settings, rebuild=True)
    return time.perf_counter() - started, pipeline


def add_unseen_document(corpus: Path) -> str:
    """Copy the first English unseen document and its body into `corpus`; returns its id."""
    unseen = tomllib.loads((UNSEEN / "catalog.toml").read_text(encoding="utf-8"))
    document = unseen["documents"][0]
    catalog = tomllib.loads((corpus / "catalog.toml").read_text(encoding="utf-8"))
    catalog["bodies"][document["body"]] = unseen["bodies"][document["body"]]
    catalog["documents"].append(document)
    shutil.copy(UNSEEN / document["file"], corpus / document["file"])
    (corpus / "catalog.toml").write_text(tomli_w.dumps(catalog), encoding="utf-8")
    return document["id"]


def dev_questions() -> list[str]:
    lines = (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of each document in the scale run")
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hybrid-") as tmp:
        tmp_path = Path(tmp)
        corpus = tmp_path / "corpus"
        shutil.copytree(DEFAULT_CORPUS_DIR, corpus, ignore=shutil.ignore_patterns("index"))
        settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_cache_dir=tmp_path / "cache")
        cold, pipeline = timed_build(settings)
        if pipeline.dense is None:
            print("The bundled model did not load:", "; ".join(pipeline.notices), file=sys.stderr)
            return 1
        chunks = len(pipeline.chunks)
        print(f"shipped corpus build, empty vector cache: {cold:.1f} s ({chunks} chunks, "
              f"{chunks / cold:.2f} chunks/s, model {pipeline.embedder.name})", flush=True)
        warm, pipeline = timed_build(settings)
        print(f"shipped corpus build, warm vector cache: {warm:.1f} s", flush=True)

        doc_id = add_unseen_document(corpus)
        started = time.perf_counter()
        added = Pipeline(settings)  # notices the changed corpus and rebuilds
        new_chunks = sum(1 for c in added.chunks if c.doc_id == doc_id)
        print(f"adding one document ({doc_id}, {new_chunks} chunks): {time.perf_counter() - started:.1f} s",
              flush=True)

        questions = dev_questions()
        for mode in Mode:
            pipeline = Pipeline(settings)  # a fresh one: no question vectors remembered from another mode
            pipeline.ask(questions[0], mode=mode)  # warm-up
            times = []
            for question in questions:
                started = time.perf_counter()
                pipeline.ask(question, mode=mode)
                times.append((time.perf_counter() - started) * 1000)
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            print(f"warm ask, {mode.value:7s}: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms over {len(times)} dev questions",
                  flush=True)

        command = [sys.executable, "-m", "cli.main", "--corpus", str(corpus), "--index", str(settings.index_dir),
                   "ask", "Which bodies propose a food industrial park?", "--json"]
        env = {"RAG_EMBEDDING_CACHE": str(settings.embedding_cache_dir), "PATH": "/usr/bin:/bin"}
        colds = []
        for _ in range(args.cold_runs):
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            colds.append(time.perf_counter() - started)
            mode = json.loads(done.stdout)["mode"] if done.returncode == 0 else f"failed: {done.stderr[-200:]}"
        print(f"cold rag ask ({mode}): median {statistics.median(colds):.2f} s, max {max(colds):.2f} s "
              f"over {len(colds)} runs", flush=True)

        scaled = tmp_path / "scaled"
        write_scaled_corpus(scaled, args.scale)
        probe = ("import sys, time, resource, pathlib; sys.path.insert(0, sys.argv[1]);"
                 "from rag.config import Settings; from rag.pipeline import Pipeline; from rag.types import Mode;"
                 "t = time.perf_counter(); p = Pipeline(Settings(corpus_dir=pathlib.Path(sys.argv[2]),"
                 " index_dir=pathlib.Path(sys.argv[3]), mode=Mode.LEXICAL));"
                 "print(len(p.chunks), time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        done = subprocess.run([sys.executable, "-c", probe, str(ROOT), str(scaled), str(tmp_path / "scaled-index")],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            print(f"scale run failed: {done.stderr.strip()[-300:]}")
            return 1
        n, seconds, rss_kb = done.stdout.split()[-3:]
        rate = chunks / cold
        print(f"{args.scale}x corpus ({n} chunks): lexical build {float(seconds):.1f} s, peak RSS "
              f"{int(rss_kb) / 1024:.0f} MB; embedding it at {rate:.2f} chunks/s would add about "
              f"{int(n) / rate / 60:.0f} min (once: vectors are cached)", flush=True)
    print(f"(this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
