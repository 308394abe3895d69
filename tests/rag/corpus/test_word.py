"""Word documents read as a reader sees them: automatic numbers drawn, tables in place, nothing of the body lost.

Each document is built here with python-docx and list definitions written as WordprocessingML, in our own words.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from rag.corpus.loader import read_text
from rag.corpus.sections import outline_path, parse_document
from rag.corpus.word import format_number

W = nsdecls("w")


def add_list(document: docx.Document, abstract_id: int, levels: list[tuple[str, str]], num_ids: tuple[int, ...],
             styles: dict[int, str] | None = None, overrides: dict[int, dict[int, int]] | None = None) -> None:
    """An abstract list (ids above the template's own, 1-9) with `levels` (numFmt, lvlText) and the numIds that use it (`overrides`: numId → {level:
    start}); `styles` links a level to a paragraph style, as Word's multilevel headings do."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        + (f'<w:pStyle w:val="{styles[k]}"/>' if styles and k in styles else "") + "</w:lvl>"
        for k, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'))
    for num_id in num_ids:
        starts = (overrides or {}).get(num_id, {})
        extra = "".join(f'<w:lvlOverride w:ilvl="{k}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                        for k, v in starts.items())
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                                   f"{extra}</w:num>"))
    for style_id in (styles or {}).values():
        style = document.styles.element.get_by_id(style_id)
        style.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}><w:numId w:val="{num_ids[0]}"/></w:numPr>'))


