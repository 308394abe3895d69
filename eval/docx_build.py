"""Pieces shared by the eval sets' build scripts that lay out hand-written text as Word files (python-docx + lxml):
Word's automatic lists and their numbering on a paragraph or a style, page fields in a header or footer, a zip
rewritten with fixed timestamps so a file rebuilds byte for byte, each file named by its hash, and the script's main
(rebuild, or --check against the corpus). Loaded by eval/<set>/build.py without importing the eval package (as
eval/set_check.py is)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{W_NS}}}{tag}"


def add_numbering(document, levels: list[tuple[str, str, str | None, int, int]], nsid_prefix: str) -> int:
    """Append one multi-level list (abstractNum + num) to word/numbering.xml and return its numId. `levels`: per
    level (numFmt, lvlText, the style it numbers or None, indent left, hanging); `nsid_prefix`: four hex digits that
    keep the list's nsid apart from other sets' lists."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"))) for n in numbering.findall(w("num"))]
    abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
    lvls = []
    for ilvl, (fmt, text, style, left, hanging) in enumerate(levels):
        pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>')
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{nsid_prefix}{abstract_id:04X}"/><w:multiLevelType w:val="multilevel"/>'
        + "".join(lvls) + "</w:abstractNum>")
    num = parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    existing = numbering.findall(w("abstractNum"))
    if existing:
        existing[-1].addnext(abstract)
    else:
        numbering.insert(0, abstract)
    numbering.append(num)
    return num_id


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


def named_by_hash(tmp: Path, folder: Path, name: str, ext: str) -> Path:
    """The built file `tmp` moved to <name>_<first 16 hex digits of its SHA-256>.<ext> in `folder`."""
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:16]
    final = folder / f"{name}_{digest}.{ext}"
    tmp.replace(final)
    return final


def main(description: str, build_all: Callable[[Path], dict[str, Path]], corpus: Path, names: list[str]) -> int:
    """A set's build script: rebuild its documents into `corpus` (the old files of those `names` removed), or with
    --check build them into a scratch folder and say whether each is the corpus's file, byte for byte (by name)."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="build into a scratch folder and compare names")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            built = build_all(Path(tmp))
            same = True
            for name, path in built.items():
                mine = sorted(corpus.glob(f"{name}_*{path.suffix}"))
                ok = [p.name for p in mine] == [path.name]
                same &= ok
                print(f"{path.name}: {'same as the corpus' if ok else 'DIFFERS from ' + str([p.name for p in mine])}")
            return 0 if same else 1
    for name in names:
        for old in corpus.glob(f"{name}_*.*"):
            old.unlink()
    built = build_all(corpus)
    for path in built.values():
        print(path.relative_to(corpus.parent.parent.parent))
    return 0
