"""Shared validator of the hand-written DEV sets eval/unseen11, unseen12, unseen13 (documents, hand outlines, gold
questions, follow-ups). Standard library only; it runs nothing from rag/, cli/ or ui/.

Each set has a thin script, eval/<set>/check.py, that fills in a `SetConfig` and calls `main(config)`:

    python3 eval/unseen13/check.py        # prints counts, then "ok"; exits 1 and lists the problems otherwise

A set is eval/<name>/corpus (catalog.toml and the documents), eval/<name>/outline/<doc_id>.json and
eval/gold/<name>/{dev,test,followups,followups_test}.jsonl. The checker also reads the shipped corpus/ (for
uniqueness and for the shipped evidence of "<name>+shipped" questions), every other eval/*/corpus/catalog.toml (to
keep the bodies' names new) and the earlier gold sets listed in `verified_gold` (the only places shipped
(document, section) pairs may be taken from).

Checks (switches and limits are the config's fields)
  * catalog: bodies and documents well formed; files present and named <prefix>0n_<16 hex>.txt (with
    `hashed_ids`, the hex is the first 16 hex digits of the file's SHA-256); body codes and names not those of
    the shipped catalog or of any other eval/*/corpus/catalog.toml, and the distinctive invented word of each name
    (`distinct`) in no other catalog's body names nor in the shipped documents (without `distinct`, the
    capitalised words of the English name are compared with other English names, the older rule); with
    `names_own_body`, each document names its own body (English or Chinese name) in its text; document sizes
    (`sizes` per document prefix, or `default_size` for the larger of the two measures).
  * outlines: one per document; the `convention` string identical to that of `convention_from`; paths unique;
    every parent an earlier path; every heading found on a line of its own, in document order, after its number
    ('Part A – ', 'Chapter 2 — ', 'A1. ', '一、', '（一）', '1. ' ...; a Markdown '#' prefix and a line wholly in
    '**' bold are markup, not print). A bilingual section (`heading_en`/`number_en`) is laid out as `bilingual`
    says for its document: "english_first" (default) starts at its English heading line, and its Chinese heading
    must follow, with English text between, before the next section starts; "chinese_first" starts at its Chinese
    heading line, Chinese text follows, then its English heading and English text, before the next section starts
    (every section bilingual); "two_halves" means the whole Chinese
    text comes first and the whole English translation after a divider line: every Chinese heading is found in
    order before the divider, every English heading in order after it, and the section is both stretches.
  * gold: ids <id_prefix>_001…, unique, odd ids in dev.jsonl and even ids in test.jsonl; lang/type valid; scope
    "<name>" or "<name>+shipped"; unanswerable exactly when evidence is empty (then bodies and answer_keywords are
    empty and the scope is "<name>"); `asks` only "which_bodies" and only on unanswerable questions; `group` only
    "colloquial" or "mixed"; evidence text `evidence_len` characters long, on ONE line of its document, occurring
    once (NFKC, whitespace removed, and `*` too with `strip_stars`, as rag.text.normalize.match_key does) across the
    shipped and the set's documents together; for the set's documents the section is an outline path and the text
    lies inside that section (and never in `no_evidence_sections`); for shipped documents the (document, section)
    pair is one an earlier gold set in `verified_gold` already cites; shipped evidence exactly on "<name>+shipped"
    questions; bodies equal the bodies of the evidence documents; answer keywords (`keywords`): "document" = each
    occurs (normalised, case-folded) in one of the question's evidence documents, "evidence" = in one of its
    evidence texts.
  * counts: `n_questions` questions, the same number per language; per language the counts of `per_lang` and
    `asks_per_lang` unanswerable which-bodies questions; every type, language and an unanswerable which-bodies
    question in both halves; at least `min_grouped` questions with a `group`.
  * follow-ups: the ids of `followup_files` (<id_prefix>f001 …); two turns each; every turn's bodies equal its
    evidence bodies and its years equal the evidence documents' years; evidence and keywords as above; `retarget`
    names exactly what changes between the turns (body, year, language, joined by '+').

A set of Word documents reads them with `Docx` (zipfile + xml.etree): the lines a reader sees, Word's automatic
numbering labels rendered from word/numbering.xml.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
import tomllib
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "zh-Hant", "zh-Hans")
TYPES = ("fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable")
GROUPS = ("colloquial", "mixed")
QUESTION_KEYS = {"id", "lang", "type", "question", "evidence", "bodies", "answer_keywords", "scope", "group", "asks"}
TURN_KEYS = {"question", "lang", "bodies", "years", "evidence", "answer_keywords"}
# Words of English body names too common to count as a name's invented word (the rule without `distinct`).
COMMON_NAME_WORDS = {"Hong", "Kong", "Institute", "Chamber", "Council", "General", "Trust", "Trades", "Service",
                     "Livelihood", "Practitioners", "Education", "Training", "Providers"}


@dataclass(frozen=True)
class SetConfig:
    """What differs between the sets. Paths default to the repository's layout (eval/<name>, eval/gold/<name>)."""

    name: str                                   # "unseen13"
    id_prefix: str                              # "u13": questions u13_001 …, follow-ups u13f001 …
    doc_prefix: str                             # "c": documents c01_<16 hex> …
    per_lang: dict[str, int]                    # questions of each type in each language
    asks_per_lang: int                          # unanswerable questions asked as "which bodies …", per language
    verified_gold: tuple[str, ...]              # earlier gold sets (under eval/gold) whose shipped pairs may be cited
    convention_from: str                        # outline file, relative to eval/, whose convention string is copied
    n_questions: int = 60
    followup_files: dict[str, tuple[int, int]] = field(
        default_factory=lambda: {"followups.jsonl": (1, 6), "followups_test.jsonl": (7, 12)})
    sizes: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)  # "b03": (("han", lo, hi), …)
    default_size: tuple[int, int] | None = None  # for documents not in `sizes`: the larger of words and Han
    distinct: dict[str, tuple[str, ...]] | None = None  # body code → its invented word(s), every spelling used
    hashed_ids: bool = True
    names_own_body: bool = True
    strip_stars: bool = True
    keywords: str = "document"                  # "none" | "document" | "evidence"
    check_followup_keys: bool = True
    no_evidence_sections: frozenset[str] = frozenset()
    # document prefix ("c03") → "english_first" | "chinese_first" | "two_halves"
    bilingual: dict[str, str] = field(default_factory=dict)
    dividers: dict[str, str] = field(default_factory=dict)   # document prefix → the line that opens the English half
    evidence_len: tuple[int, int] = (10, 40)
    min_grouped: int = 0
    extensions: dict[str, str] = field(default_factory=dict)  # document prefix → file extension, when not all .txt
    root: Path = ROOT
    set_dir: Path | None = None                 # default root/eval/<name>
    gold_dir: Path | None = None                # default root/eval/gold/<name>

    @property
    def folder(self) -> Path:
        return self.set_dir or self.root / "eval" / self.name

    @property
    def gold(self) -> Path:
        return self.gold_dir or self.root / "eval" / "gold" / self.name

    @property
    def scopes(self) -> tuple[str, str]:
        return self.name, f"{self.name}+shipped"


