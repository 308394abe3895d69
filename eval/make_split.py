"""Merge the gold parts into a dev and a test split, stratified by (type, language), deterministically.

Usage: python -m eval.make_split [--check]

Within each (type, lang) stratum, questions are ordered by sha256 of their id; the first half goes to dev,
the second to test, and an odd stratum's middle question goes to dev when its hash is even. Ordering by hash
rather than by position keeps the split stable: adding a question moves at most one other across the line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from eval.corpus import body_codes, raw_documents
from eval.gold import GOLD_DIR, PARTS_DIR, GoldError, GoldQuestion, load_gold
from rag.config import DEFAULT_CORPUS_DIR


def _id_hash(question_id: str) -> int:
    return int(hashlib.sha256(question_id.encode("utf-8")).hexdigest(), 16)


def split_questions(questions: Sequence[GoldQuestion]) -> tuple[list[GoldQuestion], list[GoldQuestion]]:
    """(dev, test), each sorted by id; about half of every (type, lang) stratum in each."""
    strata: dict[tuple[str, str], list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        strata[(q.type, q.lang)].append(q)
    dev: list[GoldQuestion] = []
    test: list[GoldQuestion] = []
    for members in strata.values():
        ordered = sorted(members, key=lambda q: (_id_hash(q.id), q.id))
        half = len(ordered) // 2
        if len(ordered) % 2 and _id_hash(ordered[half].id) % 2 == 0:
            half += 1
        dev.extend(ordered[:half])
        test.extend(ordered[half:])
    return sorted(dev, key=lambda q: q.id), sorted(test, key=lambda q: q.id)


def render(questions: Sequence[GoldQuestion]) -> str:
    return "".join(json.dumps(q.to_dict(), ensure_ascii=False) + "\n" for q in questions)


def load_parts(parts_dir: Path = PARTS_DIR, corpus_dir: Path = DEFAULT_CORPUS_DIR) -> list[GoldQuestion]:
    paths = sorted(parts_dir.glob("*.jsonl"))
    if not paths:
        raise GoldError(f"No gold parts (*.jsonl) in {parts_dir}.")
    return load_gold(paths, documents=raw_documents(corpus_dir), bodies=body_codes(corpus_dir))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.make_split", description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=Path, default=PARTS_DIR, help="folder of gold part files")
    parser.add_argument("--out", type=Path, default=GOLD_DIR, help="folder for dev.jsonl and test.jsonl")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when dev/test are not what the parts give"
    )
    args = parser.parse_args(argv)
    try:
        questions = load_parts(args.parts)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    dev, test = split_questions(questions)
    outputs = {args.out / "dev.jsonl": render(dev), args.out / "test.jsonl": render(test)}
    if args.check:
        stale = [p for p, text in outputs.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(
                f"{', '.join(map(str, stale))} out of date with {args.parts}: run python -m eval.make_split",
                file=sys.stderr,
            )
            return 1
        print(f"ok: dev {len(dev)}, test {len(test)} match the parts")
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(_summary(dev, test))
    return 0


def _summary(dev: Sequence[GoldQuestion], test: Sequence[GoldQuestion]) -> str:
    counts = {name: Counter((q.type, q.lang) for q in qs) for name, qs in (("dev", dev), ("test", test))}
    keys = sorted(set(counts["dev"]) | set(counts["test"]))
    rows = [f"{t:<13}{lang:<9}{counts['dev'][(t, lang)]:>4}{counts['test'][(t, lang)]:>5}" for t, lang in keys]
    header = f"{'type':<13}{'lang':<9}{'dev':>4}{'test':>5}"
    return "\n".join([header, *rows, f"{'total':<22}{len(dev):>4}{len(test):>5}"])


if __name__ == "__main__":
    raise SystemExit(main())
