"""Validate the unseen15 DEV set (two plain-text documents and a Word document, hand outlines, gold questions,
follow-ups). Standard library only.

    python3 eval/unseen15/check.py

The checks are eval/set_check.py's (see its docstring); this script says what is particular to unseen15 and
supplies what set_check assumes of a .txt document for the Word file: the lines of text a reader sees.
It reads eval/unseen15/corpus, eval/unseen15/source (the audit copy of each document's text), eval/unseen15/outline,
eval/gold/unseen15/{dev,test}.jsonl, eval/gold/unseen15/{followups,followups_test}.jsonl, the shipped corpus/ (for
uniqueness and for the shipped evidence of the "unseen15+shipped" questions), the other eval/*/corpus/catalog.toml
(to keep the bodies' names new) and eval/gold/unseen5, unseen6, unseen8, unseen10, unseen11, unseen12, unseen13 and
unseen14 (the only places the shipped section paths used here may be taken from). It runs nothing from rag/, cli/
or ui/, and does not need the project's venv.

Particular to unseen15
  * documents named e0n_<16 hex>.txt (e01, e02) or .docx (e03), the hex being the first 16 hex digits of the file's
    SHA-256; the distinctive invented word of each name (Thistlegate/薊庭/蓟庭, Tongxi/桐汐, Laurelwick/桂渚) in no
    other catalog and in no shipped document; each document names its own body; sizes 900-1,400 English words
    (e01) and 900-1,400 Han characters (e02, e03).
  * e01 and e02 are byte for byte source/e01.txt and source/e02.txt. e01 (English, wrapped at 78 columns) numbers
    its paragraphs continuously, 1. to 24., through all its Parts, and every footnote marker [n] in its text has a
    footnote [n] after the footnote rule (a line of underscores) and the other way round. e02 (Simplified Chinese)
    has its table 表一 as five plain-text rows, columns set apart by runs of spaces.
  * the text of the .docx is read with zipfile + xml.etree from word/document.xml: one line per paragraph (w:p) of
    the body and per paragraph of each table cell, in document order; header and footer parts are not read. A
    paragraph numbered by Word (w:numPr on the paragraph, or inherited from its style through w:basedOn) gets the
    label Word displays, rendered from word/numbering.xml, followed by one space; numId 0 switches numbering off.
  * e03 has to be laid out as the README says: its headings are Heading 1 / 2 / 3 paragraphs whose numbers are
    typed (壹、 一、 （一）; only 前言 and 結語 are unnumbered), no heading style or heading paragraph carries w:numPr;
    exactly one automatic list (three paragraphs numbered 1. 2. 3. by Word, with no number typed in their text); a
    page header part with text and a footer part with a PAGE field; and its text, numbering labels set aside,
    equals the audit copy source/e03.txt (markup removed).
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
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import set_check  # noqa: E402  (eval/set_check.py, loaded without importing the eval package)

W = set_check.W
Docx = set_check.Docx

CONFIG = set_check.SetConfig(
    extensions={"e01": ".txt", "e02": ".txt", "e03": ".docx"},
    name="unseen15",
    id_prefix="u15",
    doc_prefix="e",
    per_lang={"fact": 2, "numeric": 2, "why": 1, "list": 1, "which_bodies": 3, "compare": 1, "unanswerable": 10},
    asks_per_lang=4,
    verified_gold=("unseen5", "unseen6", "unseen8", "unseen10", "unseen11", "unseen12", "unseen13", "unseen14"),
    convention_from="unseen14/outline/d01_eb46237494808800.json",
    sizes={"e01": (("words", 900, 1400),), "e02": (("han", 900, 1400),), "e03": (("han", 900, 1400),)},
    distinct={"TIQB": ("Thistlegate", "薊庭", "蓟庭"), "TXCE": ("Tongxi", "桐汐"), "LFTR": ("Laurelwick", "桂渚")},
    keywords="evidence",
    min_grouped=6,
)


def source_lines(path: Path) -> list[str]:
    """The audit copy of the .docx (source/e03.txt), markup removed: the text of each body paragraph."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#!") or re.match(r"@(header|footer) ", line):
            continue
        out.append(re.sub(r"^(@title |@sub |H1 |H2 |H3 |LI )", "", line))
    return out


# ---- the checker --------------------------------------------------------------------------------------------

TYPED_HEADING = re.compile(r"([壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\S")
TYPED_NUMBER = re.compile(r"\s*([0-9]+[.、)]|[（(][0-9一二三四五六七八九十a-z]+[）)]"
                          r"|[一二三四五六七八九十壹貳參肆]+、)")


