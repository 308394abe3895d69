"""Validate the unseen12 DEV set (documents, hand outlines, gold questions, follow-ups). Standard library only.

    python3 eval/unseen12/check.py

Reads eval/unseen12/corpus, eval/unseen12/outline, eval/gold/unseen12/{dev,test}.jsonl,
eval/gold/unseen12/{followups,followups_test}.jsonl, the shipped corpus/ (for uniqueness and for the shipped
evidence of the "unseen12+shipped" questions), the other eval/*/corpus/catalog.toml (to keep the bodies' names
new) and eval/gold/unseen5, unseen6, unseen8, unseen10 and unseen11 (the only places the shipped section paths
used here were taken from). It runs nothing from rag/, cli/ or ui/.

Checks
  * catalog: bodies and documents well formed, files present and named b0n_<16 hex>.txt where the hex is the
    first 16 hex digits of the SHA-256 of the file; body codes, names and the distinctive invented word of each
    name (Suiling/穗岭, Kestrelwood/隼林, Brackenholt/蕨林) not in the shipped catalog or in any other
    eval/*/corpus/catalog.toml, nor in the shipped documents; each document names its own body (English or
    Chinese name) in its text; document length 1,200-1,800 English words (b02) or Han characters (b01), and for
    the bilingual b03 1,200-1,800 Han characters and 700-1,300 English words.
  * outlines: one per document; the `convention` string identical to eval/unseen10's (and so eval/unseen11's);
    paths unique; every parent an earlier path; every heading found on a line of its own, in document order,
    after its number ('Part A – ' with its dash, 'A1. ', '一、', '（一）', '1. ', '（1）' ...). A bilingual
    section (with `heading_en`/`number_en`) starts at its English heading line ('I. Title'), and its Chinese
    heading line ('一、標題') must follow before the next section starts, with the English text in between.
  * gold: ids u12_001…u12_060, unique, odd ids in dev.jsonl and even ids in test.jsonl; lang/type valid;
    scope "unseen12" or "unseen12+shipped"; unanswerable exactly when evidence is empty (then bodies and
    answer_keywords are empty too); `asks` only "which_bodies" and only on unanswerable questions; `group`
    only "colloquial" or "mixed"; evidence text 10-40 characters, on ONE line of its document, occurring once
    (NFKC, whitespace and `*` removed, as match_key does) across the shipped and unseen12 documents together;
    for unseen12 documents the section is an outline path and the text lies inside that section (never in b02's
    Summary of Recommendations); for shipped documents the (document, section) pair is one that eval/gold/unseen5, 6, 8,
    10 or 11 already uses; shipped evidence only on "unseen12+shipped" questions; bodies equal the bodies of the
    evidence documents; every answer keyword occurs (NFKC, whitespace removed, case-folded) in the text of one
    of the question's evidence documents.
  * counts: 60 questions, 20 per language; per language fact 2, numeric 3, why 1, list 1, which_bodies 4,
    compare 1 and 8 unanswerable, 3 of them with asks "which_bodies"; every type and language in both halves.
  * follow-ups: 6 in followups.jsonl (u12f001-006) and 6 in followups_test.jsonl (u12f007-012); two turns
    each; every turn's bodies equal its evidence bodies and its years equal the evidence documents' years;
    evidence as above; `retarget` names exactly what changes between the turns (body, year, language).
Prints counts; exits 1 on any problem.
"""

from __future__ import annotations

