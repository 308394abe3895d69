"""Outline score: parse each document of a corpus folder and compare its sections with a hand-written outline.

A true heading counts as found when a parsed section has the same path (the outline convention,
`rag.corpus.sections.outline_path`), the same number and the same parent path. Sections are matched by path
in document order, so a path printed twice (a summary item and its real heading) matches once.

    python -m eval.outline <corpus_dir> <outline_dir> [--json]
    rag eval --outline <outline_dir>          (the corpus folder is --corpus / RAG_CORPUS_DIR)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rag.corpus.catalog import CatalogError, load_catalog
from rag.corpus.loader import read_text
from rag.corpus.sections import Section, outline_path, parse_document


@dataclass
class OutlineScore:
    """One document's (or the corpus's) comparison with its true outline."""

    doc_id: str
    true: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_parent: list[str] = field(default_factory=list)  # "path: parent found → parent expected"

    @property
    def score(self) -> float:
        return self.found / self.true if self.true else 1.0


def parsed_outline(root: Section) -> list[tuple[str, str, str]]:
    """(path, number, parent path) of every parsed section, in document order."""
    rows = []
    for section in root.walk():
        if section is root:
            continue
        parent = section.parent
        parent_path = outline_path(parent) if parent is not None and parent is not root else ""
        rows.append((outline_path(section), section.label, parent_path))
    return rows


def score_document(doc_id: str, root: Section, truth: list[dict]) -> OutlineScore:
    result = OutlineScore(doc_id, true=len(truth))
    found: dict[str, list[tuple[str, str]]] = {}
    for path, number, parent in parsed_outline(root):
        found.setdefault(path, []).append((number, parent))
    for item in truth:
        candidates = found.get(item["path"])
        if not candidates:
            result.missing.append(item["path"])
            continue
        number, parent = candidates.pop(0)
        if number == item["number"] and parent == item["parent"]:
            result.found += 1
        else:
            result.wrong_parent.append(f"{item['path']}: {number!r} under {parent!r}, "
                                       f"expected {item['number']!r} under {item['parent']!r}")
    result.extra = [path for path, rest in found.items() for _ in rest]
    return result


def score_corpus(corpus_dir: Path, outline_dir: Path) -> list[OutlineScore]:
    """Scores per document with an outline file, in file-name order."""
    try:
        catalog = load_catalog(corpus_dir)
        front = {doc.doc_id: doc.front_matter_lines for doc in catalog.documents}
        files = {doc.doc_id: doc.file for doc in catalog.documents}
    except (CatalogError, OSError):
        front, files = {}, {}
    scores = []
    for outline_file in sorted(outline_dir.glob("*.json")):
        doc_id = outline_file.stem
        truth = json.loads(outline_file.read_text(encoding="utf-8"))["sections"]
        root = parse_document(read_text(corpus_dir / files.get(doc_id, f"{doc_id}.txt")), front.get(doc_id))
        scores.append(score_document(doc_id, root, truth))
    return scores


def overall(scores: list[OutlineScore]) -> OutlineScore:
    total = OutlineScore("overall")
    for s in scores:
        total.true += s.true
        total.found += s.found
    return total


def format_scores(scores: list[OutlineScore], as_json: bool = False) -> str:
    """Per document and overall: found/true and the missing, extra and wrong-parent lists."""
    total = overall(scores)
    if as_json:
        rows = [{**asdict(s), "score": round(s.score, 4)} for s in [*scores, total]]
        return json.dumps(rows, ensure_ascii=False, indent=2)
    lines = []
    for s in scores:
        lines.append(f"{s.doc_id}  {s.found}/{s.true}  {s.score:.1%}")
        for name in ("missing", "extra", "wrong_parent"):
            lines.extend(f"    {name}: {item}" for item in getattr(s, name))
    lines.append(f"overall  {total.found}/{total.true}  {total.score:.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.outline", description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("outline_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    scores = score_corpus(args.corpus_dir, args.outline_dir)
    if not scores:
        print(f"No outline files (*.json) in {args.outline_dir}: give the folder of hand-written outlines.",
              file=sys.stderr)
        return 2
    print(format_scores(scores, args.json))
    return 0


if __name__ == "__main__":
    sys.exit(main())
