"""Validate the unseen5 DEV set (documents, hand outlines, gold questions). Standard library only.

    python3 eval/unseen5/check.py

Reads eval/unseen5/corpus, eval/unseen5/outline, eval/gold/unseen5/dev.jsonl and the shipped corpus/ (for
uniqueness and for the shipped evidence of the "unseen5+shipped" questions). It reads no test.jsonl.

Checks
  * catalog: bodies and documents well formed, files present, body codes not those of the shipped catalog.
  * outlines: one per document; paths unique; every parent an earlier path; every heading found on a line of
    its own, in document order, after its number (box borders '│' stripped; the word label 'Recommendation n'
    followed by ':'; in the bilingual document the Chinese line with `number`, then, after blank lines or a
    page footer and running header, the English line with `number_en`).
  * gold: ids u5_001…; lang/type valid; scope "unseen5" or "unseen5+shipped"; unanswerable exactly when evidence
    is empty (then bodies and answer_keywords are empty too); evidence text 10-40 characters, on ONE line of its
    document, occurring once (NFKC, whitespace removed) across the shipped and unseen5 documents together; for
    unseen5 documents the section is an outline path and the text lies inside that section; shipped evidence
    only on "unseen5+shipped" questions; bodies equal the bodies of the evidence documents.
Prints counts by type, language and scope; exits 1 on any problem.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus"
OUTLINES = HERE / "outline"
GOLD = ROOT / "eval" / "gold" / "unseen5" / "dev.jsonl"
SHIPPED = ROOT / "corpus"
LANGS = ("en", "zh-Hant", "zh-Hans")
TYPES = ("fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable")
SCOPES = ("unseen5", "unseen5+shipped")

problems: list[str] = []


def key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def catalog(folder: Path) -> tuple[dict, dict[str, dict]]:
    data = tomllib.loads((folder / "catalog.toml").read_text(encoding="utf-8"))
    docs = {}
    for d in data.get("documents", []):
        for k in ("id", "file", "body", "title_zh", "title_en", "year", "date", "kind"):
            if k not in d:
                problems.append(f"{folder}/catalog.toml: document {d.get('id')} lacks {k}")
        if d.get("body") not in data.get("bodies", {}):
            problems.append(f"{folder}/catalog.toml: {d.get('id')} names unknown body {d.get('body')}")
        path = folder / d["file"]
        if not path.is_file():
            problems.append(f"missing file {path}")
            continue
        d["lines"] = path.read_text(encoding="utf-8").splitlines()
        docs[d["id"]] = d
    for code, b in data.get("bodies", {}).items():
        for k in ("name_zh", "name_en", "short_zh", "short_en"):
            if k not in b:
                problems.append(f"{folder}/catalog.toml: body {code} lacks {k}")
    return data.get("bodies", {}), docs


def heading_line(line: str, number: str, heading: str) -> bool:
    s = line.strip().strip("│").strip(" \u3000\f")
    if not s.endswith(heading):
        return False
    prefix = s[: len(s) - len(heading)].strip(" \u3000")
    if prefix.endswith((".", "、", ":")):
        prefix = prefix[:-1]
    return prefix == number


def filler(line: str) -> bool:
    """Blank lines, page footers (— n —) and the running header, which may sit inside a heading pair."""
    s = line.strip()
    return not s or bool(re.fullmatch(r"—\s*\d+\s*—", s)) or "|" in s and "｜" in s


def outline(doc: dict) -> dict[str, tuple[int, int]]:
    path = OUTLINES / f"{doc['id']}.json"
    if not path.is_file():
        problems.append(f"missing outline {path}")
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = doc["lines"]
    starts: list[tuple[int, str]] = []
    seen: set[str] = set()
    cursor = 0
    for i, s in enumerate(data["sections"]):
        where = f"{path.name}[{i}]"
        if s["path"] in seen:
            problems.append(f"{where}: duplicate path {s['path']}")
        if s["parent"] and s["parent"] not in seen:
            problems.append(f"{where}: parent {s['parent']!r} is not an earlier path")
        seen.add(s["path"])
        found = None
        for j in range(cursor, len(lines)):
            if not heading_line(lines[j], s["number"], s["heading"]):
                continue
            if "heading_en" in s:
                k = j + 1
                while k < len(lines) and filler(lines[k]):
                    k += 1
                if k < len(lines) and heading_line(lines[k], s.get("number_en", s["number"]), s["heading_en"]):
                    found, cursor = j, k + 1
                    break
                continue
            found, cursor = j, j + 1
            break
        if found is None:
            problems.append(f"{where}: heading {s['number']!r} {s['heading']!r} not found after line {cursor + 1}")
            continue
        starts.append((found, s["path"]))
    return {p: (ln, starts[n + 1][0] if n + 1 < len(starts) else len(lines)) for n, (ln, p) in enumerate(starts)}


def main() -> int:
    bodies, docs = catalog(CORPUS)
    s_bodies, s_docs = catalog(SHIPPED)
    if set(bodies) & set(s_bodies):
        problems.append(f"body codes reuse shipped ones: {sorted(set(bodies) & set(s_bodies))}")
    ranges = {doc_id: outline(d) for doc_id, d in docs.items()}
    everything = {**s_docs, **docs}
    joined = {doc_id: key("\n".join(d["lines"])) for doc_id, d in everything.items()}
    known = set(bodies) | set(s_bodies)
    counts: Counter = Counter()
    ids = set()
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        q = json.loads(line)
        where = f"dev.jsonl:{n} ({q.get('id')})"
        if q["id"] in ids or not re.fullmatch(r"u5_\d{3}", q["id"]):
            problems.append(f"{where}: bad or duplicate id")
        ids.add(q["id"])
        if q["lang"] not in LANGS or q["type"] not in TYPES or q.get("scope") not in SCOPES:
            problems.append(f"{where}: bad lang, type or scope")
        counts[("type", q["type"])] += 1
        counts[("lang", q["lang"])] += 1
        counts[("scope", q.get("scope"))] += 1
        counts[("lang×answerable", q["lang"], q["type"] != "unanswerable")] += 1
        if (q["type"] == "unanswerable") != (not q["evidence"]):
            problems.append(f"{where}: unanswerable exactly when evidence is empty")
        if q["type"] == "unanswerable" and (q["bodies"] or q["answer_keywords"]):
            problems.append(f"{where}: unanswerable with bodies or keywords")
        if q["type"] != "unanswerable" and not q["answer_keywords"]:
            problems.append(f"{where}: no answer_keywords")
        if q.get("asks") not in (None, "which_bodies"):
            problems.append(f"{where}: asks must be 'which_bodies'")
        ev_bodies = set()
        for k, ev in enumerate(q["evidence"], 1):
            tag = f"{where} evidence {k}"
            doc_id, section, text = ev["doc"], ev["section"], ev["text"]
            if not 10 <= len(text) <= 40:
                problems.append(f"{tag}: {len(text)} characters: {text!r}")
            if doc_id not in everything:
                problems.append(f"{tag}: unknown document {doc_id}")
                continue
            doc = everything[doc_id]
            ev_bodies.add(doc["body"])
            lines = doc["lines"]
            on = [j for j, ln in enumerate(lines) if text in ln]
            if not on:
                problems.append(f"{tag}: not on one line of {doc_id}: {text!r}")
            hits = sum(t.count(key(text)) for t in joined.values())
            if hits != 1:
                problems.append(f"{tag}: occurs {hits} times in shipped + unseen5: {text!r}")
            if doc_id in docs:
                if section not in ranges[doc_id]:
                    problems.append(f"{tag}: section {section!r} is not a path of outline/{doc_id}.json")
                elif on:
                    lo, hi = ranges[doc_id][section]
                    if not any(lo <= j < hi for j in on):
                        problems.append(f"{tag}: text not inside section {section!r} (lines {lo + 1}-{hi})")
            elif q.get("scope") != "unseen5+shipped":
                problems.append(f"{tag}: cites a shipped document, so scope must be unseen5+shipped")
        if q["evidence"] and ev_bodies != set(q["bodies"]):
            problems.append(f"{where}: bodies {q['bodies']} != evidence bodies {sorted(ev_bodies)}")
        for b in q["bodies"]:
            if b not in known:
                problems.append(f"{where}: unknown body {b}")
    print(f"{len(ids)} questions")
    print("  by type:  " + ", ".join(f"{t} {counts[('type', t)]}" for t in TYPES))
    print("  by lang:  " + ", ".join(
        f"{lang} {counts[('lang', lang)]} ({counts[('lang×answerable', lang, True)]} answerable)" for lang in LANGS))
    print("  by scope: " + ", ".join(f"{s} {counts[('scope', s)]}" for s in SCOPES))
    print("outlines: " + ", ".join(f"{d} {len(r)} sections" for d, r in ranges.items()))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