import hashlib
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
GOLD = ROOT / "eval" / "gold" / "unseen12"
SHIPPED = ROOT / "corpus"
VERIFIED_GOLD = [ROOT / "eval" / "gold" / f"unseen{n}" for n in (5, 6, 8, 10, 11)]
CONVENTION_FROM = ROOT / "eval" / "unseen10" / "outline" / "w01_acd348d3cfe374dc.json"
LANGS = ("en", "zh-Hant", "zh-Hans")
TYPES = ("fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable")
PER_LANG = {"fact": 2, "numeric": 3, "why": 1, "list": 1, "which_bodies": 4, "compare": 1, "unanswerable": 8}
ASKS_PER_LANG = 3
SCOPES = ("unseen12", "unseen12+shipped")
GROUPS = ("colloquial", "mixed")
# The invented word of each body's name, in every spelling the catalog and documents use.
DISTINCT = {"SGCE": ["Suiling", "穗岭", "穗嶺"], "KAID": ["Kestrelwood", "隼林"], "BMTE": ["Brackenholt", "蕨林"]}
# (measure, low, high) per document prefix; b03 is bilingual and has both measures.
SIZES = {"b01": [("han", 1200, 1800)], "b02": [("words", 1200, 1800)],
         "b03": [("han", 1200, 1800), ("words", 700, 1300)]}
NO_EVIDENCE_SECTIONS = {"Summary of Recommendations"}

problems: list[str] = []


def key(text: str) -> str:
    """NFKC, whitespace and markdown `*` removed: the rule of rag.text.normalize.match_key, restated here."""
    return re.sub(r"[\s*]+", "", unicodedata.normalize("NFKC", text))


def catalog(folder: Path, read: bool = True) -> tuple[dict, dict[str, dict]]:
    data = tomllib.loads((folder / "catalog.toml").read_text(encoding="utf-8"))
    docs = {}
    for d in data.get("documents", []):
        for k in ("id", "file", "body", "title_zh", "title_en", "year", "date", "kind"):
            if k not in d:
                problems.append(f"{folder}/catalog.toml: document {d.get('id')} lacks {k}")
        if d.get("body") not in data.get("bodies", {}):
            problems.append(f"{folder}/catalog.toml: {d.get('id')} names unknown body {d.get('body')}")
        if not read:
            continue
        path = folder / d["file"]
        if not path.is_file():
            problems.append(f"missing file {path}")
            continue
        raw = path.read_bytes()
        d["sha"] = hashlib.sha256(raw).hexdigest()
        d["lines"] = raw.decode("utf-8").splitlines()
        docs[d["id"]] = d
    for code, b in data.get("bodies", {}).items():
        for k in ("name_zh", "name_en", "short_zh", "short_en"):
            if k not in b:
                problems.append(f"{folder}/catalog.toml: body {code} lacks {k}")
    return data.get("bodies", {}), docs


def check_documents(bodies: dict, docs: dict[str, dict], s_docs: dict[str, dict]) -> None:
    others = [p for p in (ROOT / "eval").glob("*/corpus/catalog.toml") if p.parent.parent != HERE]
    others.append(SHIPPED / "catalog.toml")
    if set(bodies) != set(DISTINCT):
        problems.append(f"bodies {sorted(bodies)} differ from the expected {sorted(DISTINCT)}")
    for path in others:
        o_bodies, _ = catalog(path.parent, read=False)
        for code, b in o_bodies.items():
            if code in bodies:
                problems.append(f"body code {code} is also used in {path}")
            names = " ".join([b.get("name_en", ""), b.get("name_zh", ""), *b.get("short_zh", []),
                              *b.get("short_en", [])])
            for mine_code, mine in bodies.items():
                if b.get("name_en") == mine["name_en"] or b.get("name_zh") == mine["name_zh"]:
                    problems.append(f"body {mine_code}'s name is also used in {path}")
                for word in DISTINCT.get(mine_code, []):
                    if word in names:
                        problems.append(f"{word!r} of {mine_code} also appears in a body name in {path}")
    shipped_text = "".join(key("\n".join(d["lines"])) for d in s_docs.values())
    for code, words in DISTINCT.items():
        for word in words:
            if word in shipped_text:
                problems.append(f"{word!r} of {code} occurs in a shipped document")
    for doc_id, d in docs.items():
        if not re.fullmatch(r"b0\d_[0-9a-f]{16}", doc_id) or d["file"] != f"{doc_id}.txt":
            problems.append(f"{doc_id}: id or file name not b0n_<16 hex>.txt")
        elif doc_id[4:] != d["sha"][:16]:
            problems.append(f"{doc_id}: hex is not the first 16 hex digits of the file's SHA-256 ({d['sha'][:16]})")
        text = "\n".join(d["lines"])
        han = len(re.findall(r"[\u4e00-\u9fff]", text))
        words = len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’$,.%-]*", text))
        d["size"] = (words, han)
        for measure, lo, hi in SIZES.get(doc_id[:3], []):
            n = han if measure == "han" else words
            if not lo <= n <= hi:
                problems.append(f"{doc_id}: {n} {'Han characters' if measure == 'han' else 'words'}, not {lo:,}-{hi:,}")
        b = bodies.get(d["body"], {})
        flat = key(text)
        if key(b.get("name_en", "?")) not in flat and key(b.get("name_zh", "?")) not in flat:
            problems.append(f"{doc_id}: does not name its own body ({d['body']}) in its text")


