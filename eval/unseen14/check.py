"""Validate the unseen14 DEV set (Word and PDF documents, hand outlines, gold questions, follow-ups). Standard
library only.

    python3 eval/unseen14/check.py

The checks are eval/set_check.py's (see its docstring); this script says what is particular to unseen14 and
supplies what set_check assumes of a .txt document: the lines of text a reader sees.
It reads eval/unseen14/corpus, eval/unseen14/source (the audit copy of each document's text, and d03's HTML),
eval/unseen14/outline, eval/gold/unseen14/{dev,test}.jsonl, eval/gold/unseen14/{followups,followups_test}.jsonl,
the shipped corpus/ (for uniqueness and for the shipped evidence of the "unseen14+shipped" questions), the other
eval/*/corpus/catalog.toml (to keep the bodies' names new) and eval/gold/unseen5, unseen6, unseen8, unseen10,
unseen11, unseen12 and unseen13 (the only places the shipped section paths used here were taken from). It runs
nothing from rag/, cli/ or ui/, and does not need the project's venv.

Particular to unseen14
  * documents named d0n_<16 hex>.docx (d01, d02) or .pdf (d03), the hex being the first 16 hex digits of the
    file's SHA-256; the distinctive invented word of each name (Marrowby/棠澗/棠涧, Cedarholm/檜灣/桧湾,
    Egretford/鷺汀/鹭汀) in no other catalog and in no shipped document; each document names its own body;
    sizes 1,000-1,500 English words (d01), 1,000-1,500 Han characters (d02), and for d03 900-1,300 Han characters
    and 600-1,000 English words.
  * the text of a .docx is read with zipfile + xml.etree from word/document.xml: one line per paragraph (w:p) of
    the body and per paragraph of each table cell, in document order; header and footer parts are not read.
    A paragraph numbered by Word (w:numPr on the paragraph, or inherited from its style through w:basedOn) gets
    the label Word displays, rendered from word/numbering.xml (w:abstractNum levels: w:start, w:numFmt, w:lvlText;
    counters restart below a higher level), followed by one space; numId 0 switches numbering off. So outline
    headings are matched as '2.1 Round-the-Clock …' and '一、推動…' / '（一）容許…', while evidence, which is
    copied without the number, is matched inside the line.
  * the .docx files also have to store their numbering as the README says: a multi-level list in
    word/numbering.xml, Heading 1/Heading 2 styles carrying w:numPr, no number typed at the start of an
    auto-numbered paragraph, a page header and footer part with text; and their text must equal the audit copy
    in source/d0n.txt (markup removed, typed numbers kept).
  * the text of the PDF is read from its committed HTML source (source/d03.html): one line per block element
    (div, p, h1-h6, li, td, th), whitespace collapsed; the PDF itself is checked to be a PDF of at least 3 pages.
  * d03 is bilingual section by section, Chinese first ("chinese_first"): each section's Chinese heading, then
    its Chinese text, then its English heading and English text, before the next section's Chinese heading.
  * every answer keyword occurs (NFKC, whitespace and `*` removed, case-folded) in one of the question's evidence
    texts, not merely in its evidence documents.
  * counts: per language fact 2, numeric 2, why 1, list 1, compare 1 (7 answerable), which_bodies 3 and 10
    unanswerable, 4 of them with asks "which_bodies"; at least 6 questions marked colloquial or mixed.
Prints counts; exits 1 on any problem.
"""

from __future__ import annotations

import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import set_check  # noqa: E402  (eval/set_check.py, loaded without importing the eval package)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXTENSIONS = {"d01": ".docx", "d02": ".docx", "d03": ".pdf"}

CONFIG = set_check.SetConfig(
    name="unseen14",
    id_prefix="u14",
    doc_prefix="d",
    per_lang={"fact": 2, "numeric": 2, "why": 1, "list": 1, "which_bodies": 3, "compare": 1, "unanswerable": 10},
    asks_per_lang=4,
    verified_gold=("unseen5", "unseen6", "unseen8", "unseen10", "unseen11", "unseen12", "unseen13"),
    convention_from="unseen13/outline/c01_c7f1c599de4c3da4.json",
    sizes={"d01": (("words", 1000, 1500),), "d02": (("han", 1000, 1500),),
           "d03": (("han", 900, 1300), ("words", 600, 1000))},
    distinct={"MCLE": ("Marrowby", "棠澗", "棠涧"), "CFEG": ("Cedarholm", "檜灣", "桧湾"),
              "EASG": ("Egretford", "鷺汀", "鹭汀")},
    keywords="evidence",
    bilingual={"d03": "chinese_first"},
    min_grouped=6,
)


