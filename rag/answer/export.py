"""Briefing export: answers with their citations as Markdown (footnotes) or DOCX (numbered source lists).

An answer asked under filters (bodies, years, documents) says so under its question, so a pasted briefing does not
pass a filtered answer off as the whole corpus's.

Citation markers [n] are renumbered across the whole document, so several answers never clash: the
first source cited anywhere is 1, the next new one 2, and so on. Only sources an answer cites are listed.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.oxml.text.run import CT_R
from docx.text.paragraph import Paragraph

from rag.answer.citations import CITATION, citation, citation_line, marker_numbers
from rag.answer.quotes import shown
from rag.answer.scope import describe
from rag.corpus.catalog import Catalog
from rag.types import Answer, Language, Source

# The DOCX names one eastAsia font (OOXML has no fallback list): Microsoft JhengHei ships with Windows Office;
# elsewhere the reader substitutes its own CJK font (LibreOffice through fontconfig, e.g. Noto Sans CJK TC).
CJK_FONT = "Microsoft JhengHei"
_FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")
_FILTERED = {Language.EN: "Filtered to", Language.ZH_HANT: "篩選範圍", Language.ZH_HANS: "筛选范围"}


@dataclass(frozen=True)
class Note:
    """One numbered citation in the briefing."""

    number: int
    source: Source


def _number_answer(answer: Answer, first: int) -> tuple[str, list[Note]]:
    """The answer text with [n] turned into [^m] (m numbered from `first`), and its notes in order of use."""
    by_n = {s.n: s for s in answer.sources}
    numbers: dict[int, int] = {}
    notes: list[Note] = []

    def renumber(match: re.Match[str]) -> str:
        marks = []
        for n in marker_numbers(match):
            if n not in by_n:
                continue  # a marker naming no source is dropped rather than left dangling
            if n not in numbers:
                numbers[n] = first + len(notes)
                notes.append(Note(numbers[n], by_n[n]))
            marks.append(f"[^{numbers[n]}]")
        return "".join(marks)

    return CITATION.sub(renumber, answer.answer), notes


def filters_line(answer: Answer, catalog: Catalog | None) -> str:
    """The filters the answer was given, named for the briefing ("Filtered to: body FHKI; year 2023"), or ""."""
    if not answer.filters:
        return ""
    language = answer.language if answer.language in _FILTERED else Language.ZH_HANT
    colon = ": " if language == Language.EN else "："
    return f"{_FILTERED[language]}{colon}{describe(answer.filters, catalog, language)}"


def number_answers(answers: list[Answer]) -> list[tuple[Answer, str, list[Note]]]:
    """Each answer with its renumbered text and notes, numbers running on across answers."""
    numbered, first = [], 1
    for answer in answers:
        text, notes = _number_answer(answer, first)
        numbered.append((answer, text, notes))
        first += len(notes)
    return numbered


def to_markdown(answers: list[Answer], catalog: Catalog | None = None, title: str | None = None) -> str:
    """The briefing as Markdown: a heading per question, the answer with [^n] references, then its footnotes."""
    lines = [f"# {title}", ""] if title else []
    for answer, text, notes in number_answers(answers):
        lines += [f"## {answer.question.strip()}", ""]
        scope = filters_line(answer, catalog)
        if scope:
            lines += [f"*{scope}*", ""]
        lines += [text.strip(), ""]
        for note in notes:
            lines.append(f"[^{note.number}]: {citation_line(note.source, catalog)}")
        if notes:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(answers: list[Answer], path: str | Path, catalog: Catalog | None = None, title: str | None = None) -> Path:
    """The briefing as DOCX, written atomically. python-docx has no footnotes: markers are superscript numbers
    in the text and each answer ends with a numbered "Sources" list carrying the same numbers."""
    document = Document()
    set_cjk_font(document.styles["Normal"].element)
    if title:
        cjk_runs(document.add_heading(title, level=0))
    for answer, text, notes in number_answers(answers):
        cjk_runs(document.add_heading(answer.question.strip(), level=1))
        scope = filters_line(answer, catalog)
        if scope:
            paragraph = document.add_paragraph()
            paragraph.add_run(scope).italic = True
            cjk_runs(paragraph)
        for line in text.strip().splitlines():
            if line.strip():
                _add_text_line(document, line)
        if notes:
            cjk_runs(document.add_heading("Sources", level=2))
        for note in notes:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{note.number}. ").bold = True
            paragraph.add_run(f"{citation(note.source, catalog)}: ")  # citation_line, quote in italics
            paragraph.add_run(f"「{shown(note.source.quote.strip())}」").italic = True
            cjk_runs(paragraph)
    return save_atomic(document, path)


def save_atomic(document: DocxDocument, path: str | Path) -> Path:
    """Save the DOCX through a temporary file beside it, so a reader never sees half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        document.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _add_text_line(document: DocxDocument, line: str) -> None:
    """One Markdown line of answer text: bullets become list items, [^n] superscript numbers, ** is dropped."""
    stripped = line.strip()
    bullet = stripped.startswith(("- ", "* ", "• "))
    heading = re.match(r"#+\s+", stripped)
    if bullet:
        stripped = stripped[2:]
    elif heading:
        stripped = stripped[heading.end() :]
    paragraph = document.add_paragraph(style="List Bullet" if bullet else None)
    position = 0
    for match in _FOOTNOTE_MARK.finditer(stripped):
        paragraph.add_run(stripped[position : match.start()].replace("**", "")).bold = bool(heading) or None
        paragraph.add_run(match.group(1)).font.superscript = True
        position = match.end()
    paragraph.add_run(stripped[position:].replace("**", "")).bold = bool(heading) or None
    cjk_runs(paragraph)


def cjk_runs(paragraph: Paragraph) -> None:
    """Every run of the paragraph in the CJK font (see set_cjk_font)."""
    for run in paragraph.runs:
        set_cjk_font(run._element)


def set_cjk_font(element: CT_R | CT_Style) -> None:
    """Set w:rFonts/@w:eastAsia so Chinese renders in a CJK font; an eastAsia theme font would win, so it goes."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:hint"), "eastAsia")