def heading_line(line: str, number: str, heading: str) -> bool:
    s = line.strip(" \u3000\f")
    if not s.endswith(heading):
        return False
    prefix = s[: len(s) - len(heading)].rstrip(" \u3000")
    if prefix.endswith(("–", "—", "-")):
        prefix = prefix[:-1].rstrip()
    elif prefix.endswith((".", "、", ":")):
        prefix = prefix[:-1]
    return prefix == number


def outline(doc: dict, convention: str) -> dict[str, tuple[int, int]]:
    path = OUTLINES / f"{doc['id']}.json"
    if not path.is_file():
        problems.append(f"missing outline {path}")
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("convention") != convention:
        problems.append(f"{path.name}: convention differs from {CONVENTION_FROM.relative_to(ROOT)}")
    lines = doc["lines"]
    starts: list[tuple[int, str]] = []
    second: dict[str, int] = {}  # path -> line of the Chinese heading of a bilingual section
    seen: set[str] = set()
    cursor = 0
    for i, s in enumerate(data["sections"]):
        where = f"{path.name}[{i}]"
        bilingual = "heading_en" in s or "number_en" in s
        want = {"number", "heading", "path", "parent"} | ({"heading_en", "number_en"} if bilingual else set())
        if set(s) != want:
            problems.append(f"{where}: keys {sorted(s)}")
            continue
        if s["path"] in seen:
            problems.append(f"{where}: duplicate path {s['path']}")
        if s["parent"] and s["parent"] not in seen:
            problems.append(f"{where}: parent {s['parent']!r} is not an earlier path")
        seen.add(s["path"])
        pairs = [(s["number_en"], s["heading_en"]), (s["number"], s["heading"])] if bilingual else \
                [(s["number"], s["heading"])]
        found = []
        for number, heading in pairs:
            for j in range(cursor, len(lines)):
                if heading_line(lines[j], number, heading):
                    found.append(j)
                    cursor = j + 1
                    break
            else:
                problems.append(f"{where}: heading {number!r} {heading!r} not found after line {cursor + 1}")
                break
        if len(found) != len(pairs):
            continue
        starts.append((found[0], s["path"]))
        if bilingual:
            second[s["path"]] = found[1]
    ranges = {p: (ln, starts[n + 1][0] if n + 1 < len(starts) else len(lines)) for n, (ln, p) in enumerate(starts)}
    for p, j in second.items():
        lo, hi = ranges[p]
        if not lo < j < hi:
            problems.append(f"{path.name}: the Chinese heading of {p!r} (line {j + 1}) lies outside its section")
        elif not any(lines[k].strip() for k in range(lo + 1, j)):
            problems.append(f"{path.name}: no English text between the two headings of {p!r}")
    return ranges


