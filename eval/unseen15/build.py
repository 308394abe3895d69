"""Rebuild the three unseen15 documents from eval/unseen15/source/ into eval/unseen15/corpus/.

    .venv/bin/python eval/unseen15/build.py            # writes e01_<hex>.txt, e02_<hex>.txt, e03_<hex>.docx
    .venv/bin/python eval/unseen15/build.py --check    # builds into a scratch folder and compares with the corpus

The two plain-text documents are copied byte for byte (source/e01.txt, source/e02.txt are the documents; e01's
line wrapping was laid out by hand-run script when it was written and is part of the text). The Word document is
built from source/e03.txt with python-docx and lxml (the project's venv). Each file name is e0n_ plus the first
16 hex digits of the SHA-256 of the built file; the catalog (corpus/catalog.toml), the outlines and the gold name
the files, so a rebuild that changes bytes must be followed by renaming there too (the script prints the names).

Sources (hand-written):
  source/e01.txt  English submission, Thistlegate Institute (TIQB), plain text, wrapped at 78 columns
  source/e02.txt  Simplified Chinese submission, Tongxi Association (TXCE), plain text, one paragraph a line
  source/e03.txt  Traditional Chinese submission, Laurelwick Federation (LFTR), one paragraph a line in a small
                  markup (see the '#!' lines at its top)

How e03 is laid out (see README "Layouts and traps"): the headings are Heading 1 / 2 / 3 paragraphs whose numbers
(壹、 一、 （一）) are TYPED in the text; no heading style carries w:numPr. One list is numbered by Word: the three
LI paragraphs are 'List Paragraph' paragraphs with their own w:numPr pointing at a multi-level list added to
word/numbering.xml (level 0 decimal '%1.', level 1 '(%2)', level 2 lowerRoman '%3.'); Word shows them as 1. 2. 3.
The running header (header1.xml) and the footer with a PAGE field (footer1.xml) are their own parts.

Determinism: the .docx core properties carry a fixed created/modified date and the zip members a fixed timestamp,
so the Word file rebuilds byte for byte with the same python-docx version.
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

# The automatic list of e03: (numFmt, lvlText, no style, indent left, hanging) per level; only level 0 is used.
LEVELS = [("decimal", "%1.", None, 840, 420), ("decimal", "(%2)", None, 1260, 420),
          ("lowerRoman", "%3.", None, 1680, 420)]
FIXED_DATE = dt.datetime(2026, 8, 28, 9, 0, 0)
DOCS = (("e01", "txt"), ("e02", "txt"), ("e03", "docx"))


# ---- the markup ---------------------------------------------------------------------------------------------

def parse_markup(path: Path) -> list[tuple[str, str]]:
    """(kind, text) for each source line: kind is header, footer, title, sub, H1, H2, H3, LI or p."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#!"):
            continue
        m = re.match(r"@(header|footer|title|sub) (.*)$", line) or re.match(r"(H1|H2|H3|LI) (.*)$", line)
        out.append((m.group(1), m.group(2)) if m else ("p", line))
    return out


# ---- Word ---------------------------------------------------------------------------------------------------


def build_docx(out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    items = parse_markup(SOURCE / "e03.txt")
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "PMingLiU"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "PMingLiU")
    for style_name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[style_name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "PMingLiU")
    num_id = add_numbering(document, LEVELS, "7B15")
    section = document.sections[0]
    for kind, text in items:
        if kind == "header":
            p = section.header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_field_text(p, text)
        elif kind == "footer":
            p = section.footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_field_text(p, text)
        elif kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "sub":
            document.add_paragraph(text, style="Subtitle")
        elif kind in ("H1", "H2", "H3"):
            document.add_paragraph(text, style=f"Heading {kind[1]}")
        elif kind == "LI":
            p = document.add_paragraph(text, style="List Paragraph")
            set_numpr(p._p.get_or_add_pPr(), num_id, 0)
        else:
            document.add_paragraph(text, style="Normal")

    props = document.core_properties
    props.author = "桂渚聯合會秘書處"
    props.last_modified_by = props.author
    props.title = "香港桂渚旅遊零售及文創產業聯合會對《2026年施政報告》的建議"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    deterministic_zip(buffer.getvalue(), out, FIXED_DATE)


# ---- main ---------------------------------------------------------------------------------------------------

def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    built = {}
    for name, ext in DOCS:
        tmp = folder / f"{name}.{ext}.tmp"
        if ext == "docx":
            build_docx(tmp)
        else:
            tmp.write_bytes((SOURCE / f"{name}.txt").read_bytes())
        built[name] = named_by_hash(tmp, folder, name, ext)
    return built


def main() -> int:
    return docx_main(__doc__, build_all, CORPUS, [name for name, _ in DOCS])


if __name__ == "__main__":
    sys.exit(main())
