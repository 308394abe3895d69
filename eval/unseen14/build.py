"""Rebuild the three unseen14 documents from eval/unseen14/source/ into eval/unseen14/corpus/.

    .venv/bin/python eval/unseen14/build.py            # writes d01_<hex>.docx, d02_<hex>.docx, d03_<hex>.pdf
    .venv/bin/python eval/unseen14/build.py --check    # builds into a scratch folder and compares with the corpus

Needs python-docx and lxml (the project's venv) for the two Word files, and Playwright with Chromium
(/usr/bin/chromium) and the Noto CJK fonts for the PDF. The file names are d0n_ plus the first 16 hex digits of the
SHA-256 of the built file; the catalog (corpus/catalog.toml) and the outlines name the files, so a rebuild that
changes bytes must be followed by renaming there too (the script prints the names).

Sources (one paragraph a line, hand-written; see the '#!' comments at the top of d01.txt for the markup):
  source/d01.txt  English submission, Marrowby Chamber (MCLE)
  source/d02.txt  Traditional Chinese submission, Cedarholm Federation (CFEG)
  source/d03.html bilingual submission, Egretford Association (EASG), with d03_header.html and d03_footer.html

How the Word numbering is stored (see README "Layouts and traps"): one multi-level list (w:abstractNum + w:num in
word/numbering.xml). The built-in styles Heading 1 and Heading 2 carry w:numPr (the list's numId, ilvl 0 and 1) in
styles.xml, and the list's levels 0 and 1 name those styles (w:pStyle), as Word does for "linked" headings; body
paragraphs in Normal with their own w:numPr (ilvl 2) are the run-in list items; a Heading 1 paragraph with
w:numPr numId 0 is a heading with its numbering switched off. No number is typed in any numbered paragraph.

Determinism: the .docx core properties carry a fixed created/modified date and the zip members a fixed
timestamp, so the Word files rebuild byte for byte. The PDF's creation and modification dates and its document
ID are overwritten with fixed values of the same length after printing; whether Chromium's output is otherwise
stable depends on the Chromium and font versions (see README).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from docx_build import add_field_text, add_numbering, deterministic_zip, named_by_hash, set_numpr  # noqa: E402
from docx_build import main as docx_main  # noqa: E402

SOURCE = HERE / "source"
CORPUS = HERE / "corpus"
CHROMIUM = "/usr/bin/chromium"


# Numbering levels per document: (numFmt, lvlText, style linked to the level or None, indent left, hanging)
LEVELS = {
    "d01": [("decimal", "%1.", "Heading1", 432, 432),
            ("decimal", "%1.%2", "Heading2", 576, 576),
            ("lowerLetter", "(%3)", None, 720, 360)],
    "d02": [("chineseCounting", "%1、", "Heading1", 0, 0),
            ("chineseCounting", "（%2）", "Heading2", 0, 0),
            ("decimal", "%3.", None, 840, 420)],
}
FIXED_DATE = {"d01": dt.datetime(2026, 8, 14, 9, 0, 0), "d02": dt.datetime(2026, 12, 11, 9, 0, 0)}


# ---- the markup ---------------------------------------------------------------------------------------------

def parse_markup(path: Path) -> list[tuple[str, str]]:
    """(kind, text) for each source line: kind is header, footer, title, sub, H1, H1-, H2, LI, row or p."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#!"):
            continue
        m = re.match(r"@(header|footer|title|sub) (.*)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
            continue
        m = re.match(r"(H1-|H1|H2|LI) (.*)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
        elif line.startswith("| "):
            out.append(("row", line))
        else:
            out.append(("p", line))
    return out


def row_cells(line: str) -> list[str]:
    return [c.strip() for c in line[1:].split(" | ")]


# ---- Word ---------------------------------------------------------------------------------------------------


def build_docx(name: str, out: Path) -> None:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    items = parse_markup(SOURCE / f"{name}.txt")
    document = docx.Document()
    chinese = name == "d02"
    normal = document.styles["Normal"]
    normal.font.name = "Calibri" if not chinese else "PMingLiU"
    normal.font.size = Pt(11 if not chinese else 12)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), "PMingLiU")
    num_id = add_numbering(document, LEVELS[name], "5A3C")
    for ilvl, style_name in enumerate(("Heading 1", "Heading 2")):
        style = document.styles[style_name]
        set_numpr(style.element.get_or_add_pPr(), num_id, ilvl)
        if chinese:
            style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "PMingLiU")

    section = document.sections[0]
    rows: list[list[str]] = []

    def flush_table() -> None:
        if not rows:
            return
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                cell.text = text
                if r == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        rows.clear()

    for kind, text in items:
        if kind != "row":
            flush_table()
        if kind == "header":
            add_field_text(section.header.paragraphs[0], text)
        elif kind == "footer":
            add_field_text(section.footer.paragraphs[0], text)
        elif kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "sub":
            document.add_paragraph(text, style="Subtitle")
        elif kind == "H1":
            document.add_paragraph(text, style="Heading 1")
        elif kind == "H1-":
            p = document.add_paragraph(text, style="Heading 1")
            set_numpr(p._p.get_or_add_pPr(), 0, 0)  # numbering of the linked style switched off
        elif kind == "H2":
            document.add_paragraph(text, style="Heading 2")
        elif kind == "LI":
            p = document.add_paragraph(text, style="Normal")
            set_numpr(p._p.get_or_add_pPr(), num_id, 2)
        elif kind == "row":
            rows.append(row_cells(text))
        else:
            document.add_paragraph(text, style="Normal")
    flush_table()

    props = document.core_properties
    props.author = {"d01": "Marrowby Chamber Secretariat", "d02": "檜灣聯會秘書處"}[name]
    props.last_modified_by = props.author
    props.title = items[[k for k, _ in items].index("title")][1]
    props.created = props.modified = FIXED_DATE[name]
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    deterministic_zip(buffer.getvalue(), out, FIXED_DATE[name])