def numbered(document: docx.Document, text: str, num_id: int, level: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def saved(document: docx.Document, tmp_path: Path, name: str = "paper.docx") -> str:
    path = tmp_path / name
    document.save(str(path))
    return read_text(path)


def english_paper() -> docx.Document:
    document = docx.Document()
    add_list(document, 107, [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")], (107,),
             styles={0: "Heading1", 1: "Heading2"})
    document.add_paragraph("Submission of the Larkfield Traders' Guild", style="Title")
    document.add_heading("Our Members", 1)
    document.add_paragraph("The Guild speaks for 300 wholesalers.")
    document.add_heading("Trade Finance", 1)
    document.add_heading("Export Credit", 2)
    document.add_paragraph("We propose a premium discount for small exporters.")
    numbered(document, "a grace period of six months for new policies;", 107, 2)
    numbered(document, "quotations within one working day.", 107, 2)
    document.add_heading("Payment Terms", 2)
    document.add_paragraph("Large buyers should pay within 30 days.")
    document.add_heading("Skills", 1)
    document.add_paragraph("We propose 200 apprenticeships a year.")
    return document


def test_numbers_of_a_multilevel_list_linked_to_heading_styles_are_drawn(tmp_path: Path) -> None:
    text = saved(english_paper(), tmp_path)
    assert "1. Our Members" in text and "2. Trade Finance" in text and "3. Skills" in text
    assert "2.1 Export Credit" in text and "2.2 Payment Terms" in text
    assert "(a) a grace period" in text and "(b) quotations" in text


def test_the_section_parser_finds_word_numbered_sections_with_their_parents(tmp_path: Path) -> None:
    root = parse_document(saved(english_paper(), tmp_path))
    found = [(outline_path(s), s.parent.number if s.parent else "", s.heading) for s in root.walk() if s is not root]
    assert [(p, h) for p, _, h in found] == [
        ("1", "Our Members"), ("2", "Trade Finance"), ("2.1", "Export Credit"), ("2.2", "Payment Terms"),
        ("3", "Skills")]


def test_chinese_list_formats_are_drawn_as_printed(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 103, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")], (103,))
    for k in range(1, 12):
        numbered(document, f"第{k}項建議", 103, 0)
        if k == 2:
            numbered(document, "稅務", 103, 1)
            numbered(document, "擴大研發開支扣稅。", 103, 2)
            numbered(document, "人才", 103, 1)
    text = saved(document, tmp_path)
    assert "一、第1項建議" in text and "十一、第11項建議" in text
    assert "（一）稅務" in text and "1. 擴大研發開支扣稅。" in text and "（二）人才" in text
    assert "三、第3項建議" in text  # the deeper levels restart, the top level goes on


def test_a_table_is_read_in_its_place_as_bar_drawn_rows(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Annex: cost of the proposals")
    table = document.add_table(rows=3, cols=2)
    for r, (proposal, cost) in enumerate([("Proposal", "Cost"), ("Export credit", "HK$40 million"),
                                          ("Apprenticeships", "HK$12 million")]):
        table.cell(r, 0).text, table.cell(r, 1).text = proposal, cost
    document.add_paragraph("End of annex.")
    text = saved(document, tmp_path)
    assert "| Apprenticeships | HK$12 million |" in text
    assert text.index("Annex: cost") < text.index("| Proposal | Cost |") < text.index("End of annex.")


def test_a_cell_merged_down_is_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Logistics"
    table.cell(0, 1).text, table.cell(1, 1).text = "air cargo", "sea freight"
    text = saved(document, tmp_path)
    assert text.count("Logistics") == 1 and "|  | sea freight |" in text


def test_a_restarted_list_starts_again_and_a_shared_list_goes_on(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 105, [("decimal", "%1.")], (105, 106, 108), overrides={108: {0: 1}})
    numbered(document, "first", 105)
    numbered(document, "second", 105)
    numbered(document, "third, in another list instance of the same list", 106)
    numbered(document, "again from one", 108)
    text = saved(document, tmp_path)
    assert "3. third" in text and "1. again from one" in text


def test_numbering_removed_bullets_and_plain_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    add_list(document, 104, [("bullet", "\uf0b7")], (104,))
    numbered(document, "a bulleted point", 104)
    numbered(document, "numbering switched off", 0)
    document.add_paragraph("1. A number typed by hand")
    text = saved(document, tmp_path)
    assert "• a bulleted point" in text
    assert "\n\nnumbering switched off" in text and "1. A number typed by hand" in text


def test_content_controls_and_tracked_insertions_are_read_and_deletions_are_not(tmp_path: Path) -> None:
    document = docx.Document()
    body = document.element.body
    body.insert(0, parse_xml(f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p>"
                             "</w:sdtContent></w:sdt>"))
    body.insert(1, parse_xml(f"<w:p {W}><w:r><w:t xml:space='preserve'>Rates should fall </w:t></w:r>"
                             "<w:ins w:id='1' w:author='a'><w:r><w:t>by half</w:t></w:r></w:ins>"
                             "<w:del w:id='2' w:author='a'><w:r><w:delText>a little</w:delText></w:r></w:del>"
                             "<w:r><w:t>.</w:t></w:r></w:p>"))
    text = saved(document, tmp_path)
    assert "Inside a content control." in text and "Rates should fall by half." in text
    assert "a little" not in text


@pytest.mark.parametrize("value, fmt, expected", [
    (3, "decimal", "3"), (27, "lowerLetter", "aa"), (2, "upperLetter", "B"), (4, "upperRoman", "IV"),
    (9, "lowerRoman", "ix"), (11, "chineseCounting", "十一"), (20, "chineseCounting", "二十"),
    (105, "chineseCountingThousand", "一百零五"), (110, "chineseCountingThousand", "一百一十"),
    (12, "ideographLegalTraditional", "壹拾貳"), (3, "ideographTraditional", "丙"),
    (3, "decimalEnclosedCircle", "③"), (2, "decimalEnclosedParen", "⑵"), (7, "decimalZero", "07"),
    (12, "decimalFullWidth", "１２"), (5, "someFormatWeDoNotKnow", "5"),
])
def test_word_number_formats(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


def test_a_tables_header_row_is_no_section(tmp_path: Path) -> None:
    document = english_paper()
    document.add_heading("Annex", 1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Proposal", "Estimated Cost"
    table.cell(1, 0).text, table.cell(1, 1).text = "Apprenticeships", "HK$12 million a year"
    root = parse_document(saved(document, tmp_path))
    annex = root.children[-1]
    assert annex.heading == "Annex" and not annex.children
    assert annex.paragraphs == ["| Proposal | Estimated Cost |", "| Apprenticeships | HK$12 million a year |"]


def add_note(document: docx.Document, paragraph_text: str, note: str, note_id: int, kind: str = "footnote") -> None:
    """A paragraph referring to a footnote (or endnote) `note_id`, whose text is `note`."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    part = next((r.target_part for r in document.part.rels.values() if r.reltype == reltype), None)
    notes = (f'<w:{kind}s {W}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
             f"</w:{kind}s>")
    if part is None:
        part = Part(PackURI(f"/word/{kind}s.xml"), f"application/vnd.openxmlformats-officedocument.wordprocessingml."
                    f"{kind}s+xml", notes.encode(), document.part.package)
        document.part.relate_to(part, reltype)
    root = parse_xml(part.blob)
    root.append(parse_xml(f'<w:{kind} {W} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>'
                          f"<w:r><w:t xml:space='preserve'> {note}</w:t></w:r></w:p></w:{kind}>"))
    from lxml import etree
    part._blob = etree.tostring(root)
    paragraph = document.add_paragraph(paragraph_text)
    paragraph._p.append(parse_xml(f'<w:r {W}><w:{kind}Reference w:id="{note_id}"/></w:r>'))


def test_footnotes_follow_their_paragraph_and_endnotes_close_the_document(tmp_path: Path) -> None:
    document = docx.Document()
    add_note(document, "Exports fell by 12 per cent in 2025.", "Census and Statistics Department, 2026.", 5)
    document.add_paragraph("We propose a rebate.")
    add_note(document, "Rents rose again.", "Rating and Valuation Department.", 9)
    add_note(document, "Our survey had 203 replies.", "Survey of members, June 2026.", 2, kind="endnote")
    document.add_paragraph("Conclusion.")
    text = saved(document, tmp_path)
    assert text.split("\n\n") == [
        "Exports fell by 12 per cent in 2025.[1]", "[1] Census and Statistics Department, 2026.",
        "We propose a rebate.", "Rents rose again.[2]", "[2] Rating and Valuation Department.",
        "Our survey had 203 replies.[i]", "Conclusion.", "[i] Survey of members, June 2026."]


def test_a_footnoted_one_sentence_paragraph_is_text_and_its_note_stays_in_its_section(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("1. Trade Finance")
    add_note(document, "Exports Fell by a Fifth in 2025.", "Census and Statistics Department, 2026.", 3)
    document.add_paragraph("We propose a premium rebate for small exporters.")
    document.add_paragraph("2. Skills")
    document.add_paragraph("We propose 200 apprenticeships a year.")
    root = parse_document(saved(document, tmp_path))
    assert [(outline_path(s), s.paragraphs) for s in root.walk() if s is not root] == [
        ("1", ["Exports Fell by a Fifth in 2025.[1]", "[1] Census and Statistics Department, 2026.",
               "We propose a premium rebate for small exporters."]),
        ("2", ["We propose 200 apprenticeships a year."])]


def test_a_word_file_with_broken_xml_is_refused_with_one_line(tmp_path: Path) -> None:
    import zipfile

    from rag.corpus.loader import DecodeError

    good, bad = tmp_path / "good.docx", tmp_path / "bad.docx"
    english_paper().save(str(good))
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(DecodeError, match=r"^bad\.docx: not a readable DOCX file") as caught:
        read_text(bad)
    assert "\n" not in str(caught.value)
