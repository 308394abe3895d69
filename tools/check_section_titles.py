"""Check corpus/section_titles.tsv against the section outline of every catalogued document.

The TSV (UTF-8, tab-separated) has the header `doc_id<TAB>section<TAB>heading_zh<TAB>title_en` and one row
per section, in document order: `section` is the number path as `rag outline` prints it (empty for
unnumbered headings), `heading_zh` the heading as printed (may be empty), `title_en` a curated English title.

Checks: header; exactly 4 columns per line; every section of every document has a row (missing rows);
no row names a section that does not exist (extra rows); rows follow document order; title_en non-empty.
(doc_id, section, heading_zh) is compared as a multiset, because a few keys repeat legitimately (001 has
two sections numbered 11, each with unheaded items 11(2) and 11(3)).

Prints "ok: N titles" or one line per problem; exits 1 on problems.

Usage: python3 tools/check_section_titles.py [--tsv PATH] [--corpus DIR]
Standard library plus the repo's rag package.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.corpus.catalog import load_catalog  # noqa: E402
from rag.corpus.loader import read_text  # noqa: E402
from rag.corpus.sections import parse_document  # noqa: E402

HEADER = ["doc_id", "section", "heading_zh", "title_en"]

Key = tuple[str, str, str]


def expected_keys(corpus_dir: Path) -> list[Key]:
    """(doc_id, number path, heading) for every section of every document, in document order."""
    catalog = load_catalog(corpus_dir)
    keys: list[Key] = []
    for doc in catalog.documents:
        root = parse_document(read_text(catalog.path_of(doc)), doc.front_matter_lines)
        for section in root.walk():
            if section is root:
                continue
            keys.append((doc.doc_id, section.number_path, section.heading))
    return keys


def read_rows(tsv: Path, problems: list[str]) -> list[tuple[int, Key, str]]:
    """(line number, key, title_en) for each data line; format problems are appended to `problems`."""
    raw = tsv.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{tsv}: starts with a UTF-8 BOM")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{tsv}: not UTF-8 ({exc})")
        return []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].rstrip("\r").split("\t") != HEADER:
        problems.append(f"{tsv}:1: header must be {'<TAB>'.join(HEADER)}")
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        cols = line.split("\t")
        if len(cols) != 4:
            problems.append(f"{tsv}:{lineno}: {len(cols)} columns, expected 4: {line!r}")
            continue
        doc_id, section, heading, title = cols
        rows.append((lineno, (doc_id, section, heading), title))
    return rows


def _show(key: Key) -> str:
    doc_id, section, heading = key
    return f"{doc_id} section={section or '-'} heading={heading!r}"


def check(tsv: Path, corpus_dir: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    if not tsv.is_file():
        return [f"{tsv}: no such file"], 0
    expected = expected_keys(corpus_dir)
    rows = read_rows(tsv, problems)
    got = [key for _, key, _ in rows]

    want_count, got_count = Counter(expected), Counter(got)
    for key in expected:  # report in document order, once per missing occurrence
        if want_count[key] > got_count[key]:
            problems.append(f"missing row: {_show(key)}")
            got_count[key] += 1
    want_count, got_count = Counter(expected), Counter(got)
    for lineno, key, _ in rows:
        if got_count[key] > want_count[key]:
            problems.append(f"{tsv}:{lineno}: extra row: {_show(key)}")
            got_count[key] -= 1

    if Counter(expected) == Counter(got) and expected != got:
        for i, (want, have) in enumerate(zip(expected, got, strict=True)):
            if want != have:
                problems.append(f"{tsv}:{rows[i][0]}: out of document order: {_show(have)}, expected {_show(want)}")
                break

    for lineno, key, title in rows:
        if not title.strip():
            problems.append(f"{tsv}:{lineno}: empty title_en: {_show(key)}")
        elif title != title.strip():
            problems.append(f"{tsv}:{lineno}: title_en has leading/trailing whitespace: {title!r}")
    return problems, len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=ROOT / "corpus" / "section_titles.tsv")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args(argv)
    problems, count = check(args.tsv, args.corpus)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    print(f"ok: {count} titles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
