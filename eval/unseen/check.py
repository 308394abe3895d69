"""Validate the held-out ("unseen") test material. Standard library only.

    python3 eval/unseen/check.py
    python3 eval/unseen/check.py --root eval/holdout --gold eval/gold/holdout

--root is the set's folder (corpus/ and outline/ inside), --gold its gold folder; both default to the unseen
set. The set's name is the last part of --root ("unseen", "holdout"): question ids are its first letter plus
three digits (u001, h001) and scope is "<name>" or "<name>+shipped". Paths below are for the default set.

Checks
  * eval/unseen/corpus/catalog.toml: bodies and documents well formed, every file present.
  * eval/unseen/outline/<doc_id>.json: one per document; paths unique; every parent is an earlier path;
    every heading (and heading_en) is printed on one line of the document, after its number (a bilingual
    pair may print the Chinese line first, as in the unseen set, or the English line first).
  * eval/gold/unseen/{dev,test}.jsonl: ids unique across both files; lang/type valid; unanswerable exactly
    when evidence is empty (and then bodies is empty too); evidence text 10-40 characters, a substring of ONE
    line of its document, and (whitespace aside) occurring once only in that corpus; section = a path of the
    outline (unseen documents) or a section already used for that document by the shipped gold (shipped
    documents, which have no hand outline here); bodies known, and the bodies of the evidence documents equal
    the question's bodies.
  * body codes differ from the shipped ones (and, for another set, from the unseen ones).
  * scope is "<name>" or "<name>+shipped" on every question.
  * eval/gold/unseen/followups.jsonl (optional for other sets): ids unique, at least two turns, each with question,
    known bodies, lang.
Prints counts by split, type and language; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_GOLD = ROOT / "eval" / "gold" / "unseen"
# Set by main() from --root / --gold; the defaults are the unseen set.
SET_NAME = "unseen"
UNSEEN_CORPUS = HERE / "corpus"
OUTLINE_DIR = HERE / "outline"
GOLD_DIR = DEFAULT_GOLD
SHIPPED_CORPUS = ROOT / "corpus"
SHIPPED_GOLD = [ROOT / "eval" / "gold" / "dev.jsonl", ROOT / "eval" / "gold" / "test.jsonl"]

LANGS = ("en", "zh-Hant", "zh-Hans")
TYPES = ("fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable")
REQUIRED = ("id", "lang", "type", "question", "evidence", "bodies", "answer_keywords")

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def load_catalog(corpus: Path) -> tuple[dict, dict[str, dict]]:
    data = tomllib.loads((corpus / "catalog.toml").read_text(encoding="utf-8"))
    bodies = data.get("bodies", {})
    docs: dict[str, dict] = {}
    for d in data.get("documents", []):
        for key in ("id", "file", "body", "title_zh", "title_en", "year", "date", "kind"):
            if key not in d:
                problem(f"{corpus}/catalog.toml: document {d.get('id', '?')} lacks '{key}'")
        if d.get("body") not in bodies:
            problem(f"{corpus}/catalog.toml: document {d.get('id')} names unknown body {d.get('body')}")
        if Path(d.get("file", "")).stem != d.get("id"):
            problem(f"{corpus}/catalog.toml: id {d.get('id')} is not the file name without extension")
        path = corpus / d.get("file", "")
        if not path.is_file():
            problem(f"{corpus}/catalog.toml: file {path} missing")
            continue
        d["text"] = path.read_text(encoding="utf-8")
        d["lines"] = d["text"].splitlines()
        docs[d["id"]] = d
    for code, b in bodies.items():
        for key in ("name_zh", "name_en", "short_zh", "short_en"):
            if key not in b:
                problem(f"{corpus}/catalog.toml: body {code} lacks '{key}'")
    return bodies, docs


def is_heading_line(line: str, number: str, heading: str) -> bool:
    """The line is exactly `number` (+ '.' or '、') + optional space + `heading`."""
    s = line.strip().strip("\f")
    if not s.endswith(heading):
        return False
    prefix = s[: len(s) - len(heading)].strip(" \u3000")
    if prefix.endswith((".", "、")):
        prefix = prefix[:-1]
    return prefix == number


def _filler(line: str) -> bool:
    """Blank lines and bare page numbers, which may sit between a heading and what follows it."""
    return not line.strip() or line.strip().isdigit()


def check_outline(doc: dict) -> dict[str, tuple[int, int]]:
    """Validate the outline; return path -> (first line, line after the last) of each section's own text."""
    path = OUTLINE_DIR / f"{doc['id']}.json"
    if not path.is_file():
        problem(f"outline missing: {path}")
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "sections" not in data or "convention" not in data:
        problem(f"{path}: expected an object with 'convention' and 'sections'")
        return {}
    lines = doc["lines"]
    starts: list[tuple[int, str]] = []
    paths: set[str] = set()
    cursor = 0  # headings must appear in document order
    for i, s in enumerate(data["sections"]):
        where = f"{path.name}[{i}]"
        if not all(isinstance(s.get(k), str) for k in ("number", "heading", "path", "parent")):
            problem(f"{where}: number, heading, path and parent must be strings")
            continue
        if s["path"] in paths:
            problem(f"{where}: duplicate path {s['path']}")
        if s["parent"] and s["parent"] not in paths:
            problem(f"{where}: parent {s['parent']!r} is not an earlier path")
        paths.add(s["path"])
        found = None
        for j in range(cursor, len(lines)):
            if "heading_en" in s:
                # bilingual pair: Chinese line then English line, or English line then Chinese line
                orders = ((s["heading"], s["heading_en"]), (s["heading_en"], s["heading"]))
                first = next((o for o in orders if is_heading_line(lines[j], s["number"], o[0])), None)
                if first is None:
                    continue
                k = j + 1  # what follows: filler, then the other language's line
                while k < len(lines) and _filler(lines[k]):
                    k += 1
                if k < len(lines) and is_heading_line(lines[k], s["number"], first[1]):
                    found = j
                    cursor = k + 1
                    break
                continue
            if not is_heading_line(lines[j], s["number"], s["heading"]):
                continue
            k = j + 1  # what follows a heading: a blank line
            if k >= len(lines) or not lines[k].strip():
                found = j
                cursor = k
                break
        if found is None:
            problem(f"{where}: no heading line {s['number']!r} {s['heading']!r} (standing alone) "
                    f"after line {cursor + 1}")
            continue
        starts.append((found, s["path"]))
    ranges: dict[str, tuple[int, int]] = {}
    for n, (line_no, p) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        ranges[p] = (line_no, end)
    return ranges


