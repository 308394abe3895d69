"""Pieces shared by the eval sets' build scripts that lay out hand-written text as Word files (python-docx + lxml):
Word's automatic numbering set on a paragraph or a style, page fields in a header or footer, and a zip rewritten
with fixed timestamps so a file rebuilds byte for byte. Loaded by eval/<set>/build.py without importing the eval
package (as eval/set_check.py is)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{W_NS}}}{tag}"


def set_numpr(ppr, num_id: int, ilvl: int) -> None:
    """Number a paragraph's (or a style's) properties with list `num_id` at level `ilvl` (numId 0: switched off)."""
    from docx.oxml import parse_xml

    for old in ppr.findall(w("numPr")):
        ppr.remove(old)
    numpr = parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    # w:numPr comes after w:pStyle, keepNext, keepLines, pageBreakBefore, framePr, widowControl in CT_PPr
    anchor = None
    for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"):
        found = ppr.find(w(tag))
        if found is not None:
            anchor = found
    if anchor is not None:
        anchor.addnext(numpr)
    else:
        ppr.insert(0, numpr)


def add_field_text(paragraph, text: str) -> None:
    """Text with {PAGE} / {NUMPAGES} turned into simple fields."""
    from docx.oxml import parse_xml

    for part in re.split(r"(\{PAGE\}|\{NUMPAGES\})", text):
        if part in ("{PAGE}", "{NUMPAGES}"):
            paragraph._p.append(parse_xml(
                f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" {part[1:-1]} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        elif part:
            paragraph.add_run(part)


def deterministic_zip(blob: bytes, out: Path, when: dt.datetime) -> None:
    """Rewrite the zip with a fixed timestamp on every member (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