# ---- PDF ----------------------------------------------------------------------------------------------------

def build_pdf(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    header = (SOURCE / "d03_header.html").read_text(encoding="utf-8")
    footer = (SOURCE / "d03_footer.html").read_text(encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((SOURCE / "d03.html").as_uri())
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        blob = page.pdf(format="A4", display_header_footer=True, header_template=header, footer_template=footer,
                        prefer_css_page_size=True, print_background=False,
                        margin={"top": "28mm", "bottom": "24mm", "left": "22mm", "right": "22mm"})
        browser.close()
    out.write_bytes(fix_pdf(blob))


def fix_pdf(blob: bytes) -> bytes:
    """Fixed creation/modification dates and document ID, each replaced by a value of the same length, so the
    cross-reference offsets stay valid."""
    def date(m: re.Match) -> bytes:
        fixed = b"D:20260720090000"
        value = m.group(2)
        return m.group(1) + (fixed + b"+00'00'")[: len(value)].ljust(len(value), b"0") + b")"

    blob = re.sub(rb"(/(?:CreationDate|ModDate) ?\()([^)]*)\)", date, blob)
    blob = re.sub(rb"<([0-9A-Fa-f]{16,64})>", lambda m: b"<" + b"0" * len(m.group(1)) + b">"
                  if m.start() > len(blob) - 2000 else m.group(0), blob)
    return blob


# ---- main ---------------------------------------------------------------------------------------------------

def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    built = {}
    for name, ext in (("d01", "docx"), ("d02", "docx"), ("d03", "pdf")):
        tmp = folder / f"{name}.{ext}.tmp"
        if ext == "docx":
            build_docx(name, tmp)
        else:
            build_pdf(tmp)
        built[name] = named_by_hash(tmp, folder, name, ext)
    return built


def main() -> int:
    return docx_main(__doc__, build_all, CORPUS, ["d01", "d02", "d03"])


if __name__ == "__main__":
    sys.exit(main())