# ---- Word numbering -----------------------------------------------------------------------------------------

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
            self.header_footer = {n: "".join(t.text or "" for t in ET.fromstring(z.read(n)).iter(W + "t"))
                                  for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n)}
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
        self.based_on: dict[str, str] = {}
        self.style_names: dict[str, str] = {}
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
                if label:
                    self.numbered.append((label, text))
                lines.append(f"{label} {text}" if label else text)
            elif child.tag == W + "tbl":
                for row in child.iter(W + "tr"):
                    for cell in row.findall(W + "tc"):
                        for p in cell.iter(W + "p"):
                            lines.append(self._text(p))
        return lines


# ---- HTML (the source of the PDF) ---------------------------------------------------------------------------

class BlockText(HTMLParser):
    BLOCKS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
    SKIP = {"style", "script", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.buffer)).strip()
        if text:
            self.lines.append(text)
        self.buffer = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS or tag == "br":
            self.flush()

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIP:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.buffer.append(data)


def html_lines(path: Path) -> list[str]:
    parser = BlockText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser.flush()
    return parser.lines


def source_lines(path: Path) -> list[str]:
    """The audit copy of a .docx (source/d0n.txt), markup removed: the text of each body and table-cell paragraph."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#!") or re.match(r"@(header|footer) ", line):
            continue
        if line.startswith("| "):
            out.extend(c.strip() for c in line[1:].split(" | "))
            continue
        out.append(re.sub(r"^(@title |@sub |H1- |H1 |H2 |LI )", "", line))
    return out


# ---- the checker --------------------------------------------------------------------------------------------

class Unseen14Checker(set_check.SetChecker):
    def document_lines(self, doc_id: str, path: Path, raw: bytes) -> list[str]:
        source = self.cfg.folder / "source"
        if path.suffix == ".docx":
            try:
                doc = Docx(path)
            except (zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
                raise ValueError(str(exc)) from exc
            self.check_docx(doc_id, doc, source / f"{doc_id[:3]}.txt")
            return doc.lines
        if path.suffix == ".pdf":
            if not raw.startswith(b"%PDF-"):
                self.problems.append(f"{doc_id}: not a PDF")
            pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
            if pages < 3:
                self.problems.append(f"{doc_id}: {pages} pages, expected at least 3")
            html = source / f"{doc_id[:3]}.html"
            if not html.is_file():
                raise ValueError(f"no HTML source {html}")
            return html_lines(html)
        return super().document_lines(doc_id, path, raw)  # the shipped corpus and the other sets: text files

    def check_docx(self, doc_id: str, doc: Docx, source: Path) -> None:
        if doc.numbering is None or not any(len(levels) >= 3 for levels in doc.abstract.values()):
            self.problems.append(f"{doc_id}: no multi-level list in word/numbering.xml")
        for style in ("Heading1", "Heading2"):
            if style not in doc.style_numpr:
                self.problems.append(f"{doc_id}: style {style} carries no w:numPr")
        if not any(k.startswith("word/header") and v.strip() for k, v in doc.header_footer.items()) or \
                not any(k.startswith("word/footer") and v.strip() for k, v in doc.header_footer.items()):
            self.problems.append(f"{doc_id}: no page header or footer with text")
        if not doc.numbered:
            self.problems.append(f"{doc_id}: no automatically numbered paragraph")
        for label, text in doc.numbered:
            if re.match(r"\s*([0-9]+[.、)]|[（(][0-9一二三四五六七八九十a-z]+[）)]|[一二三四五六七八九十]+、)", text):
                self.problems.append(f"{doc_id}: numbered paragraph {label!r} also has a typed number: {text[:30]!r}")
        if not source.is_file():
            self.problems.append(f"{doc_id}: no audit copy {source}")
            return
        unnumbered = []  # the lines without the numbering labels, to compare with the audit copy
        numbered_iter = iter(doc.numbered)
        pending = next(numbered_iter, None)
        for line in doc.lines:
            if pending and line == f"{pending[0]} {pending[1]}":
                unnumbered.append(pending[1])
                pending = next(numbered_iter, None)
            else:
                unnumbered.append(line)
        want = source_lines(source)
        if unnumbered != want:
            pairs = zip(unnumbered, want, strict=False)
            first = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(want), len(unnumbered)))
            self.problems.append(f"{doc_id}: text differs from {source.name} at paragraph {first + 1}")

    def check_documents(self, bodies, docs, s_docs) -> None:
        for doc_id, d in docs.items():
            ext = EXTENSIONS.get(doc_id[:3])
            if d["file"] != f"{doc_id}{ext}":
                self.problems.append(f"{doc_id}: file {d['file']!r}, expected {doc_id}{ext}")
        # set_check names a document <id>.txt; the extension was checked above, the rest (hash, sizes, names) is its
        view = {doc_id: {**d, "file": f"{doc_id}.txt"} for doc_id, d in docs.items()}
        super().check_documents(bodies, view, s_docs)
        for doc_id in docs:
            docs[doc_id]["size"] = view[doc_id].get("size", (0, 0))


def check(config: set_check.SetConfig = CONFIG) -> list[str]:
    return set_check.check(config, Unseen14Checker)


if __name__ == "__main__":
    sys.exit(Unseen14Checker(CONFIG).run())
