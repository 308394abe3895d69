"""Lexical retrieval benchmark: index build time, warm query latency (p50/p95), cold `rag ask` start.

Prints numbers; asserts nothing. Run: .venv/bin/python benchmarks/bench_lexical.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import percentile  # noqa: E402

from rag.config import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402


def questions() -> list[str]:
    """The dev split's questions (the test split stays held out, even from timing runs)."""
    dev = ROOT / "eval" / "gold" / "dev.jsonl"
    return [json.loads(line)["question"] for line in dev.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        started = time.perf_counter()
        pipeline = Pipeline(Settings(index_dir=index_dir))
        cold_build = time.perf_counter() - started
        builds = []
        for _ in range(3):
            t = time.perf_counter()
            pipeline.rebuild()
            builds.append(time.perf_counter() - t)
        qs = questions()
        for q in qs[:10]:
            pipeline.ask(q)  # warm up
        latencies = []
        for q in qs:
            t = time.perf_counter()
            pipeline.ask(q, top_k=5)
            latencies.append((time.perf_counter() - t) * 1000)
        colds = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "cli.main", "--index", str(index_dir), "ask", "食品產業園", "--json"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            colds.append(time.perf_counter() - t)
    print(f"chunks: {len(pipeline.chunks)} from {len(pipeline.catalog.documents)} documents")
    print(f"pipeline start with index build (first run): {cold_build:.2f} s")
    print(f"index build (rebuild, median of 3): {statistics.median(builds):.2f} s")
    print(
        f"warm query latency over {len(latencies)} questions: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms"
    )
    print(f"cold `rag ask` (new process, index built): median {statistics.median(colds):.2f} s, max {max(colds):.2f} s")


if __name__ == "__main__":
    main()
