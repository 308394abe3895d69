"""How the next document will fare: each document evaluated as if nobody had curated it.

For each document of the corpus, a scratch copy of the corpus drops what was written for that document alone:
its curated English section titles, and every glossary entry and user-dictionary word whose Chinese wording
occurs in no other document. The index is rebuilt there (passage vectors come from the shared cache) and the
document's own gold questions (those whose evidence is all in it) are asked in each mode. Results are grouped
by mode and question language, next to the same questions on the curated corpus.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.corpus import raw_documents
from eval.gold import GoldQuestion
from eval.runner import pipeline_ask, resolve_gold, run_eval
from rag.config import Settings
from rag.corpus.catalog import load_catalog
from rag.pipeline import Pipeline
from rag.text.tokenize import fold

METRICS = ("hit@5", "mrr@10")


def _used_elsewhere(wordings: Iterable[str], others: str) -> bool:
    return any(w.strip() and fold(w.strip()) in others for w in wordings)


def strip_curation(corpus_dir: Path, doc_id: str, target: Path) -> dict[str, int]:
    """Copy the corpus to `target` without what was curated for `doc_id` alone; returns what was dropped."""
    shutil.copytree(corpus_dir, target, ignore=shutil.ignore_patterns("index", ".*"))
    documents = raw_documents(corpus_dir)
    others = fold("\n".join(text for other, text in documents.items() if other != doc_id))
    dropped = {"titles": 0, "glossary": 0, "userdict": 0}

    titles = target / "section_titles.tsv"
    if titles.is_file():
        rows = list(csv.reader(titles.open(encoding="utf-8"), delimiter="\t"))
        kept = [row for row in rows if not row or row[0] != doc_id]
        dropped["titles"] = len(rows) - len(kept)
        with titles.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, delimiter="\t", lineterminator="\n").writerows(kept)

    glossary = target / "glossary.tsv"
    if glossary.is_file():
        lines = glossary.read_text(encoding="utf-8").splitlines()
        kept_lines = lines[:1] + [line for line in lines[1:] if not line.strip() or line.startswith("#")
                                  or _used_elsewhere(line.split("\t")[1].split("|") if "\t" in line else [], others)]
        dropped["glossary"] = len(lines) - len(kept_lines)
        glossary.write_text("\n".join(kept_lines) + "\n", encoding="utf-8")

    userdict = target / "userdict.txt"
    if userdict.is_file():
        lines = userdict.read_text(encoding="utf-8").splitlines()
        kept_lines = [line for line in lines if not line.strip() or line.startswith("#")
                      or _used_elsewhere(line.split()[:1], others)]
        dropped["userdict"] = len(lines) - len(kept_lines)
        userdict.write_text("\n".join(kept_lines) + "\n", encoding="utf-8")
    return dropped


def _own_questions(questions: Sequence[GoldQuestion], doc_id: str) -> list[GoldQuestion]:
    return [q for q in questions if q.evidence and {e.doc for e in q.evidence} == {doc_id}]


def run_uncurated(gold: str | Path, modes: Sequence[str], settings: Settings) -> dict[str, Any]:
    """Per document, curated and uncurated runs of its own questions; grouped by mode and language."""
    from eval.gold import load_gold

    _, paths = resolve_gold(gold)
    questions = load_gold(paths, documents=raw_documents(settings.corpus_dir))
    catalog = load_catalog(settings.corpus_dir)
    curated = Pipeline(settings)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="uncurated-") as tmp:
        for document in catalog.documents:
            own = _own_questions(questions, document.doc_id)
            if not own:
                continue
            gold_file = Path(tmp) / f"{document.doc_id}.jsonl"
            gold_file.write_text("".join(json.dumps(q.to_dict(), ensure_ascii=False) + "\n" for q in own),
                                 encoding="utf-8")
            corpus = Path(tmp) / document.doc_id
            dropped = strip_curation(settings.corpus_dir, document.doc_id, corpus)
            bare = Pipeline(replace(settings, corpus_dir=corpus, index_dir=corpus / "index"))
            for label, pipeline in (("curated", curated), ("uncurated", bare)):
                results = run_eval([gold_file], modes=modes, baselines=False, progress=False,
                                   ask=pipeline_ask(pipeline), settings=pipeline.settings)
                for record in results["questions"]:
                    rows.append({**{k: record.get(k) for k in ("id", "lang", "system", *METRICS)},
                                 "corpus": label, "doc": document.doc_id, "dropped": dropped})
    return {"rows": rows, "summary": summarise(rows)}


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """corpus → mode → language (and "all") → mean of each metric over the answerable questions."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for row in rows:
        if row.get("hit@5") is None:
            continue
        for lang in (row["lang"], "all"):
            cell = out.setdefault(row["corpus"], {}).setdefault(row["system"], {}).setdefault(lang, {"n": 0})
            cell["n"] += 1
            for metric in METRICS:
                cell[metric] = cell.get(metric, 0.0) + float(row[metric])
    for modes in out.values():
        for langs in modes.values():
            for cell in langs.values():
                for metric in METRICS:
                    cell[metric] = round(cell[metric] / cell["n"], 3)
    return out


def format_summary(summary: dict[str, dict[str, dict[str, dict[str, float]]]]) -> str:
    lines = ["| mode | language | n | curated Hit@5 | uncurated Hit@5 | curated MRR@10 | uncurated MRR@10 |",
             "|---|---|---|---|---|---|---|"]
    curated, bare = summary.get("curated", {}), summary.get("uncurated", {})
    for mode, langs in bare.items():
        for lang, cell in sorted(langs.items()):
            before = curated.get(mode, {}).get(lang, {})
            lines.append(f"| {mode} | {lang} | {cell['n']} | {before.get('hit@5', float('nan')):.3f} | "
                         f"{cell['hit@5']:.3f} | {before.get('mrr@10', float('nan')):.3f} | {cell['mrr@10']:.3f} |")
    return "\n".join(lines)
