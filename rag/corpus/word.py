"""The text of a Word (.docx) document as a reader sees it: paragraphs and tables in reading order, each
automatically numbered paragraph with the number Word draws in front of it.

python-docx reads the parts; what it leaves out is done here. Its `Document.paragraphs` skips tables, content
controls and inserted (tracked) text, and Word's automatic numbering is not in the paragraph text at all: it is
drawn from `word/numbering.xml` (`1.`, `1.1`, `(a)`, `一、`, `（一）`, `①` …), so a submission numbered by Word would
lose every section number. Libraries that extract DOCX text render list numbers in a format of their own (`1)`)
or not at all; a number has to come out as printed for the section parser and for citations.

A table becomes one line per row with its cells between bars (`| 建議 | 開支 |`), the drawn-table form the
section parser already keeps as rows of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from rag.corpus.numbering import CIRCLED, PAREN_DIGITS, STEMS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a drawing's older copy
_LEVELS = 9
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_DIGIT_CHARS = "〇一二三四五六七八九"
_FORMAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_FORMAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
# Text a paragraph holds, in document order: text runs, tabs and breaks; not field codes, deleted text, or the
# paragraphs of a text box drawn inside it (those follow it as paragraphs of their own).
_NAMESPACES = {"w": _W[1:-1]}
_PARAGRAPH_TEXT = etree.XPath(".//w:t | .//w:tab | .//w:br | .//w:cr | .//w:noBreakHyphen | .//w:sym"
                              " | .//w:footnoteReference | .//w:endnoteReference", namespaces=_NAMESPACES)
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NOTE_KINDS = {"footnote": (RT.FOOTNOTES, "decimal"), "endnote": (RT.ENDNOTES, "lowerRoman")}  # Word's defaults


def document_text(document: Any) -> str:
    """The body of a python-docx `Document` as text: one paragraph a line block, tables as bar-drawn rows, each
    footnote after the paragraph that refers to it and the endnotes at the end, marked as Word numbers them
    ("[1] Census and Statistics Department, 2025.")."""
    reader = _Reader(document)
    blocks: list[str] = []
    reader.body(document.element.body, blocks, top=True)
    blocks += reader.notes.flush("endnote")
    return "\n\n".join(blocks)


class _Notes:
    """Footnotes and endnotes: their text by id, numbered in the order the body refers to them."""

    def __init__(self, document: Any) -> None:
        self.text: dict[str, dict[str, Any]] = {}
        self.formats: dict[str, str] = {}
        settings = _settings(document)
        for kind, (reltype, default) in _NOTE_KINDS.items():
            self.text[kind] = _notes_of(document, reltype, kind)
            fmt = settings.find(f"w:{kind}Pr/w:numFmt", _NAMESPACES) if settings is not None else None
            self.formats[kind] = _value(fmt) or default
        self.count = dict.fromkeys(_NOTE_KINDS, 0)
        self.pending: dict[str, list[str]] = {kind: [] for kind in _NOTE_KINDS}

    def mark(self, kind: str, note_id: str, reader: _Reader) -> str:
        """The mark printed where the body refers to a note; the note is kept to be written out later."""
        note = self.text[kind].get(note_id)
        if note is None:
            return ""
        self.count[kind] += 1
        mark = format_number(self.count[kind], self.formats[kind])
        words = " ".join(" ".join(reader.paragraph_text(p).split()) for p in note.iterfind("w:p", _NAMESPACES))
        if words.strip():
            self.pending[kind].append(f"[{mark}] {words.strip()}")
        return f"[{mark}]"

    def flush(self, kind: str) -> list[str]:
        out, self.pending[kind] = self.pending[kind], []
        return out


def _settings(document: Any) -> Any:
    try:
        return document.settings.element
    except (KeyError, AttributeError, NotImplementedError):
        return None


def _notes_of(document: Any, reltype: str, kind: str) -> dict[str, Any]:
    """A notes part's notes by id: the separators Word keeps there (type separator, continuationSeparator) left out."""
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            try:
                root = etree.fromstring(rel.target_part.blob, _SAFE_XML)
            except etree.XMLSyntaxError:
                return {}
            return {note.get(f"{_W}id"): note for note in root.iterfind(f"w:{kind}", _NAMESPACES)
                    if note.get(f"{_W}type", "normal") == "normal"}
    return {}


