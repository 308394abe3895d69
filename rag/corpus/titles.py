"""Curated English section titles (corpus/section_titles.tsv), matched to parsed sections in order."""

from __future__ import annotations

import csv
from pathlib import Path

from rag.corpus.sections import Section

Row = tuple[str, str, str]  # (section number path, Chinese heading, English title)


def load_titles(corpus_dir: Path) -> dict[str, list[Row]]:
    """Rows per document, in document order; a missing file means no titles."""
    path = corpus_dir / "section_titles.tsv"
    if not path.is_file():
        return {}
    out: dict[str, list[Row]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.setdefault(row["doc_id"], []).append((row["section"], row["heading_zh"], row["title_en"].strip()))
    return out


def apply_titles(root: Section, rows: list[Row]) -> int:
    """Give sections their English titles. Rows are matched in document order, because (number, heading)
    alone repeats (001 has two sections 11, each with untitled items (2) and (3)); a row that does not match
    the next section is skipped, so an outdated file degrades to fewer titles, never wrong ones."""
    matched, position = 0, 0
    for section in root.walk():
        if section is root:
            continue
        for ahead in range(position, len(rows)):
            number, heading, title = rows[ahead]
            if (number, heading) == (section.number_path, section.heading):
                section.heading_en = title
                matched += 1
                position = ahead + 1
                break
    return matched