# ---- Word documents: the lines a reader sees -------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _chinese(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def format_number(n: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "bullet":
        return ""
    if fmt == "none":
        return ""
    raise ValueError(f"numFmt {fmt!r} not supported by this checker")


def _val(el, tag: str) -> str | None:
    found = el.find(W + tag) if el is not None else None
    return found.get(W + "val") if found is not None else None


class Docx:
    """The reader's lines of a .docx: body paragraphs and table-cell paragraphs, with Word's numbering labels."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            self.document = ET.fromstring(z.read("word/document.xml"))
            self.styles = ET.fromstring(z.read("word/styles.xml"))
            self.numbering = ET.fromstring(z.read("word/numbering.xml")) if "word/numbering.xml" in names else None
            self.parts = {n: z.read(n).decode("utf-8") for n in names
                          if re.fullmatch(r"word/(header|footer)\d*\.xml", n)}
        self.header_footer = {n: "".join(t.text or "" for t in ET.fromstring(x).iter(W + "t"))
                              for n, x in self.parts.items()}
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, str] = {}
        if self.numbering is not None:
            for a in self.numbering.findall(W + "abstractNum"):
                levels = {}
                for lvl in a.findall(W + "lvl"):
                    levels[int(lvl.get(W + "ilvl"))] = (int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                                                        _val(lvl, "lvlText") or "")
                self.abstract[a.get(W + "abstractNumId")] = levels
            for n in self.numbering.findall(W + "num"):
                self.nums[n.get(W + "numId")] = _val(n, "abstractNumId")
        self.style_numpr: dict[str, tuple[str | None, str | None]] = {}
        self.style_names: dict[str, str] = {}
        self.based_on: dict[str, str] = {}
        for s in self.styles.findall(W + "style"):
            sid = s.get(W + "styleId")
            self.style_names[sid] = _val(s, "name") or sid
            if _val(s, "basedOn"):
                self.based_on[sid] = _val(s, "basedOn")
            numpr = s.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                self.style_numpr[sid] = (_val(numpr, "numId"), _val(numpr, "ilvl"))
        self.counters: dict[str, dict[int, int]] = {}
        self.numbered: list[tuple[str, str]] = []  # (label, text) of every numbered paragraph
        self.paragraphs: list[tuple[str, bool, str]] = []  # (style id, has its own w:numPr, text) of body paragraphs
        self.lines = self._lines()

    def _numpr(self, p) -> tuple[str | None, int]:
        ppr = p.find(W + "pPr")
        style = _val(ppr, "pStyle") or "Normal"
        num_id = ilvl = None
        own = ppr.find(W + "numPr") if ppr is not None else None
        if own is not None:
            num_id, ilvl = _val(own, "numId"), _val(own, "ilvl")
        seen = set()
        while style and style not in seen and (num_id is None or ilvl is None):
            seen.add(style)
            s_num, s_ilvl = self.style_numpr.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            style = self.based_on.get(style)
        if num_id in (None, "0"):
            return None, 0
        return num_id, int(ilvl or 0)

    def _label(self, p) -> str:
        num_id, ilvl = self._numpr(p)
        if num_id is None:
            return ""
        abstract_id = self.nums.get(num_id)
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        start = levels[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][2]
        for k in range(ilvl + 1):
            start_k, fmt_k, _ = levels.get(k, (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", format_number(counters.get(k, start_k), fmt_k))
        return text

    @staticmethod
    def _text(p) -> str:
        out = []
        for el in p.iter():
            if el.tag == W + "t":
                out.append(el.text or "")
            elif el.tag == W + "tab":
                out.append("\t")
        return "".join(out)

    def _lines(self) -> list[str]:
        lines = []
        body = self.document.find(W + "body")
        for child in body:
            if child.tag == W + "p":
                label, text = self._label(child), self._text(child)
                ppr = child.find(W + "pPr")
                self.paragraphs.append((_val(ppr, "pStyle") or "Normal",
                                        ppr is not None and ppr.find(W + "numPr") is not None, text))
                if label:
                    self.numbered.append((label, text))
                lines.append(f"{label} {text}" if label else text)
            elif child.tag == W + "tbl":
                for row in child.iter(W + "tr"):
                    for cell in row.findall(W + "tc"):
                        for p in cell.iter(W + "p"):
                            lines.append(self._text(p))
        return lines


def unnumbered(doc: Docx) -> list[str]:
    """A Word document's lines with Word's automatic labels set aside: its text as typed."""
    out: list[str] = []
    numbered = iter(doc.numbered)
    pending = next(numbered, None)
    for line in doc.lines:
        if pending and line == f"{pending[0]} {pending[1]}":
            out.append(pending[1])
            pending = next(numbered, None)
        else:
            out.append(line)
    return out


def first_difference(have: list[str], want: list[str]) -> int | None:
    """The index of the first line where two texts differ (the shorter one's length when one goes on), or None."""
    if have == want:
        return None
    return next((i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b), min(len(have), len(want)))


def replace(config: SetConfig, **changes) -> SetConfig:
    return dataclasses.replace(config, **changes)


class SetChecker:
    def __init__(self, config: SetConfig) -> None:
        self.cfg = config
        self.problems: list[str] = []

    # ---- text ----------------------------------------------------------------------------------------------

    def key(self, text: str) -> str:
        """NFKC, whitespace (and markdown `*`) removed: the rule of rag.text.normalize.match_key, restated."""
        pattern = r"[\s*]+" if self.cfg.strip_stars else r"\s+"
        return re.sub(pattern, "", unicodedata.normalize("NFKC", text))

    # ---- catalog and documents -----------------------------------------------------------------------------

    def document_lines(self, doc_id: str, path: Path, raw: bytes) -> list[str]:
        """A document's lines as a reader sees them: a text file's, decoded (a set of other formats reads its own;
        ValueError when it cannot be read)."""
        return raw.decode("utf-8").splitlines()

    def catalog(self, folder: Path, read: bool = True) -> tuple[dict, dict[str, dict]]:
        data = tomllib.loads((folder / "catalog.toml").read_text(encoding="utf-8"))
        docs = {}
        for d in data.get("documents", []):
            for k in ("id", "file", "body", "title_zh", "title_en", "year", "date", "kind"):
                if k not in d:
                    self.problems.append(f"{folder}/catalog.toml: document {d.get('id')} lacks {k}")
            if d.get("body") not in data.get("bodies", {}):
                self.problems.append(f"{folder}/catalog.toml: {d.get('id')} names unknown body {d.get('body')}")
            if not read:
                continue
            path = folder / d["file"]
            if not path.is_file():
                self.problems.append(f"missing file {path}")
                continue
            raw = path.read_bytes()
            d["sha"] = hashlib.sha256(raw).hexdigest()
            d["path"] = path
            try:
                d["lines"] = self.document_lines(d["id"], path, raw)
            except ValueError as exc:
                self.problems.append(f"{d['id']}: cannot read {path.name}: {exc}")
                continue
            docs[d["id"]] = d
        for code, b in data.get("bodies", {}).items():
            for k in ("name_zh", "name_en", "short_zh", "short_en"):
                if k not in b:
                    self.problems.append(f"{folder}/catalog.toml: body {code} lacks {k}")
        return data.get("bodies", {}), docs

    def other_catalogs(self) -> list[Path]:
        mine = {self.cfg.folder.resolve(), (self.cfg.root / "eval" / self.cfg.name).resolve()}
        others = [p for p in sorted((self.cfg.root / "eval").glob("*/corpus/catalog.toml"))
                  if p.parent.parent.resolve() not in mine]
        return [*others, self.cfg.root / "corpus" / "catalog.toml"]

    def check_documents(self, bodies: dict, docs: dict[str, dict], s_docs: dict[str, dict]) -> None:
        """The catalog's documents. A set of other formats (`extensions`) names each file <id><extension>; the rest
        (hash, sizes, names) is checked as of a text file, on the lines its checker's `document_lines` reads."""
        if not self.cfg.extensions:
            self._check_documents(bodies, docs, s_docs)
            return
        for doc_id, d in docs.items():
            ext = self.cfg.extensions.get(doc_id[:3])
            if d["file"] != f"{doc_id}{ext}":
                self.problems.append(f"{doc_id}: file {d['file']!r}, expected {doc_id}{ext}")
        view = {doc_id: {**d, "file": f"{doc_id}.txt"} for doc_id, d in docs.items()}
        self._check_documents(bodies, view, s_docs)
        for doc_id in docs:
            docs[doc_id]["size"] = view[doc_id].get("size", (0, 0))

    def _check_documents(self, bodies: dict, docs: dict[str, dict], s_docs: dict[str, dict]) -> None:
        cfg = self.cfg
        if cfg.distinct is not None and set(bodies) != set(cfg.distinct):
            self.problems.append(f"bodies {sorted(bodies)} differ from the expected {sorted(cfg.distinct)}")
        for path in self.other_catalogs():
            o_bodies, _ = self.catalog(path.parent, read=False)
            for code, b in o_bodies.items():
                if code in bodies:
                    self.problems.append(f"body code {code} is also used in {path}")
                names = " ".join([b.get("name_en", ""), b.get("name_zh", ""), *b.get("short_zh", []),
                                  *b.get("short_en", [])])
                for mine_code, mine in bodies.items():
                    if b.get("name_en") == mine["name_en"] or b.get("name_zh") == mine["name_zh"]:
                        self.problems.append(f"body {mine_code}'s name is also used in {path}")
                    if cfg.distinct is not None:
                        words, where = cfg.distinct.get(mine_code, ()), names
                    else:  # the older rule: capitalised words of the English name against other English names
                        words = set(re.findall(r"[A-Z][a-z]{4,}", mine["name_en"])) - COMMON_NAME_WORDS
                        where = b.get("name_en", "")
                    for word in words:
                        if word in where:
                            self.problems.append(f"{word!r} of {mine_code} also appears in a body name in {path}")
        if cfg.distinct is not None:
            shipped_text = "".join(self.key("\n".join(d["lines"])) for d in s_docs.values())
            for code, words in cfg.distinct.items():
                for word in words:
                    if word in shipped_text:
                        self.problems.append(f"{word!r} of {code} occurs in a shipped document")
        pattern = re.compile(rf"{re.escape(cfg.doc_prefix)}0\d_[0-9a-f]{{16}}")
        for doc_id, d in docs.items():
            if not pattern.fullmatch(doc_id) or d["file"] != f"{doc_id}.txt":
                self.problems.append(f"{doc_id}: id or file name not {cfg.doc_prefix}0n_<16 hex>.txt")
            elif cfg.hashed_ids and doc_id[4:] != d["sha"][:16]:
                self.problems.append(
                    f"{doc_id}: hex is not the first 16 hex digits of the file's SHA-256 ({d['sha'][:16]})")
            text = "\n".join(d["lines"])
            han = len(re.findall(r"[\u4e00-\u9fff]", text))
            words = len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’$,.%-]*", text))
            d["size"] = (words, han)
            if doc_id[:3] in cfg.sizes:
                for measure, lo, hi in cfg.sizes[doc_id[:3]]:
                    n = han if measure == "han" else words
                    if not lo <= n <= hi:
                        what = "Han characters" if measure == "han" else "words"
                        self.problems.append(f"{doc_id}: {n} {what}, not {lo:,}-{hi:,}")
            elif cfg.default_size:
                lo, hi = cfg.default_size
                size = han if han > words else words
                if not lo <= size <= hi:
                    what = "Han characters" if han > words else "words"
                    self.problems.append(f"{doc_id}: {size} {what}, not {lo:,}-{hi:,}")
            if cfg.names_own_body:
                b = bodies.get(d["body"], {})
                flat = self.key(text)
                if self.key(b.get("name_en", "?")) not in flat and self.key(b.get("name_zh", "?")) not in flat:
                    self.problems.append(f"{doc_id}: does not name its own body ({d['body']}) in its text")

    # ---- outlines ------------------------------------------------------------------------------------------

    @staticmethod
    def heading_line(line: str, number: str, heading: str) -> bool:
        """Is `line` the heading `number` `heading` on a line of its own? Markdown markup ('## ', '**…**') is not
        print, so it is set aside first."""
        s = line.strip(" \u3000\f")
        s = re.sub(r"^#{1,6}\s+", "", s)
        if len(s) > 4 and s.startswith("**") and s.endswith("**"):
            s = s[2:-2].strip(" \u3000")
        if not s.endswith(heading):
            return False
        prefix = s[: len(s) - len(heading)].rstrip(" \u3000")
        if prefix.endswith(("–", "—", "-")):
            prefix = prefix[:-1].rstrip()
        elif prefix.endswith((".", "、", ":")):
            prefix = prefix[:-1]
        return prefix == number

    def find(self, lines: list[str], start: int, stop: int, number: str, heading: str) -> int | None:
        for j in range(start, stop):
            if self.heading_line(lines[j], number, heading):
                return j
        return None

    def outline(self, doc: dict, convention: str) -> dict[str, list[tuple[int, int]]]:
        """path → the stretches of lines the section covers, each (heading line, first line after it)."""
        path = self.cfg.folder / "outline" / f"{doc['id']}.json"
        if not path.is_file():
            self.problems.append(f"missing outline {path}")
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("convention") != convention:
            self.problems.append(f"{path.name}: convention differs from eval/{self.cfg.convention_from}")
        layout = self.cfg.bilingual.get(doc["id"][:3], "english_first")
        sections = []
        seen: set[str] = set()
        for i, s in enumerate(data["sections"]):
            where = f"{path.name}[{i}]"
            bilingual = "heading_en" in s or "number_en" in s
            want = {"number", "heading", "path", "parent"} | ({"heading_en", "number_en"} if bilingual else set())
            if set(s) != want:
                self.problems.append(f"{where}: keys {sorted(s)}")
                continue
            if s["path"] in seen:
                self.problems.append(f"{where}: duplicate path {s['path']}")
            if s["parent"] and s["parent"] not in seen:
                self.problems.append(f"{where}: parent {s['parent']!r} is not an earlier path")
            seen.add(s["path"])
            if layout == "two_halves" and not bilingual:
                self.problems.append(f"{where}: every section of a two-halves document needs heading_en/number_en")
                continue
            sections.append((where, s, bilingual))
        if layout == "two_halves":
            return self._two_halves(doc, path.name, sections)
        return self._in_order(doc, path.name, sections)

    def _in_order(self, doc: dict, name: str, sections: list) -> dict[str, list[tuple[int, int]]]:
        lines = doc["lines"]
        chinese_first = self.cfg.bilingual.get(doc["id"][:3]) == "chinese_first"
        first, second_language = ("Chinese", "English") if chinese_first else ("English", "Chinese")
        starts: list[tuple[int, str]] = []
        second: dict[str, int] = {}  # path -> line of the second heading (in `second_language`) of a bilingual section
        cursor = 0
        for where, s, bilingual in sections:
            if chinese_first and not bilingual:
                self.problems.append(f"{where}: every section of a bilingual document needs heading_en/number_en")
                continue
            chinese = (s["number"], s["heading"])
            english = (s["number_en"], s["heading_en"]) if bilingual else chinese
            pairs = ([chinese, english] if chinese_first else [english, chinese]) if bilingual else [chinese]
            found = []
            for number, heading in pairs:
                j = self.find(lines, cursor, len(lines), number, heading)
                if j is None:
                    self.problems.append(f"{where}: heading {number!r} {heading!r} not found after line {cursor + 1}")
                    break
                found.append(j)
                cursor = j + 1
            if len(found) != len(pairs):
                continue
            starts.append((found[0], s["path"]))
            if bilingual:
                second[s["path"]] = found[1]
        ranges = {p: [(ln, starts[n + 1][0] if n + 1 < len(starts) else len(lines))]
                  for n, (ln, p) in enumerate(starts)}

        def han(k: int) -> bool:
            return re.search(r"[\u4e00-\u9fff]", lines[k]) is not None

        for p, j in second.items():
            lo, hi = ranges[p][0]
            if not lo < j < hi:
                self.problems.append(f"{name}: the {second_language} heading of {p!r} (line {j + 1}) lies outside its "
                                     "section")
            elif not chinese_first and not any(lines[k].strip() for k in range(lo + 1, j)):
                self.problems.append(f"{name}: no {first} text between the two headings of {p!r}")
            elif chinese_first:
                if not any(han(k) for k in range(lo + 1, j)):
                    self.problems.append(f"{name}: no {first} text between the two headings of {p!r}")
                if not any(re.search(r"[A-Za-z]{3}", lines[k]) and not han(k) for k in range(j + 1, hi)):
                    self.problems.append(f"{name}: no {second_language} text after the {second_language} heading of "
                                         f"{p!r}")
        return ranges

    def _two_halves(self, doc: dict, name: str, sections: list) -> dict[str, list[tuple[int, int]]]:
        lines = doc["lines"]
        divider = self.cfg.dividers.get(doc["id"][:3], "")
        halves: list[list[tuple[int, str]]] = [[], []]
        cursor = 0
        for half, keys in enumerate((("number", "heading"), ("number_en", "heading_en"))):
            if half == 1:
                at = next((j for j in range(cursor, len(lines)) if divider and lines[j].strip() == divider), None)
                if at is None:
                    self.problems.append(f"{name}: divider {divider!r} not found after the last Chinese heading")
                    return {}
                halves[0].append((at, ""))  # the Chinese half ends at the divider
                cursor = at + 1
            for where, s, _ in sections:
                number, heading = s[keys[0]], s[keys[1]]
                j = self.find(lines, cursor, len(lines), number, heading)
                if j is None:
                    self.problems.append(f"{where}: heading {number!r} {heading!r} not found after line {cursor + 1}")
                    continue
                halves[half].append((j, s["path"]))
                cursor = j + 1
        halves[1].append((len(lines), ""))
        ranges: dict[str, list[tuple[int, int]]] = {}
        for marks in halves:
            for (ln, p), (nxt, _) in zip(marks, marks[1:], strict=False):
                if p:
                    ranges.setdefault(p, []).append((ln, nxt))
        for _, s, _ in sections:
            if s["path"] in ranges and len(ranges[s["path"]]) != 2:
                self.problems.append(f"{name}: section {s['path']!r} was not found in both halves")
        return ranges

    # ---- evidence ------------------------------------------------------------------------------------------

    def verified_shipped_sections(self) -> set[tuple[str, str]]:
        out = set()
        for name in self.cfg.verified_gold:
            for path in (self.cfg.root / "eval" / "gold" / name).glob("*.jsonl"):
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

    def prepare_evidence(self, docs, s_docs, ranges, verified) -> None:
        self.docs, self.s_docs, self.ranges, self.verified = docs, s_docs, ranges, verified
        self.everything = {**s_docs, **docs}
        self.joined = {doc_id: self.key("\n".join(d["lines"])) for doc_id, d in self.everything.items()}

    def check_evidence(self, tag: str, ev: dict) -> tuple[str | None, int | None, bool]:
        """Problems go to `problems`; returns (body, year, shipped?)."""
        if set(ev) != {"doc", "section", "text"}:
            self.problems.append(f"{tag}: evidence keys {sorted(ev)}")
        doc_id, section, text = ev.get("doc"), ev.get("section"), ev.get("text", "")
        lo_len, hi_len = self.cfg.evidence_len
        if not lo_len <= len(text) <= hi_len:
            self.problems.append(f"{tag}: {len(text)} characters: {text!r}")
        if doc_id not in self.everything:
            self.problems.append(f"{tag}: unknown document {doc_id}")
            return None, None, False
        doc = self.everything[doc_id]
        on = [j for j, ln in enumerate(doc["lines"]) if text in ln]
        if not on:
            self.problems.append(f"{tag}: not on one line of {doc_id}: {text!r}")
        elif len(on) > 1:
            self.problems.append(f"{tag}: on {len(on)} lines of {doc_id}: {text!r}")
        hits = sum(t.count(self.key(text)) for t in self.joined.values())
        if hits != 1:
            self.problems.append(f"{tag}: occurs {hits} times in shipped + {self.cfg.name}: {text!r}")
        shipped = doc_id in self.s_docs
        if not shipped:
            if section in self.cfg.no_evidence_sections:
                self.problems.append(f"{tag}: evidence taken from {section!r}")
            if section not in self.ranges.get(doc_id, {}):
                self.problems.append(f"{tag}: section {section!r} is not a path of outline/{doc_id}.json")
            elif on:
                stretches = self.ranges[doc_id][section]
                if not any(lo < j < hi for lo, hi in stretches for j in on):
                    where = ", ".join(f"lines {lo + 2}-{hi}" for lo, hi in stretches)
                    self.problems.append(f"{tag}: text not inside section {section!r} ({where})")
        elif (doc_id, section) not in self.verified:
            self.problems.append(f"{tag}: shipped section {doc_id} {section!r} is not one used by "
                                 f"{'/'.join(self.cfg.verified_gold)} gold")
        return doc["body"], doc["year"], shipped

    def check_keywords(self, where: str, words: list[str], evidence: list[dict]) -> None:
        if self.cfg.keywords == "none" or not evidence:
            return
        if self.cfg.keywords == "evidence":
            places, what = [self.key(ev.get("text", "")).casefold() for ev in evidence], "evidence texts"
        else:
            places = [self.joined[d].casefold() for d in {ev.get("doc") for ev in evidence} if d in self.joined]
            what = "evidence documents"
        for word in words:
            w = self.key(word).casefold()
            if not any(w in p for p in places):
                self.problems.append(f"{where}: keyword {word!r} is in none of its {what}")

    # ---- questions -----------------------------------------------------------------------------------------

    def check_questions(self, known: set[str]) -> Counter:
        cfg = self.cfg
        counts: Counter = Counter()
        ids: list[str] = []
        for half in ("dev", "test"):
            path = cfg.gold / f"{half}.jsonl"
            if not path.is_file():
                self.problems.append(f"missing {path}")
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                q = json.loads(line)
                where = f"{path.name}:{n} ({q.get('id')})"
                if not set(q) <= QUESTION_KEYS:
                    self.problems.append(f"{where}: unexpected keys {sorted(set(q) - QUESTION_KEYS)}")
                m = re.fullmatch(rf"{cfg.id_prefix}_(\d{{3}})", q.get("id", ""))
                if not m or q["id"] in ids:
                    self.problems.append(f"{where}: bad or duplicate id")
                elif (int(m.group(1)) % 2 == 1) != (half == "dev"):
                    self.problems.append(f"{where}: odd ids belong in dev.jsonl, even ids in test.jsonl")
                ids.append(q.get("id"))
                if q.get("lang") not in LANGS or q.get("type") not in TYPES or q.get("scope") not in cfg.scopes:
                    self.problems.append(f"{where}: bad lang, type or scope")
                    if q.get("lang") not in LANGS or q.get("type") not in TYPES:
                        continue
                if not str(q.get("question", "")).strip():
                    self.problems.append(f"{where}: empty question")
                if q.get("group") not in (None, *GROUPS):
                    self.problems.append(f"{where}: group must be one of {GROUPS}")
                if q.get("asks") not in (None, "which_bodies") or (q.get("asks") and q["type"] != "unanswerable"):
                    self.problems.append(f"{where}: asks must be 'which_bodies', on unanswerable questions only")
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
                    self.problems.append(f"{where}: unanswerable exactly when evidence is empty")
                if q["type"] == "unanswerable" and (q["bodies"] or q["answer_keywords"]):
                    self.problems.append(f"{where}: unanswerable with bodies or keywords")
                if q["type"] == "unanswerable" and q.get("scope") != cfg.name:
                    self.problems.append(f"{where}: unanswerable questions have scope {cfg.name}")
                if q["type"] != "unanswerable" and not q["answer_keywords"]:
                    self.problems.append(f"{where}: no answer_keywords")
                ev_bodies, any_shipped = set(), False
                for k, ev in enumerate(q["evidence"], 1):
                    body, _, shipped = self.check_evidence(f"{where} evidence {k}", ev)
                    any_shipped |= shipped
                    if body:
                        ev_bodies.add(body)
                if q["evidence"]:
                    if ev_bodies != set(q["bodies"]) or len(q["bodies"]) != len(set(q["bodies"])):
                        self.problems.append(f"{where}: bodies {q['bodies']} != evidence bodies {sorted(ev_bodies)}")
                    if (q.get("scope") == f"{cfg.name}+shipped") != any_shipped:
                        self.problems.append(
                            f"{where}: scope {cfg.name}+shipped exactly when shipped evidence is cited")
                    self.check_keywords(where, q["answer_keywords"], q["evidence"])
                for b in q["bodies"]:
                    if b not in known:
                        self.problems.append(f"{where}: unknown body {b}")
        if sorted(ids, key=str) != [f"{cfg.id_prefix}_{i:03d}" for i in range(1, cfg.n_questions + 1)]:
            self.problems.append(f"ids are not exactly {cfg.id_prefix}_001 … {cfg.id_prefix}_{cfg.n_questions:03d}")
        per_lang_total = sum(cfg.per_lang.values())
        for lang in LANGS:
            if counts[("lang", lang)] != per_lang_total:
                self.problems.append(f"{lang}: {counts[('lang', lang)]} questions, expected {per_lang_total}")
            for t, want in cfg.per_lang.items():
                if counts[("lang×type", lang, t)] != want:
                    self.problems.append(f"{lang}: {counts[('lang×type', lang, t)]} {t}, expected {want}")
            if counts[("asks", lang)] != cfg.asks_per_lang:
                self.problems.append(f"{lang}: {counts[('asks', lang)]} unanswerable which-bodies questions, "
                                     f"expected {cfg.asks_per_lang}")
        for half in ("dev", "test"):
            for t in TYPES:
                if cfg.per_lang.get(t) and not counts[("half×type", half, t)]:
                    self.problems.append(f"{half} half has no {t} question")
            for lang in LANGS:
                if not counts[("half×lang", half, lang)]:
                    self.problems.append(f"{half} half has no {lang} question")
            if cfg.asks_per_lang and not counts[("half×asks", half)]:
                self.problems.append(f"{half} half has no unanswerable which-bodies question")
        grouped = sum(counts[("group", g)] for g in GROUPS)
        if grouped < cfg.min_grouped:
            self.problems.append(f"{grouped} questions carry a group, expected at least {cfg.min_grouped}")
        return counts

    # ---- follow-ups ----------------------------------------------------------------------------------------

    def check_followups(self, known: set[str]) -> int:
        cfg = self.cfg
        n_conv = 0
        for name, (first, last) in cfg.followup_files.items():
            want = [f"{cfg.id_prefix}f{i:03d}" for i in range(first, last + 1)]
            path = cfg.gold / name
            if not path.is_file():
                self.problems.append(f"missing {path}")
                continue
            got = []
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                c = json.loads(line)
                n_conv += 1
                where = f"{name}:{n} ({c.get('id')})"
                got.append(c.get("id"))
                if cfg.check_followup_keys and set(c) != {"id", "retarget", "turns"}:
                    self.problems.append(f"{where}: keys {sorted(c)}")
                turns = c.get("turns", [])
                if len(turns) != 2:
                    self.problems.append(f"{where}: {len(turns)} turns, expected 2")
                    continue
                seen = []
                for k, t in enumerate(turns, 1):
                    tag = f"{where} turn {k}"
                    if set(t) != TURN_KEYS:
                        self.problems.append(f"{tag}: keys {sorted(t)}")
                    if t.get("lang") not in LANGS:
                        self.problems.append(f"{tag}: bad lang")
                    if not t.get("evidence"):
                        self.problems.append(f"{tag}: no evidence")
                    bodies, years = set(), set()
                    for e, ev in enumerate(t.get("evidence", []), 1):
                        body, year, _ = self.check_evidence(f"{tag} evidence {e}", ev)
                        bodies.add(body)
                        years.add(year)
                    if bodies != set(t.get("bodies", [])):
                        self.problems.append(
                            f"{tag}: bodies {t.get('bodies')} != evidence bodies {sorted(map(str, bodies))}")
                    if years != set(t.get("years", [])):
                        self.problems.append(
                            f"{tag}: years {t.get('years')} != evidence years {sorted(map(str, years))}")
                    for b in t.get("bodies", []):
                        if b not in known:
                            self.problems.append(f"{tag}: unknown body {b}")
                    self.check_keywords(tag, t.get("answer_keywords", []), t.get("evidence", []))
                    seen.append((set(t.get("bodies", [])), set(t.get("years", [])), t.get("lang")))
                changed = [label for label, i in (("body", 0), ("year", 1), ("language", 2))
                           if seen[0][i] != seen[1][i]]
                if c.get("retarget") != "+".join(changed):
                    self.problems.append(
                        f"{where}: retarget {c.get('retarget')!r}, but what changes is {'+'.join(changed)!r}")
            if got != want:
                self.problems.append(f"{name}: ids {got}, expected {want[0]}…{want[-1]}")
        return n_conv

    # ---- the whole set -------------------------------------------------------------------------------------

    def run(self, out=sys.stdout) -> int:
        cfg = self.cfg
        bodies, docs = self.catalog(cfg.folder / "corpus")
        s_bodies, s_docs = self.catalog(cfg.root / "corpus")
        self.check_documents(bodies, docs, s_docs)
        convention = json.loads((cfg.root / "eval" / cfg.convention_from).read_text(encoding="utf-8"))["convention"]
        ranges = {doc_id: self.outline(d, convention) for doc_id, d in docs.items()}
        self.prepare_evidence(docs, s_docs, ranges, self.verified_shipped_sections())
        known = set(bodies) | set(s_bodies)
        counts = self.check_questions(known)
        n_conv = self.check_followups(known)
        total = sum(counts[("lang", lang)] for lang in LANGS)
        p = lambda s="": print(s, file=out)  # noqa: E731
        p(f"{total} questions")
        p("  by type:  " + ", ".join(f"{t} {counts[('type', t)]}" for t in TYPES))
        p("  by lang:  " + ", ".join(
            f"{lang} {counts[('lang', lang)]} ({counts[('lang', lang)] - counts[('lang×type', lang, 'unanswerable')]}"
            f" answerable, {counts[('asks', lang)]} unanswerable which-bodies)" for lang in LANGS))
        p("  by scope: " + ", ".join(f"{s} {counts[('scope', s)]}" for s in cfg.scopes))
        p("  groups:   " + ", ".join(f"{g} {counts[('group', g)]}" for g in GROUPS))
        p("  halves:   " + ", ".join(
            f"{h} {sum(counts[('half×lang', h, lang)] for lang in LANGS)}" for h in ("dev", "test")))
        p(f"follow-ups: {n_conv} conversations")
        p("documents: " + ", ".join(f"{d} {docs[d]['size'][0]} words / {docs[d]['size'][1]} Han" for d in docs))
        p("outlines: " + ", ".join(f"{d} {len(r)} sections" for d, r in ranges.items()))
        if self.problems:
            p(f"\n{len(self.problems)} problem(s):")
            for problem in self.problems:
                p("  " + problem)
            return 1
        p("ok")
        return 0


def check(config: SetConfig, checker_type: type[SetChecker] = SetChecker) -> list[str]:
    """The problems found in a set (empty when it is valid), without printing the summary; `checker_type`: a
    set's own subclass where it checks more (eval/unseen14)."""
    checker = checker_type(config)

    class _Null:
        def write(self, _s: str) -> None:
            pass

    checker.run(out=_Null())
    return checker.problems


def main(config: SetConfig) -> int:
    return SetChecker(config).run()
