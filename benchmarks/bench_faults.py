"""Fault injection: bad input and damage thrown at the `rag` command, and what came back.

Each fault runs `python -m cli.main …` on a scratch copy of the corpus and its own index. A fault is handled
when the command exits with the expected code (0 when it must recover, 2 for the user's input, 1 for the corpus
or the environment), prints no traceback, and says what went wrong in one `rag:` line. Prints one row per fault,
then the totals and the median time to recover from index damage.

    .venv/bin/python benchmarks/bench_faults.py [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QUESTION = "食品產業園"


@dataclass
class Fault:
    name: str
    args: list[str]  # the command line after `--corpus C --index I`
    expect: int  # exit code
    env: dict[str, str] | None = None
    prepare: Callable[[Path, Path], None] | None = None  # (corpus copy, index dir) → damage them
    stdin: str | None = None
    recovery: bool = False  # timed as a recovery from damage


def live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def set_catalog(old: str, new: str) -> Callable[[Path, Path], None]:
    def edit(corpus: Path, _: Path) -> None:
        path = corpus / "catalog.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return edit


def damage(action: Callable[[Path], None]) -> Callable[[Path, Path], None]:
    return lambda _, index: action(index)


def shuffle(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(7).shuffle(lines)
    path.write_text("".join(lines), encoding="utf-8")


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


FIRST_FILE = '"000_f19342d821a7e080.txt"'
ASK = ["ask", QUESTION]
FAULTS = [
    # settings and arguments: the user's input, exit 2
    Fault("RAG_TOP_K=abc", ASK, 2, env={"RAG_TOP_K": "abc"}),
    Fault("RAG_TOP_K=0", ASK, 2, env={"RAG_TOP_K": "0"}),
    Fault("RAG_MODE=bogus", ASK, 2, env={"RAG_MODE": "bogus"}),
    Fault("--top-k 0", [*ASK, "--top-k", "0"], 2),
    Fault("--top-k 100000", [*ASK, "--top-k", "100000"], 2),
    Fault("--out into a missing folder", [*ASK, "--format", "md", "--out", "/nonexistent/x.md"], 2),
    Fault("--batch missing file", ["ask", "--batch", "/nonexistent.jsonl"], 2),
    Fault("--batch a folder", ["ask", "--batch", "/"], 2),
    Fault("question and --batch", [*ASK, "--batch", "-"], 2, stdin=""),
    Fault("empty question", ["ask", "   "], 2),
    Fault("unknown body", [*ASK, "--body", "NOPE"], 2),
    # questions that must be answered, not crash
    Fault("lone surrogate", ["ask", "食品\udcff產業園"], 0),
    Fault("zero-width inside a name", ["ask", "經\u200b民聯對低空經濟有甚麼建議？"], 0),
    Fault("zalgo", ["ask", "f\u0335\u0321o\u0338od park"], 0),
    Fault("3,000-character question", ["ask", "食品" * 1500], 0),
    Fault("bad batch lines", ["ask", "--batch", "-", "--json"], 0,
          stdin='{"id":"b","question":1}\nnot json\n{"id":"a","question":"食品"}\n{"id":"a","question":"x"}\n'),
    # the corpus: exit 1
    Fault("catalog file outside the corpus", ASK, 1, prepare=set_catalog(FIRST_FILE, '"/etc/os-release"')),
    Fault("catalog file ../", ASK, 1, prepare=set_catalog(FIRST_FILE, '"../../../../etc/os-release"')),
    Fault("catalog year abc", ASK, 1, prepare=set_catalog("year = 2024", 'year = "abc"')),
    Fault("catalog body without name_en", ASK, 1, prepare=set_catalog(
        "name_en = \"Chinese Manufacturers' Association of Hong Kong\"\n", "")),
    Fault("catalog NUL in a title", ASK, 1, prepare=set_catalog('title_zh = "', 'title_zh = "\\u0000')),
    Fault("catalog names a missing file", ASK, 1, prepare=set_catalog(FIRST_FILE, '"missing.txt"')),
    Fault("catalog not TOML", ASK, 1, prepare=lambda c, _: (c / "catalog.toml").write_text("[[documents]\n")),
    # index damage: recovered by a rebuild, exit 0
    Fault("chunks shuffled (same size)", ASK, 0, recovery=True,
          prepare=damage(lambda i: shuffle(live(i) / "chunks.jsonl"))),
    Fault("a byte flipped in bm25", ASK, 0, recovery=True,
          prepare=damage(lambda i: flip(next(live(i).rglob("*.npy"))))),
    Fault("an emptied .npy", ASK, 0, recovery=True,
          prepare=damage(lambda i: next(live(i).rglob("*.npy")).write_bytes(b""))),
    Fault("CURRENT not UTF-8", ASK, 0, recovery=True,
          prepare=damage(lambda i: (i / "CURRENT").write_bytes(b"\xff\xfe"))),
    Fault("CURRENT a folder", ASK, 0, recovery=True,
          prepare=damage(lambda i: ((i / "CURRENT").unlink(), (i / "CURRENT").mkdir()))),
    Fault("manifest a list", ASK, 0, recovery=True,
          prepare=damage(lambda i: (live(i) / "manifest.json").write_text("[]"))),
    Fault("--force over a damaged manifest", ["index", "--force"], 0, recovery=True,
          prepare=damage(lambda i: (live(i) / "manifest.json").write_text("[]"))),
]


def run(fault: Fault, scratch: Path) -> tuple[bool, float, str]:
    corpus, index = scratch / "corpus", scratch / "index"
    if fault.prepare:
        fault.prepare(corpus, index)
    env = {**os.environ, "RAG_MODE": "lexical", **(fault.env or {})}
    command = [sys.executable, "-m", "cli.main", "--corpus", str(corpus), "--index", str(index), *fault.args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, input=fault.stdin if fault.stdin is not None else "",
                          capture_output=True, text=True, errors="replace", timeout=300)
    seconds = time.perf_counter() - started
    errors = [line for line in done.stderr.splitlines() if line.startswith("rag:")]
    clean = "Traceback" not in done.stderr and "Traceback" not in done.stdout
    said = len(errors) == 1 if fault.expect else not errors
    handled = done.returncode == fault.expect and clean and said
    detail = errors[0][:90] if errors else f"exit {done.returncode}"
    return handled, seconds, detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the faults whose name contains this")
    args = parser.parse_args()
    faults = [f for f in FAULTS if args.only in f.name]
    with tempfile.TemporaryDirectory(prefix="faults-") as tmp:
        pristine = Path(tmp) / "pristine"
        shutil.copytree(CORPUS, pristine / "corpus")
        subprocess.run([sys.executable, "-m", "cli.main", "--corpus", str(pristine / "corpus"), "--index",
                        str(pristine / "index"), "index"], cwd=ROOT, env={**os.environ, "RAG_MODE": "lexical"},
                       check=True, capture_output=True)
        handled, recoveries = 0, []
        for number, fault in enumerate(faults, 1):
            scratch = Path(tmp) / f"f{number}"
            shutil.copytree(pristine, scratch, symlinks=True)
            ok, seconds, detail = run(fault, scratch)
            handled += ok
            if fault.recovery and ok:
                recoveries.append(seconds)
            print(f"{'ok  ' if ok else 'FAIL'} {fault.name:36s} {seconds:6.2f} s  {detail}", flush=True)
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nfaults tried {len(faults)}, handled {handled}, badly handled {len(faults) - handled}")
    if recoveries:
        print(f"time to recover from index damage (whole command, rebuild included): median "
              f"{statistics.median(recoveries):.2f} s, max {max(recoveries):.2f} s over {len(recoveries)}")
    return 0 if handled == len(faults) else 1


if __name__ == "__main__":
    raise SystemExit(main())