def shipped_sections() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in SHIPPED_GOLD:
        if not p.is_file():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for ev in json.loads(line).get("evidence", []):
                    out.setdefault(ev["doc"], set()).add(ev["section"])
    return out


def parse_args(argv: list[str] | None) -> None:
    global SET_NAME, UNSEEN_CORPUS, OUTLINE_DIR, GOLD_DIR
    ap = argparse.ArgumentParser(description="Validate a held-out test set (default: eval/unseen).")
    ap.add_argument("--root", type=Path, default=HERE, help="the set's folder, with corpus/ and outline/")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="the set's gold folder (dev.jsonl, test.jsonl)")
    args = ap.parse_args(argv)
    root = args.root if args.root.is_absolute() else (Path.cwd() / args.root)
    gold = args.gold if args.gold.is_absolute() else (Path.cwd() / args.gold)
    root, gold = root.resolve(), gold.resolve()
    SET_NAME = root.name
    UNSEEN_CORPUS = root / "corpus"
    OUTLINE_DIR = root / "outline"
    GOLD_DIR = gold


def main(argv: list[str] | None = None) -> int:
    parse_args(argv)
    default_set = UNSEEN_CORPUS.resolve() == (HERE / "corpus").resolve()
    u_bodies, u_docs = load_catalog(UNSEEN_CORPUS)
    s_bodies, s_docs = load_catalog(SHIPPED_CORPUS)
    overlap = set(u_bodies) & set(s_bodies)
    if overlap:
        problem(f"{SET_NAME} bodies reuse shipped codes: {sorted(overlap)}")
    if not default_set:
        other = tomllib.loads((HERE / "corpus" / "catalog.toml").read_text(encoding="utf-8")).get("bodies", {})
        if set(u_bodies) & set(other):
            problem(f"{SET_NAME} bodies reuse unseen codes: {sorted(set(u_bodies) & set(other))}")
    known_bodies = set(u_bodies) | set(s_bodies)
    prefix = SET_NAME[:1].lower()
    scopes = (SET_NAME, f"{SET_NAME}+shipped")
    outlines = {doc_id: check_outline(doc) for doc_id, doc in u_docs.items()}
    s_sections = shipped_sections()
    u_joined = [squash(d["text"]) for d in u_docs.values()]
    s_text = {doc_id: squash(d["text"]) for doc_id, d in s_docs.items()}

    seen_ids: dict[str, str] = {}
    counts: dict[str, Counter] = {}
    for split in ("dev", "test"):
        path = GOLD_DIR / f"{split}.jsonl"
        counts[split] = Counter()
        if not path.is_file():
            problem(f"missing {path}")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as exc:
                problem(f"{where}: bad JSON ({exc})")
                continue
            missing = [k for k in REQUIRED if k not in q]
            if missing:
                problem(f"{where}: missing {missing}")
                continue
            where = f"{where} ({q['id']})"
            if q["id"] in seen_ids:
                problem(f"{where}: duplicate id (first in {seen_ids[q['id']]})")
            seen_ids[q["id"]] = where
            if not re.fullmatch(prefix + r"\d{3}", q["id"]):
                problem(f"{where}: id should look like {prefix}001")
            if q.get("scope") not in scopes:
                problem(f"{where}: scope should be one of {list(scopes)}, not {q.get('scope')!r}")
            if q["lang"] not in LANGS:
                problem(f"{where}: bad lang {q['lang']}")
            if q["type"] not in TYPES:
                problem(f"{where}: bad type {q['type']}")
            counts[split][(q["type"], q["lang"])] += 1
            if (q["type"] == "unanswerable") != (not q["evidence"]):
                problem(f"{where}: unanswerable exactly when evidence is empty")
            if q["type"] == "unanswerable" and (q["bodies"] or q["answer_keywords"]):
                problem(f"{where}: an unanswerable question has no bodies and no answer_keywords")
            if q["type"] != "unanswerable" and not q["answer_keywords"]:
                problem(f"{where}: answer_keywords empty")
            for b in q["bodies"]:
                if b not in known_bodies:
                    problem(f"{where}: unknown body {b}")
            ev_bodies = set()
            for k, ev in enumerate(q["evidence"], 1):
                tag = f"{where} evidence {k}"
                doc_id, section, text = ev.get("doc"), ev.get("section"), ev.get("text", "")
                if not 10 <= len(text) <= 40:
                    problem(f"{tag}: text has {len(text)} characters (want 10-40): {text!r}")
                if doc_id in u_docs:
                    doc = u_docs[doc_id]
                    ev_bodies.add(doc["body"])
                    if not any(text in ln for ln in doc["lines"]):
                        problem(f"{tag}: text not on one line of {doc_id}: {text!r}")
                    hits = sum(t.count(squash(text)) for t in u_joined)
                    if hits != 1:
                        problem(f"{tag}: text occurs {hits} times in the {SET_NAME} corpus: {text!r}")
                    ranges = outlines.get(doc_id, {})
                    if section not in ranges:
                        problem(f"{tag}: section {section!r} is not a path in outline/{doc_id}.json")
                    else:
                        lo, hi = ranges[section]
                        if not any(text in doc["lines"][j] for j in range(lo, hi)):
                            problem(f"{tag}: text is not inside section {section!r} (lines {lo + 1}-{hi})")
                elif doc_id in s_docs:
                    doc = s_docs[doc_id]
                    ev_bodies.add(doc["body"])
                    if not any(text in ln for ln in doc["lines"]):
                        problem(f"{tag}: text not on one line of shipped {doc_id}: {text!r}")
                    if s_text[doc_id].count(squash(text)) != 1:
                        problem(f"{tag}: text not unique in shipped {doc_id}: {text!r}")
                    if section not in s_sections.get(doc_id, set()):
                        problem(f"{tag}: section {section!r} never used for {doc_id} by the shipped gold")
                    if q.get("scope") != f"{SET_NAME}+shipped":
                        problem(f"{tag}: cites a shipped document, so the question needs "
                                f"\"scope\": \"{SET_NAME}+shipped\"")
                else:
                    problem(f"{tag}: unknown document {doc_id}")
            if q["evidence"] and ev_bodies != set(q["bodies"]):
                problem(f"{where}: bodies {sorted(q['bodies'])} != bodies of evidence documents {sorted(ev_bodies)}")

    fpath = GOLD_DIR / "followups.jsonl"
    f_ids: set[str] = set()
    n_follow = 0
    if not fpath.is_file():
        if default_set:
            problem(f"missing {fpath}")
    else:
        for n, line in enumerate(fpath.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"followups.jsonl:{n}"
            f = json.loads(line)
            n_follow += 1
            if f.get("id") in f_ids or not re.fullmatch(r"f\d{3}", str(f.get("id"))):
                problem(f"{where}: bad or duplicate id {f.get('id')}")
            f_ids.add(f.get("id"))
            turns = f.get("turns", [])
            if len(turns) < 2:
                problem(f"{where}: needs at least two turns")
            for t in turns:
                if not isinstance(t.get("question"), str) or not t["question"].strip():
                    problem(f"{where}: empty question")
                if t.get("lang") not in LANGS:
                    problem(f"{where}: bad lang {t.get('lang')}")
                for b in t.get("bodies", []):
                    if b not in known_bodies:
                        problem(f"{where}: unknown body {b}")

    for split, c in counts.items():
        total = sum(c.values())
        print(f"{split}: {total} questions")
        by_type = Counter()
        by_lang = Counter()
        for (t, lang), v in c.items():
            by_type[t] += v
            by_lang[lang] += v
        print("  by type: " + ", ".join(f"{t} {by_type[t]}" for t in TYPES))
        print("  by lang: " + ", ".join(f"{lang} {by_lang[lang]}" for lang in LANGS))
    print(f"followups: {n_follow}")
    print("outlines: " + ", ".join(f"{d} {len(p)} sections" for d, p in outlines.items()))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
