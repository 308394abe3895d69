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

W = set_check.W
Docx = set_check.Docx

CONFIG = set_check.SetConfig(
    extensions={"d01": ".docx", "d02": ".docx", "d03": ".pdf"},
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
        first = set_check.first_difference(set_check.unnumbered(doc), source_lines(source))
        if first is not None:
            self.problems.append(f"{doc_id}: text differs from {source.name} at paragraph {first + 1}")


def check(config: set_check.SetConfig = CONFIG) -> list[str]:
    return set_check.check(config, Unseen14Checker)


if __name__ == "__main__":
    sys.exit(Unseen14Checker(CONFIG).run())
