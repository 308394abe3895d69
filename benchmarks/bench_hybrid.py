"""Hybrid retrieval with the bundled model, as a user gets it: what building, adding a document and asking cost.

Prints, each a median over --repeats runs (the machine may be shared: the load average is printed too):
- the shipped corpus's index build with embeddings from an empty vector cache, with where its time goes (the
  build's stages, and how much text the model embedded at what rate: passages are embedded on a background thread
  from the lexical stage on, so the "dense" stage is only what is left of the embedding, and FAISS);
- the same build with the cache warm;
- adding one document (an unseen English submission from eval/unseen) to a copy of the corpus: the rebuild,
  which embeds only the new document's chunks (each run from a cache holding only the shipped corpus's vectors);
- warm `Pipeline.ask` latency per mode over the dev questions (p50, p95; `Settings.warm`, as in the UI and `rag eval`:
  questions embedded by the torch engine), and for hybrid its parts: embedding
  the question (with how many embeddings each question took), the rest of retrieval, understanding and composing;
- a cold `rag ask` in hybrid mode (a new process each time: import, load the index and the model, answer);
- a corpus N times the shipped one (perturbed copies, benchmarks/scaled_corpus.py): lexical index build time and
  peak memory, and the dense build's cost from the measured embedding rate (--scale 0 skips it).

    .venv/bin/python benchmarks/bench_hybrid.py [--repeats 3] [--scale 10] [--cold-runs 5]
    .venv/bin/python benchmarks/bench_hybrid.py --asks-only [--cold-runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tomli_w  # noqa: E402
from bench_measure import Stages  # noqa: E402
from common import percentile  # noqa: E402
from scaled_corpus import write_scaled_corpus  # noqa: E402

from embeddings.model import BaseEmbedder  # noqa: E402
from rag.config import DEFAULT_CORPUS_DIR, Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Mode  # noqa: E402

UNSEEN = ROOT / "eval" / "unseen" / "corpus"


@dataclass
class Embedded:
    """What `embed_passages` did during a build: seconds (wall, on whichever thread), texts, characters."""

    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)


@contextmanager
def watching_passages() -> Iterator[Embedded]:
    """Every embedder's `embed_passages`, timed and its texts kept, while the block runs."""
    seen = Embedded()
    original = BaseEmbedder.embed_passages

    def timed(self: BaseEmbedder, passages, *, progress=None):  # noqa: ANN001, ANN202 - the wrapped signature
        started = time.perf_counter()
        try:
            return original(self, passages, progress=progress)
        finally:
            seen.seconds += time.perf_counter() - started
            seen.texts.extend(passages)

    BaseEmbedder.embed_passages = timed  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        BaseEmbedder.embed_passages = original  # type: ignore[method-assign]


def timed_build(settings: Settings, stages: Stages | None = None) -> tuple[float, Pipeline]:
    started = time.perf_counter()
    pipeline = Pipeline(settings, rebuild=True, progress=stages.progress if stages else None)
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


