"""kill -9 during `rag index` and two builds at once: the index stays usable, nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def rag(corpus: Path, index: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "RAG_MODE": "lexical"}
    return subprocess.Popen([sys.executable, "-m", "cli.main", "--corpus", str(corpus), "--index", str(index), *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_during_a_build_leaves_the_previous_index_answering(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert rag(small_corpus, index, "index").wait(120) == 0
    before = (index / "CURRENT").read_text()
    build = rag(small_corpus, index, "index", "--force")
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".tmp-") for p in index.iterdir()) and build.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait(10)
    live = index / (index / "CURRENT").read_text().strip()
    # the pointer names the old build, or (when the kill came after the switch) a complete new one
    assert (index / "CURRENT").read_text() == before or (live / "manifest.json").is_file()
    assert (live / "chunks.jsonl").is_file()
    ask = rag(small_corpus, index, "ask", "食品產業園", "--json")
    out, err = ask.communicate(timeout=120)
    assert ask.returncode == 0, err
    assert '"sources"' in out and "Traceback" not in err


def test_two_builds_at_once_both_finish_and_leave_one_live_build(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    builds = [rag(small_corpus, index, "index", "--force") for _ in range(2)]
    results = [b.communicate(timeout=180) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], [err for _, err in results]
    live = (index / "CURRENT").read_text().strip()
    assert [p.name for p in index.iterdir() if p.name.startswith("build-")] == [live]
    ask = rag(small_corpus, index, "ask", "食品產業園")
    assert ask.wait(120) == 0
