"""Measuring helpers for benchmarks/bench_retrieval.py: the dev questions timed, percentiles, peak RSS per build
stage (the pipeline's progress messages split a build into stages)."""

from __future__ import annotations

import json
import re
import resource
import time
from pathlib import Path

from common import percentile

from rag.types import Mode

ROOT = Path(__file__).resolve().parent.parent
DEV_QUESTIONS = ROOT / "eval" / "gold" / "dev.jsonl"
MODES = tuple(mode.value for mode in Mode)  # lexical, dense, hybrid
RESULT_TAG = "@@RESULT "  # a phase's result line on the child's stdout
TOP_K = 5


def p50_p95(values: list[float]) -> dict:
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "n": len(values)}


def dev_questions(limit: int | None = None) -> list[str]:
    lines = [line for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [json.loads(line)["question"] for line in lines]
    return questions[:limit] if limit else questions


def status_kb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


_peak_before_reset_kb = 0


def peak_rss_mb() -> float:
    """This process's peak RSS so far. The stage resets below also reset ru_maxrss (both read the kernel's
    high-water mark), so the peaks seen before each reset are kept here."""
    now = max(status_kb("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux
    return mb(max(now, _peak_before_reset_kb))


def reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark (VmHWM); False where the kernel does not allow it."""
    global _peak_before_reset_kb
    _peak_before_reset_kb = max(_peak_before_reset_kb, status_kb("VmHWM"))
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def mb(kb: float) -> float:
    return kb / 1024


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


class Stages:
    """Splits a build into stages at the pipeline's progress messages: seconds and peak RSS of each."""

    NAMES = (
        ("loading the embedding model", "model load"),
        ("reading the corpus", "corpus read"),  # catalog, glossary, tokenizer, documents, index lookup
        ("building the index", "build setup"),
        ("parsing and chunking", "parse+chunk"),
        ("indexing", "lexical (jieba+BM25)"),
        ("looking up the corpus's words", "dictionary"),
        ("embedding", "dense (embed+FAISS)"),
        ("index written", "wire retrievers"),
    )

    def __init__(self) -> None:
        self.start("imports+setup")

    def start(self, name: str) -> None:
        self.records: list[dict] = []
        self._name, self._t = name, time.perf_counter()
        reset_peak_rss()

    def progress(self, message: str) -> None:
        for prefix, name in self.NAMES:
            if message.startswith(prefix):
                self._close()
                self._name = name
                return

    def _close(self) -> None:
        now = time.perf_counter()
        self.records.append({"stage": self._name, "s": now - self._t, "peak_rss_mb": mb(status_kb("VmHWM"))})
        self._t = now
        reset_peak_rss()

    def finish(self) -> list[dict]:
        self._close()
        return self.records


def stage_seconds(records: list[dict], name: str) -> float:
    return sum(r["s"] for r in records if r["stage"] == name)