def verified_shipped_sections() -> set[tuple[str, str]]:
    out = set()
    for folder in VERIFIED_GOLD:
        for path in folder.glob("*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                rec = json.loads(line)
                evs = list(rec.get("evidence", []))
                for t in rec.get("turns", []):
                    evs += t.get("evidence", [])
                for ev in evs:
                    if ev["doc"][:1].isdigit():
                        out.add((ev["doc"], ev["section"]))
    return out


class Evidence:
    def __init__(self, docs, s_docs, ranges, verified):
        self.docs, self.s_docs, self.ranges, self.verified = docs, s_docs, ranges, verified
        self.everything = {**s_docs, **docs}
        self.joined = {doc_id: key("\n".join(d["lines"])) for doc_id, d in self.everything.items()}

    def check(self, tag: str, ev: dict) -> tuple[str | None, int | None, bool]:
        """Problems go to `problems`; returns (body, year, shipped?)."""
        if set(ev) != {"doc", "section", "text"}:
            problems.append(f"{tag}: evidence keys {sorted(ev)}")
        doc_id, section, text = ev.get("doc"), ev.get("section"), ev.get("text", "")
        if not 10 <= len(text) <= 40:
            problems.append(f"{tag}: {len(text)} characters: {text!r}")
        if doc_id not in self.everything:
            problems.append(f"{tag}: unknown document {doc_id}")
            return None, None, False
        doc = self.everything[doc_id]
        on = [j for j, ln in enumerate(doc["lines"]) if text in ln]
        if not on:
            problems.append(f"{tag}: not on one line of {doc_id}: {text!r}")
        elif len(on) > 1:
            problems.append(f"{tag}: on {len(on)} lines of {doc_id}: {text!r}")
        hits = sum(t.count(key(text)) for t in self.joined.values())
        if hits != 1:
            problems.append(f"{tag}: occurs {hits} times in shipped + unseen12: {text!r}")
        shipped = doc_id in self.s_docs
        if not shipped:
            if section in NO_EVIDENCE_SECTIONS:
                problems.append(f"{tag}: evidence taken from {section!r}")
            if section not in self.ranges[doc_id]:
                problems.append(f"{tag}: section {section!r} is not a path of outline/{doc_id}.json")
            elif on:
                lo, hi = self.ranges[doc_id][section]
                if not any(lo < j < hi for j in on):
                    problems.append(f"{tag}: text not inside section {section!r} (lines {lo + 2}-{hi})")
        elif (doc_id, section) not in self.verified:
            problems.append(f"{tag}: shipped section {doc_id} {section!r} is not one used by earlier unseen gold")
        return doc["body"], doc["year"], shipped

    def keyword_in(self, word: str, doc_ids: set[str]) -> bool:
        w = key(word).casefold()
        return any(w in self.joined[d].casefold() for d in doc_ids if d in self.joined)


def check_questions(ev_checker: Evidence, known: set[str]) -> Counter:
    counts: Counter = Counter()
    ids: list[str] = []
    halves = {"dev": GOLD / "dev.jsonl", "test": GOLD / "test.jsonl"}
    for half, path in halves.items():
        if not path.is_file():
            problems.append(f"missing {path}")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            q = json.loads(line)
            where = f"{path.name}:{n} ({q.get('id')})"
            allowed = {"id", "lang", "type", "question", "evidence", "bodies", "answer_keywords", "scope",
                       "group", "asks"}
            if not set(q) <= allowed:
                problems.append(f"{where}: unexpected keys {sorted(set(q) - allowed)}")
            m = re.fullmatch(r"u12_(\d{3})", q.get("id", ""))
            if not m or q["id"] in ids:
                problems.append(f"{where}: bad or duplicate id")
            elif (int(m.group(1)) % 2 == 1) != (half == "dev"):
                problems.append(f"{where}: odd ids belong in dev.jsonl, even ids in test.jsonl")
            ids.append(q["id"])
            if q["lang"] not in LANGS or q["type"] not in TYPES or q.get("scope") not in SCOPES:
                problems.append(f"{where}: bad lang, type or scope")
            if q.get("group") not in (None, *GROUPS):
                problems.append(f"{where}: group must be one of {GROUPS}")
            if q.get("asks") not in (None, "which_bodies") or (q.get("asks") and q["type"] != "unanswerable"):
                problems.append(f"{where}: asks must be 'which_bodies', on unanswerable questions only")
            counts[("type", q["type"])] += 1
            counts[("lang", q["lang"])] += 1
            counts[("scope", q.get("scope"))] += 1
            counts[("lang×type", q["lang"], q["type"])] += 1
            counts[("half×type", half, q["type"])] += 1
            counts[("half×lang", half, q["lang"])] += 1
            if q.get("asks"):
                counts[("asks", q["lang"])] += 1
                counts[("half×asks", half)] += 1
            if q.get("group"):
                counts[("group", q["group"])] += 1
            if (q["type"] == "unanswerable") != (not q["evidence"]):
                problems.append(f"{where}: unanswerable exactly when evidence is empty")
            if q["type"] == "unanswerable" and (q["bodies"] or q["answer_keywords"]):
                problems.append(f"{where}: unanswerable with bodies or keywords")
            if q["type"] == "unanswerable" and q.get("scope") != "unseen12":
                problems.append(f"{where}: unanswerable questions have scope unseen12")
            if q["type"] != "unanswerable" and not q["answer_keywords"]:
                problems.append(f"{where}: no answer_keywords")
            ev_bodies, any_shipped = set(), False
            for k, ev in enumerate(q["evidence"], 1):
                body, _, shipped = ev_checker.check(f"{where} evidence {k}", ev)
                any_shipped |= shipped
                if body:
                    ev_bodies.add(body)
            if q["evidence"]:
                if ev_bodies != set(q["bodies"]) or len(q["bodies"]) != len(set(q["bodies"])):
                    problems.append(f"{where}: bodies {q['bodies']} != evidence bodies {sorted(ev_bodies)}")
                if (q.get("scope") == "unseen12+shipped") != any_shipped:
                    problems.append(f"{where}: scope unseen12+shipped exactly when shipped evidence is cited")
                ev_docs = {ev.get("doc") for ev in q["evidence"]}
                for word in q["answer_keywords"]:
                    if not ev_checker.keyword_in(word, ev_docs):
                        problems.append(f"{where}: keyword {word!r} is in none of its evidence documents")
            for b in q["bodies"]:
                if b not in known:
                    problems.append(f"{where}: unknown body {b}")
    if sorted(ids) != [f"u12_{i:03d}" for i in range(1, 61)]:
        problems.append("ids are not exactly u12_001 … u12_060")
    for lang in LANGS:
        for t, want in PER_LANG.items():
            if counts[("lang×type", lang, t)] != want:
                problems.append(f"{lang}: {counts[('lang×type', lang, t)]} {t}, expected {want}")
        if counts[("asks", lang)] != ASKS_PER_LANG:
            problems.append(f"{lang}: {counts[('asks', lang)]} unanswerable which-bodies questions, "
                            f"expected {ASKS_PER_LANG}")
    for half in ("dev", "test"):
        for t in TYPES:
            if not counts[("half×type", half, t)]:
                problems.append(f"{half} half has no {t} question")
        for lang in LANGS:
            if not counts[("half×lang", half, lang)]:
                problems.append(f"{half} half has no {lang} question")
        if not counts[("half×asks", half)]:
            problems.append(f"{half} half has no unanswerable which-bodies question")
    return counts


def check_followups(ev_checker: Evidence, known: set[str]) -> int:
    n_conv = 0
    files = {"followups.jsonl": range(1, 7), "followups_test.jsonl": range(7, 13)}
    for name, want in files.items():
        path = GOLD / name
        if not path.is_file():
            problems.append(f"missing {path}")
            continue
        got = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            c = json.loads(line)
            n_conv += 1
            where = f"{name}:{n} ({c.get('id')})"
            got.append(c.get("id"))
            if set(c) != {"id", "retarget", "turns"}:
                problems.append(f"{where}: keys {sorted(c)}")
            turns = c.get("turns", [])
            if len(turns) != 2:
                problems.append(f"{where}: {len(turns)} turns, expected 2")
                continue
            seen = []
            for k, t in enumerate(turns, 1):
                tag = f"{where} turn {k}"
                if set(t) != {"question", "lang", "bodies", "years", "evidence", "answer_keywords"}:
                    problems.append(f"{tag}: keys {sorted(t)}")
                if t.get("lang") not in LANGS:
                    problems.append(f"{tag}: bad lang")
                if not t.get("evidence"):
                    problems.append(f"{tag}: no evidence")
                bodies, years = set(), set()
                for e, ev in enumerate(t.get("evidence", []), 1):
                    body, year, _ = ev_checker.check(f"{tag} evidence {e}", ev)
                    bodies.add(body)
                    years.add(year)
                if bodies != set(t.get("bodies", [])):
                    problems.append(f"{tag}: bodies {t.get('bodies')} != evidence bodies {sorted(map(str, bodies))}")
                if years != set(t.get("years", [])):
                    problems.append(f"{tag}: years {t.get('years')} != evidence years {sorted(map(str, years))}")
                for b in t.get("bodies", []):
                    if b not in known:
                        problems.append(f"{tag}: unknown body {b}")
                seen.append((set(t.get("bodies", [])), set(t.get("years", [])), t.get("lang")))
            changed = [name_ for name_, i in (("body", 0), ("year", 1), ("language", 2)) if seen[0][i] != seen[1][i]]
            if c.get("retarget") != "+".join(changed):
                problems.append(f"{where}: retarget {c.get('retarget')!r}, but what changes is {'+'.join(changed)!r}")
        if got != [f"u12f{i:03d}" for i in want]:
            problems.append(f"{name}: ids {got}, expected u12f{want[0]:03d}…u12f{want[-1]:03d}")
    return n_conv


def main() -> int:
    bodies, docs = catalog(CORPUS)
    s_bodies, s_docs = catalog(SHIPPED)
    check_documents(bodies, docs, s_docs)
    convention = json.loads(CONVENTION_FROM.read_text(encoding="utf-8"))["convention"]
    ranges = {doc_id: outline(d, convention) for doc_id, d in docs.items()}
    ev_checker = Evidence(docs, s_docs, ranges, verified_shipped_sections())
    known = set(bodies) | set(s_bodies)
    counts = check_questions(ev_checker, known)
    n_conv = check_followups(ev_checker, known)
    total = sum(counts[("lang", lang)] for lang in LANGS)
    print(f"{total} questions")
    print("  by type:  " + ", ".join(f"{t} {counts[('type', t)]}" for t in TYPES))
    print("  by lang:  " + ", ".join(
        f"{lang} {counts[('lang', lang)]} ({counts[('lang', lang)] - counts[('lang×type', lang, 'unanswerable')]}"
        f" answerable, {counts[('asks', lang)]} unanswerable which-bodies)" for lang in LANGS))
    print("  by scope: " + ", ".join(f"{s} {counts[('scope', s)]}" for s in SCOPES))
    print("  groups:   " + ", ".join(f"{g} {counts[('group', g)]}" for g in GROUPS))
    print("  halves:   " + ", ".join(
        f"{h} {sum(counts[('half×lang', h, lang)] for lang in LANGS)}" for h in ("dev", "test")))
    print(f"follow-ups: {n_conv} conversations")
    print("documents: " + ", ".join(f"{d} {docs[d]['size'][0]} words / {docs[d]['size'][1]} Han" for d in docs))
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