def runs(values: list[float]) -> str:
    each = ", ".join(f"{value:.1f}" for value in values)
    return f"median {statistics.median(values):.1f} s over {len(values)} (runs: {each})"


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def fresh_corpus(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(DEFAULT_CORPUS_DIR, folder, ignore=shutil.ignore_patterns("index"))
    return folder


def bench_builds(tmp: Path, repeats: int) -> tuple[Settings, Pipeline, float]:
    """Empty-cache and warm-cache builds of the shipped corpus; returns settings whose cache holds its vectors."""
    corpus = fresh_corpus(tmp / "corpus")
    cold: list[float] = []
    stages: list[dict] = []
    embedded, pipeline = Embedded(), None
    for run in range(repeats):
        settings = Settings(corpus_dir=corpus, index_dir=tmp / f"index-{run}", embedding_cache_dir=tmp / f"cache-{run}")
        split = Stages()
        with watching_passages() as seen:
            seconds, pipeline = timed_build(settings, split)
        embedded = seen
        if pipeline.dense is None:
            raise SystemExit("The bundled model did not load: " + "; ".join(pipeline.notices))
        cold.append(seconds)
        stages = split.finish()
    assert pipeline is not None
    chunks = len(pipeline.chunks)
    print(f"shipped corpus build, empty vector cache: {runs(cold)}; {chunks} chunks, model {pipeline.embedder.name}, "
          f"{load()}", flush=True)
    print("  stages (last run): " + ", ".join(f"{r['stage']} {r['s']:.1f} s" for r in stages))
    chars = sum(map(len, embedded.texts))
    engine = getattr(pipeline.embedder, "engine", None)
    tokens = sum(engine.token_count(t) for t in embedded.texts) if engine is not None else 0
    threads = getattr(pipeline.embedder, "engine_threads", lambda: None)()
    print(f"  embedding (last run): {len(embedded.texts)} passages, {chars:,} characters"
          + (f", {tokens:,} tokens" if tokens else "")
          + f" in {embedded.seconds:.1f} s = {embedded.seconds / chars * 1000:.2f} ms per character"
          + (f", {embedded.seconds / tokens * 1000:.2f} ms per token" if tokens else "")
          + f" (engine threads {threads}, batch {pipeline.embedder.batch_size})", flush=True)
    settings = Settings(corpus_dir=corpus, index_dir=tmp / "index", embedding_cache_dir=tmp / "cache-0")
    warm = [timed_build(settings)[0] for _ in range(repeats)]
    print(f"shipped corpus build, warm vector cache: {runs(warm)}, {load()}", flush=True)
    return settings, pipeline, chunks / statistics.median(cold)


def bench_add_document(tmp: Path, shipped_cache: Path, repeats: int) -> None:
    """Each run: a fresh corpus copy indexed with the shipped vectors cached, then the document added and timed."""
    seconds, doc_id, new_chunks = [], "", 0
    for run in range(repeats):
        corpus = fresh_corpus(tmp / f"add-corpus-{run}")
        cache = tmp / f"add-cache-{run}"
        shutil.copytree(shipped_cache, cache)
        settings = Settings(corpus_dir=corpus, index_dir=tmp / f"add-index-{run}", embedding_cache_dir=cache)
        Pipeline(settings)
        doc_id = add_unseen_document(corpus)
        started = time.perf_counter()
        added = Pipeline(settings)  # notices the changed corpus and rebuilds
        seconds.append(time.perf_counter() - started)
        new_chunks = sum(1 for c in added.chunks if c.doc_id == doc_id)
    print(f"adding one document ({doc_id}, {new_chunks} chunks): {runs(seconds)}, {load()}", flush=True)


def wrap(owner: object, name: str, spent: list[float], calls: list[int] | None = None) -> None:
    """Replace `owner.name` by a version that adds its seconds to spent[0] (and counts calls)."""
    original: Callable = getattr(owner, name)

    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
            if calls is not None:
                calls[0] += 1

    setattr(owner, name, timed)


def bench_warm_asks(settings: Settings) -> None:
    questions = dev_questions()
    for mode in Mode:
        # a fresh one: no question vectors remembered from another mode; warm, as the UI's and the evaluation's are
        pipeline = Pipeline(replace(settings, warm=True))
        pipeline.ask(questions[0], mode=mode)  # warm-up
        embedding, embeddings, retrieving = [0.0], [0], [0.0]
        if mode is Mode.HYBRID:
            wrap(pipeline.embedder, "embed_queries", embedding, embeddings)
            wrap(pipeline, "retrieve", retrieving)
        times, embed_ms, retrieve_ms, rest_ms = [], [], [], []
        for question in questions:
            embedding[0] = retrieving[0] = 0.0
            started = time.perf_counter()
            pipeline.ask(question, mode=mode)
            total = (time.perf_counter() - started) * 1000
            times.append(total)
            embed_ms.append(embedding[0] * 1000)
            retrieve_ms.append((retrieving[0] - embedding[0]) * 1000)
            rest_ms.append(total - retrieving[0] * 1000)
        print(f"warm ask, {mode.value:7s}: {p50_p95(times)} over {len(times)} dev questions, {load()}", flush=True)
        if mode is Mode.HYBRID:
            print(f"  embedding the question: {p50_p95(embed_ms)} ({embeddings[0] / len(questions):.2f} embeddings "
                  f"per question)\n  retrieval without it: {p50_p95(retrieve_ms)}\n"
                  f"  understanding and composing: {p50_p95(rest_ms)}", flush=True)


def p50_p95(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5):6.1f} ms, p95 {percentile(values, 0.95):6.1f} ms"


def bench_cold_asks(settings: Settings, cold_runs: int) -> None:
    command = [sys.executable, "-m", "cli.main", "--corpus", str(settings.corpus_dir), "--index",
               str(settings.index_dir), "ask", "Which bodies propose a food industrial park?", "--json"]
    env = {"RAG_EMBEDDING_CACHE": str(settings.embedding_cache_dir), "PATH": "/usr/bin:/bin"}
    colds, mode = [], "?"
    for _ in range(cold_runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        colds.append(time.perf_counter() - started)
        mode = json.loads(done.stdout)["mode"] if done.returncode == 0 else f"failed: {done.stderr[-200:]}"
    print(f"cold rag ask --json ({mode}): median {statistics.median(colds):.2f} s, max {max(colds):.2f} s "
          f"over {len(colds)} runs, {load()}", flush=True)


def bench_scale(tmp: Path, scale: int, rate: float) -> bool:
    scaled = tmp / "scaled"
    write_scaled_corpus(scaled, scale)
    probe = ("import sys, time, resource, pathlib; sys.path.insert(0, sys.argv[1]);"
             "from rag.config import Settings; from rag.pipeline import Pipeline; from rag.types import Mode;"
             "t = time.perf_counter(); p = Pipeline(Settings(corpus_dir=pathlib.Path(sys.argv[2]),"
             " index_dir=pathlib.Path(sys.argv[3]), mode=Mode.LEXICAL));"
             "print(len(p.chunks), time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT), str(scaled), str(tmp / "scaled-index")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        print(f"scale run failed: {done.stderr.strip()[-300:]}")
        return False
    n, seconds, rss_kb = done.stdout.split()[-3:]
    print(f"{scale}x corpus ({n} chunks): lexical build {float(seconds):.1f} s, peak RSS "
          f"{int(rss_kb) / 1024:.0f} MB; embedding it at {rate:.2f} chunks/s would add about "
          f"{int(n) / rate / 60:.0f} min (once: vectors are cached)", flush=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each build and of adding a document")
    parser.add_argument("--scale", type=int, default=10, help="copies of each document in the scale run (0: none)")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--asks-only", action="store_true",
                        help="only the warm and cold asks, on the project's own index (RAG_* settings): no builds")
    args = parser.parse_args()
    if args.asks_only:
        settings = Settings.from_env()
        Pipeline(settings)  # build or refresh the index first, outside the timings
        bench_warm_asks(settings)
        bench_cold_asks(settings, args.cold_runs)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-hybrid-") as scratch:
        tmp = Path(scratch)
        settings, _, rate = bench_builds(tmp, args.repeats)
        bench_add_document(tmp, settings.embedding_cache_dir, args.repeats)
        bench_warm_asks(settings)
        bench_cold_asks(settings, args.cold_runs)
        if args.scale and not bench_scale(tmp, args.scale, rate):
            return 1
    print(f"(this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