class _Reader:
    def __init__(self, document: Any) -> None:
        self.numbers = _Numbering(document)
        self.notes = _Notes(document)

    def body(self, container: Any, blocks: list[str], top: bool = False) -> None:
        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                text = self.paragraph_text(child)
                label = self.numbers.label(child)
                if label and text.strip():
                    text = label + ("" if _is_wide(label[-1]) else " ") + text.lstrip()
                if text.strip():
                    blocks.append(text)
                for box in child.iterfind(".//w:txbxContent", _NAMESPACES):
                    if _inside_own(box, child):  # not a box inside a box, nor a drawing's fallback copy
                        self.body(box, blocks)
            elif child.tag == f"{_W}tbl":
                rows = [row for row in (self.row_text(tr) for tr in child.iterfind("w:tr", _NAMESPACES)) if row]
                if rows:
                    blocks.append("\n".join(rows))
            elif child.tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
                content = child.find("w:sdtContent", _NAMESPACES) if child.tag == f"{_W}sdt" else child
                if content is not None:
                    self.body(content, blocks, top)
            if top:
                blocks += self.notes.flush("footnote")  # below the paragraph (or table) that refers to them

    def row_text(self, row: Any) -> str:
        """`| cell | cell |`: a cell's paragraphs joined by spaces, a cell merged down from above left empty."""
        cells = []
        for cell in row.iter(f"{_W}tc"):
            if cell.getparent() is not row and cell.getparent().tag != f"{_W}sdtContent":
                continue  # a nested table's cell: it is read with its own cell
            merged = cell.find("w:tcPr/w:vMerge", _NAMESPACES)
            if merged is not None and merged.get(f"{_W}val", "continue") == "continue":
                cells.append("")
                continue
            inner: list[str] = []
            self.body(cell, inner)
            cells.append(" ".join(" ".join(block.split()) for block in inner))
        if not any(cells):
            return ""
        return "| " + " | ".join(cell.replace("|", "｜") for cell in cells) + " |"

    def paragraph_text(self, paragraph: Any) -> str:
        parts = []
        for node in _PARAGRAPH_TEXT(paragraph):
            if not _inside_own(node, paragraph):
                continue
            tag = node.tag[len(_W):]
            if tag == "t":
                parts.append(node.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "sym":
                parts.append(_symbol(node.get(f"{_W}char", "")))
            elif node.get(f"{_W}customMarkFollows") not in ("1", "true", "on"):  # else the next run prints the mark
                parts.append(self.notes.mark(tag.removesuffix("Reference"), node.get(f"{_W}id", ""), self))
        return "".join(parts)


def _inside_own(node: Any, paragraph: Any) -> bool:
    """True when `node` is text of `paragraph` itself: not in a text box drawn inside it, not deleted, not in the
    fallback copy of a drawing."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return True
        if ancestor.tag in (f"{_W}txbxContent", f"{_W}del", _FALLBACK):
            return False
    return True


def _symbol(code: str) -> str:
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return "•" if 0xF000 <= value <= 0xF0FF else chr(value)  # a Symbol/Wingdings glyph: a bullet or a tick


def _is_wide(ch: str) -> bool:
    return ch in "、）】」』。．：" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch in CIRCLED


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False
    restart: int | None = None  # restart after a use of this level (1-based), 0: never; None: any higher level
    style: str = ""


@dataclass
class _List:
    levels: list[_Level] = field(default_factory=lambda: [_Level() for _ in range(_LEVELS)])
    counters: list[int | None] = field(default_factory=lambda: [None] * _LEVELS)


class _Numbering:
    """Word's list counters, advanced paragraph by paragraph in reading order."""

    def __init__(self, document: Any) -> None:
        try:
            self._root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self._root = None
        styles = document.styles.element if self._root is not None else None
        self._styles = {s.get(f"{_W}styleId"): s for s in styles.iterfind("w:style", _NAMESPACES)} if (
            styles is not None) else {}
        self._lists: dict[tuple[str, str], _List] = {}

    def label(self, paragraph: Any) -> str:
        """The number Word draws before `paragraph` ("" when it has none), advancing that list's counter."""
        if self._root is None:
            return ""
        found = self._numbered(paragraph)
        if found is None:
            return ""
        num_id, level = found
        numbered = self._list(num_id)
        if numbered is None or not 0 <= level < _LEVELS:
            return ""
        counters, levels = numbered.counters, numbered.levels
        counters[level] = levels[level].start if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, _LEVELS):
            restart = levels[deeper].restart
            if restart is None or (restart and level < restart):
                counters[deeper] = None
        definition = levels[level]
        if definition.fmt == "none":
            return ""
        if definition.fmt == "bullet":
            text = definition.text.strip()
            return "•" if not text or any("\ue000" <= ch <= "\uf8ff" for ch in text) else text

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            if not 0 <= k < _LEVELS:
                return ""
            shown = counters[k] if counters[k] is not None else levels[k].start
            return format_number(shown, "decimal" if definition.legal else levels[k].fmt)

        return re.sub(r"%([1-9])", value, definition.text).strip()

    def _numbered(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of a paragraph numbered directly or through its style (and the styles it is based on)."""
        num_pr = paragraph.find("w:pPr/w:numPr", _NAMESPACES)
        style_id = _value(paragraph.find("w:pPr/w:pStyle", _NAMESPACES))
        num_id = _value(num_pr.find("w:numId", _NAMESPACES)) if num_pr is not None else None
        level = _value(num_pr.find("w:ilvl", _NAMESPACES)) if num_pr is not None else None
        seen: set[str] = set()
        style = style_id
        while num_id is None and style and style not in seen:
            seen.add(style)
            element = self._styles.get(style)
            if element is None:
                break
            style_pr = element.find("w:pPr/w:numPr", _NAMESPACES)
            if style_pr is not None:
                num_id = _value(style_pr.find("w:numId", _NAMESPACES))
                level = level or _value(style_pr.find("w:ilvl", _NAMESPACES))
                if level is None and num_id is not None:
                    level = self._level_of_style(num_id, style)
            style = _value(element.find("w:basedOn", _NAMESPACES))
        if num_id is None or num_id == "0":
            return None
        try:
            return num_id, int(level or 0)
        except ValueError:
            return None

    def _level_of_style(self, num_id: str, style: str) -> str | None:
        numbered = self._list(num_id)
        if numbered is None:
            return None
        return next((str(k) for k, lvl in enumerate(numbered.levels) if lvl.style == style), None)

    def _list(self, num_id: str) -> _List | None:
        """The counters of a list: shared by every numId of the same abstract list unless the numId restarts it."""
        num = self._root.find(f"w:num[@w:numId='{num_id}']", _NAMESPACES) if num_id.isdigit() else None
        if num is None:
            return None
        abstract_id = _value(num.find("w:abstractNumId", _NAMESPACES))
        abstract = self._abstract(abstract_id)
        if abstract is None:
            return None
        overrides = num.findall("w:lvlOverride", _NAMESPACES)
        key = (_value(abstract.find("w:nsid", _NAMESPACES)) or abstract_id or "", num_id if overrides else "")
        if key in self._lists:
            return self._lists[key]
        numbered = _List()
        for lvl in abstract.iterfind("w:lvl", _NAMESPACES):
            _read_level(lvl, numbered)
        for override in overrides:
            lvl = override.find("w:lvl", _NAMESPACES)
            if lvl is not None:
                _read_level(lvl, numbered, override.get(f"{_W}ilvl"))
            start = _value(override.find("w:startOverride", _NAMESPACES))
            k = _int(override.get(f"{_W}ilvl"))
            if start is not None and k is not None and 0 <= k < _LEVELS:
                numbered.levels[k].start = _int(start) or 0
        self._lists[key] = numbered
        return numbered

    def _abstract(self, abstract_id: str | None, depth: int = 0) -> Any:
        abstract = self._root.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", _NAMESPACES) if (
            abstract_id and abstract_id.isdigit()) else None
        link = _value(abstract.find("w:numStyleLink", _NAMESPACES)) if abstract is not None else None
        if link and depth < 3:  # the list is defined by a numbering style: follow it to the list it names
            style = self._styles.get(link)
            num_id = _value(style.find("w:pPr/w:numPr/w:numId", _NAMESPACES)) if style is not None else None
            num = self._root.find(f"w:num[@w:numId='{num_id}']", _NAMESPACES) if num_id and num_id.isdigit() else None
            if num is not None:
                return self._abstract(_value(num.find("w:abstractNumId", _NAMESPACES)), depth + 1)
        return abstract


def _read_level(lvl: Any, numbered: _List, ilvl: str | None = None) -> None:
    k = _int(lvl.get(f"{_W}ilvl", ilvl or "0"))
    if k is None or not 0 <= k < _LEVELS:
        return
    level = numbered.levels[k]
    start = _int(_value(lvl.find("w:start", _NAMESPACES)))
    level.start = start if start is not None else 0
    level.fmt = _value(lvl.find("w:numFmt", _NAMESPACES)) or "decimal"
    level.text = _value(lvl.find("w:lvlText", _NAMESPACES)) or ""
    legal = lvl.find("w:isLgl", _NAMESPACES)
    level.legal = legal is not None and _value(legal) not in ("0", "false", "off")
    restart = _int(_value(lvl.find("w:lvlRestart", _NAMESPACES)))
    level.restart = restart
    level.style = _value(lvl.find("w:pStyle", _NAMESPACES)) or ""


def _value(element: Any) -> str | None:
    return element.get(f"{_W}val") if element is not None else None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def format_number(value: int, fmt: str) -> str:
    """A counter drawn in one of Word's number formats (ST_NumberFormat): 3 → "3", "c", "iii", "三", "參", "丙", "③"."""
    if fmt in ("lowerLetter", "upperLetter"):
        if value < 1:
            return str(value)
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # Word: … y, z, aa, bb
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) - ord("0") + ord("０")) if d.isdigit() else d for d in str(value))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(CIRCLED):
        return CIRCLED[value - 1]
    if fmt == "decimalEnclosedParen" and 1 <= value <= len(PAREN_DIGITS):
        return PAREN_DIGITS[value - 1]
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = STEMS if fmt == "ideographTraditional" else _ZODIAC
        return cycle[(value - 1) % len(cycle)] if value >= 1 else str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "ideographLegalTraditional", "chineseLegalSimplified"):
        digits = (_FORMAL_TRADITIONAL if fmt == "ideographLegalTraditional" else
                  _FORMAL_SIMPLIFIED if fmt == "chineseLegalSimplified" else _DIGIT_CHARS.replace("〇", "零"))
        return _chinese(value, digits, formal=fmt in ("ideographLegalTraditional", "chineseLegalSimplified"))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGIT_CHARS[int(d)] for d in str(value)) if value >= 0 else str(value)
    return str(value)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


def _chinese(value: int, digits: str, formal: bool) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十 (formal: 壹拾壹 …), up to 9999."""
    if not 0 < value < 10000:
        return str(value)
    units = ("仟", "佰", "拾", "") if formal else ("千", "百", "十", "")
    places = f"{value:04d}"
    out, zero = [], False
    for k, d in enumerate(places):
        n = int(d)
        if n == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        if not (n == 1 and units[k] in ("十",) and not out):  # 十一, not 一十一 (but 一百一十)
            out.append(digits[n])
        out.append(units[k])
    return "".join(out)

