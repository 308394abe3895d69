"""Check the bilingual glossary corpus/glossary.tsv against the corpus.

Checks: UTF-8 without BOM; header `en<TAB>zh<TAB>kind`; exactly 3 columns per line; kind in KINDS;
en variants lowercase, non-empty, trimmed and not repeated within or across entries; zh variants
non-empty, without whitespace, unchanged by NFKC (so they still match after normalisation), not
repeated within or across entries, and each found in the corpus text with all whitespace removed
(hard line-wraps may split a term); at least --min entries.

Prints "ok: N entries" or one line per problem; exits 1 on problems.

Usage: python3 tools/check_glossary.py [--glossary PATH] [--corpus DIR] [--min N]
Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = {
    "body",
    "organisation",
    "government",
    "scheme",
    "fund",
    "place",
    "concept",
    "industry",
    "technology",
    "policy",
    "document",
    "measure",
    "other",
    "word",  # dictionary words for English questions (rag.corpus.glossary): an everyday noun …
    "verb",  # … or verb / adjective
}
HEADER = ["en", "zh", "kind"]
_WS = re.compile(r"\s+")


def corpus_text(corpus_dir: Path) -> str:
    """All corpus documents (not the glossary or other .tsv/.txt helpers) joined, whitespace removed."""
    docs = sorted(p for p in corpus_dir.glob("*.txt") if p.name not in {"userdict.txt", "stopwords.txt"})
    if not docs:
        raise SystemExit(f"no corpus documents in {corpus_dir}")
    # a separator that cannot occur in a term, so no match spans two documents
    return "\x00".join(_WS.sub("", p.read_text(encoding="utf-8")) for p in docs)


def _also(first_line: int, lineno: int) -> str:
    return " in this entry" if first_line == lineno else f" (also line {first_line})"


def check(glossary: Path, corpus_dir: Path, min_entries: int) -> tuple[list[str], int]:
    problems: list[str] = []
    raw = glossary.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{glossary}: starts with a UTF-8 BOM")
        raw = raw[3:]
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{glossary}: not UTF-8 ({exc})"], 0
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # final newline
    if not lines or lines[0].rstrip("\r").split("\t") != HEADER:
        got = repr(lines[0]) if lines else "an empty file"
        problems.append(f"{glossary.name}:1: header must be 'en\\tzh\\tkind', got {got}")
    text = corpus_text(corpus_dir)
    en_seen: dict[str, int] = {}
    zh_seen: dict[str, int] = {}
    entries = 0
    for lineno, line in enumerate(lines[1:], 2):
        where = f"{glossary.name}:{lineno}"
        if line.endswith("\r"):
            problems.append(f"{where}: CRLF line ending")
            line = line[:-1]
        if not line.strip():
            problems.append(f"{where}: blank line")
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            problems.append(f"{where}: {len(cols)} columns, expected 3: {line!r}")
            continue
        entries += 1
        en, zh, kind = cols
        if kind not in KINDS:
            problems.append(f"{where}: invalid kind {kind!r}")
        for v in en.split("|"):
            if not v or v != v.strip():
                problems.append(f"{where}: empty or untrimmed en variant {v!r}")
                continue
            if v != v.lower():
                problems.append(f"{where}: en variant not lowercase: {v!r}")
            if v in en_seen:
                problems.append(f"{where}: en variant {v!r} repeated{_also(en_seen[v], lineno)}")
            else:
                en_seen[v] = lineno
        for v in zh.split("|"):
            if not v or _WS.search(v):
                problems.append(f"{where}: empty zh variant or zh variant with whitespace {v!r}")
                continue
            if unicodedata.normalize("NFKC", v) != v:
                problems.append(f"{where}: zh variant {v!r} changes under NFKC (use the normalised form)")
            if v in zh_seen:
                problems.append(f"{where}: zh variant {v!r} repeated{_also(zh_seen[v], lineno)}")
            else:
                zh_seen[v] = lineno
            if v not in text:
                problems.append(f"{where}: zh variant {v!r} not found in the corpus (whitespace removed)")
    if entries < min_entries:
        problems.append(f"{glossary.name}: {entries} entries, expected at least {min_entries}")
    return problems, entries


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--glossary", type=Path, default=ROOT / "corpus" / "glossary.tsv")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--min", type=int, default=320, dest="min_entries")
    args = ap.parse_args(argv)
    problems, entries = check(args.glossary, args.corpus, args.min_entries)
    print("\n".join(problems) or f"ok: {entries} entries")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