class Unseen15Checker(set_check.SetChecker):
    def document_lines(self, doc_id: str, path: Path, raw: bytes) -> list[str]:
        source = self.cfg.folder / "source"
        if path.parent.resolve() != (self.cfg.folder / "corpus").resolve():
            return super().document_lines(doc_id, path, raw)  # the shipped corpus: text files
        if path.suffix == ".docx":
            try:
                doc = Docx(path)
            except (zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
                raise ValueError(str(exc)) from exc
            self.check_docx(doc_id, doc, source / f"{doc_id[:3]}.txt")
            return doc.lines
        lines = super().document_lines(doc_id, path, raw)
        audit = source / f"{doc_id[:3]}.txt"
        if not audit.is_file() or audit.read_bytes() != raw:
            self.problems.append(f"{doc_id}: not byte for byte source/{audit.name}")
        if doc_id.startswith("e01"):
            self.check_e01(doc_id, lines)
        elif doc_id.startswith("e02"):
            self.check_e02(doc_id, lines)
        return lines

    def check_e01(self, doc_id: str, lines: list[str]) -> None:
        numbers = [int(m.group(1)) for ln in lines if (m := re.match(r"(\d+)\.\s+\S", ln))]
        if numbers != list(range(1, 25)):
            self.problems.append(f"{doc_id}: paragraph numbers {numbers}, expected 1 … 24 without a break")
        rule = next((j for j, ln in enumerate(lines) if re.fullmatch(r"_{10,}", ln.strip())), None)
        if rule is None:
            self.problems.append(f"{doc_id}: no footnote rule")
            return
        markers = {m for ln in lines[:rule] for m in re.findall(r"\[(\d+)\]", ln)}
        notes = {m.group(1) for ln in lines[rule + 1:] if (m := re.match(r"\[(\d+)\] ", ln))}
        if not markers or markers != notes:
            self.problems.append(f"{doc_id}: footnote markers {sorted(markers)} but footnotes {sorted(notes)}")

    def check_e02(self, doc_id: str, lines: list[str]) -> None:
        at = next((j for j, ln in enumerate(lines) if ln.startswith("表一")), None)
        rows = lines[at + 1: at + 6] if at is not None else []
        if len(rows) != 5 or not all(len(re.split(r" {2,}", r.strip())) == 4 for r in rows):
            self.problems.append(f"{doc_id}: table 表一 is not five plain-text rows of four columns")

    def check_docx(self, doc_id: str, doc: Docx, source: Path) -> None:
        if not any(k.startswith("word/header") and v.strip() for k, v in doc.header_footer.items()):
            self.problems.append(f"{doc_id}: no page header with text")
        if not any(k.startswith("word/footer") and "PAGE" in x for k, x in doc.parts.items()):
            self.problems.append(f"{doc_id}: no footer with a PAGE field")
        for style in ("Heading1", "Heading2", "Heading3"):
            if style in doc.style_numpr:
                self.problems.append(f"{doc_id}: style {style} carries w:numPr (heading numbers are typed here)")
        for style, own_numpr, text in doc.paragraphs:
            if style in ("Heading1", "Heading2", "Heading3"):
                if own_numpr:
                    self.problems.append(f"{doc_id}: heading {text!r} carries w:numPr")
                if text not in ("前言", "結語") and not TYPED_HEADING.match(text):
                    self.problems.append(f"{doc_id}: heading {text!r} has no typed number")
        if [label for label, _ in doc.numbered] != ["1.", "2.", "3."]:
            self.problems.append(f"{doc_id}: automatic labels {[lb for lb, _ in doc.numbered]}, expected 1. 2. 3.")
        for label, text in doc.numbered:
            if TYPED_NUMBER.match(text):
                self.problems.append(f"{doc_id}: numbered paragraph {label!r} also has a typed number: {text[:30]!r}")
        if not source.is_file():
            self.problems.append(f"{doc_id}: no audit copy {source}")
            return
        first = set_check.first_difference(set_check.unnumbered(doc), source_lines(source))
        if first is not None:
            self.problems.append(f"{doc_id}: text differs from {source.name} at paragraph {first + 1}")


def check(config: set_check.SetConfig = CONFIG) -> list[str]:
    return set_check.check(config, Unseen15Checker)


if __name__ == "__main__":
    sys.exit(Unseen15Checker(CONFIG).run())
