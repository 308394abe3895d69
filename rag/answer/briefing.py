"""Briefing export: quotes pinned from answers, in the member's order with their notes, as Markdown or DOCX.

Each quote carries one footnote, and the footnote's text is the source's citation line
(`rag.answer.citations.citation_line`, what "copy citation" gives). Markdown writes footnotes as `[^n]`; the DOCX
has real Word footnotes: python-docx has no API for them, so this module adds the footnotes part (with the
separator footnotes Word expects), its relationship, the two footnote styles, and a `w:footnoteReference` run
after each quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from rag.answer.citations import citation_line
from rag.answer.export import cjk_runs, save_atomic, set_cjk_font
from rag.answer.quotes import shown
from rag.corpus.catalog import Catalog
from rag.types import Source

FOOTNOTE_TEXT_STYLE = "Footnote Text"  # Word's built-in names (style ids FootnoteText, FootnoteReference)
FOOTNOTE_REFERENCE_STYLE = "Footnote Reference"
_FOOTNOTES_PART = "/word/footnotes.xml"


@dataclass(frozen=True)
class BriefingItem:
    """One pinned quote: the source as its answer cited it, the question that found it, the member's note."""

    source: Source
    question: str
    note: str = ""


@dataclass(frozen=True)
class BriefingLabels:
    """The words the export adds around the member's items, in the interface's language (each lead-in with the
    language's own colon: "Note: ", "備註：")."""

    question: str = "Question: "
    note: str = "Note: "
    empty: str = "Nothing pinned yet."


def quote_text(source: Source) -> str:
    """The pinned quote as the briefing prints it: verbatim between 「」, "…" when it was cut short."""
    return f"「{shown(source.quote.strip())}」"


def to_markdown(items: Sequence[BriefingItem], catalog: Catalog | None = None, title: str = "Briefing",
                labels: BriefingLabels = BriefingLabels()) -> str:
    """The briefing as Markdown: each quote as a block quote with its [^n], the note and question under it, and
    the footnotes (citation lines) at the end."""
    lines = [f"# {title}", ""]
    if not items:
        lines += [labels.empty, ""]
    for number, item in enumerate(items, 1):
        lines += [f"> {quote_text(item.source)}[^{number}]".replace("\n", "\n> "), ""]
        if item.note.strip():
            lines += [f"**{labels.note.strip()}** {item.note.strip()}", ""]
        lines += [f"*{labels.question}{item.question.strip()}*", ""]
    for number, item in enumerate(items, 1):
        lines.append(f"[^{number}]: {citation_line(item.source, catalog)}")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(items: Sequence[BriefingItem], path: str | Path, catalog: Catalog | None = None,
            title: str = "Briefing", labels: BriefingLabels = BriefingLabels()) -> Path:
    """The briefing as DOCX with one Word footnote per quote, written atomically; returns the file."""
    document = Document()
    set_cjk_font(document.styles["Normal"].element)
    _add_footnote_styles(document)
    footnotes = _add_footnotes_part(document)
    cjk_runs(document.add_heading(title, level=0))
    if not items:
        cjk_runs(document.add_paragraph(labels.empty))
    for number, item in enumerate(items, 1):
        quote = document.add_paragraph(style="Quote")
        quote.add_run(quote_text(item.source))
        _reference_footnote(quote, number)
        cjk_runs(quote)
        if item.note.strip():
            note = document.add_paragraph()
            note.add_run(labels.note).bold = True
            note.add_run(item.note.strip())
            cjk_runs(note)
        asked = document.add_paragraph()
        asked.add_run(f"{labels.question}{item.question.strip()}").italic = True
        cjk_runs(asked)
        footnotes.append(_footnote(number, citation_line(item.source, catalog)))
    return save_atomic(document, path)


def _add_footnote_styles(document: DocxDocument) -> None:
    """Word's footnote styles (the default template lacks them): small text, a superscript reference mark."""
    text = document.styles.add_style(FOOTNOTE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = document.styles["Normal"]
    text.font.size = Pt(9)
    text.paragraph_format.space_after = Pt(0)
    reference = document.styles.add_style(FOOTNOTE_REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True


def _add_footnotes_part(document: DocxDocument) -> BaseOxmlElement:
    """Add word/footnotes.xml, related to the document, with the separator (-1) and continuation separator (0)
    footnotes Word expects first; returns its root element, to which the numbered footnotes are appended."""
    root = parse_xml(
        f"<w:footnotes {nsdecls('w', 'r')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    part = XmlPart(PackURI(_FOOTNOTES_PART), CONTENT_TYPE.WML_FOOTNOTES, root, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    return root


def _footnote(number: int, text: str) -> BaseOxmlElement:
    """Footnote `number`: its own reference mark, a space, then `text` (line breaks kept as w:br)."""
    footnote = parse_xml(
        f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r></w:p></w:footnote>'
    )
    paragraph = footnote.find(qn("w:p"))
    run = parse_xml(f"<w:r {nsdecls('w')}/>")
    for index, line in enumerate(f" {text}".split("\n")):
        if index:
            run.append(parse_xml(f"<w:br {nsdecls('w')}/>"))
        piece = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve"/>')
        piece.text = line
        run.append(piece)
    paragraph.append(run)
    set_cjk_font(run)
    return footnote


def _reference_footnote(paragraph: Paragraph, number: int) -> None:
    """A footnote reference mark for footnote `number` at the end of the paragraph."""
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'
    ))
