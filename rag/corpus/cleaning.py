"""Repairing PDF-extraction damage line by line: page furniture, footnotes, markdown, stray spaces.

Only artefacts are removed (page numbers, running headers and footers, contents lists, cover letters and
sign-offs: `rag.corpus.layout`; footnote markers; `**`); every remaining character is the source's own, so
quotes stay verbatim apart from the layout repairs of `join_wrapped`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from rag.corpus.layout import analyse
from rag.text.sentences import ends_sentence

_LONE_NUMBER = re.compile(r"\s*(\d{1,3})\s*")
_BOLD = re.compile(r"\*\*")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+")  # "## 1. Title" in a document exported as Markdown
_URL_END = re.compile(r"https?://\S+\s*$")
# A footnote marker is a small number glued to CJK text or a closing bracket, followed by text or punctuation;
# or, in English, glued to a word or to the punctuation right after it ("enjoys.1 Competition", "visitor.2").
# A superscript marker ("small.¹") or a bracketed one ("2026[1]", "customers.[2]") is a marker wherever it is glued
# to text.
_MARKER = (r"(?:(?<=[\u4e00-\u9fff」』）)])({n})(?=[\u4e00-\u9fff，。、；：（(「])"
           r"|(?<=[A-Za-z][.,;:”’\")])({n})(?=\s|$)|(?<=[a-z])({n})(?=[\s.,;:]|$)|(?<=\S)({sup})(?![⁰¹²³⁴⁵⁶⁷⁸⁹])"
           r"|(?<=\S)(\[{n}\]))")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PLAIN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A footnote rule: a line of underscores or dashes at a page bottom, footnotes below it ("1 Source text").
_REACH = 12  # lines around a footnote dropped mid-text where its marker is searched
_PAGE_REACH = 80  # a footnote under a page-bottom rule: its marker may be anywhere on the page above
_RULE = re.compile(r"^\s*(?:[_＿\-–—─━]{5,}|[=＝]{5,}|(?:\*\s*){5,})\s*$")  # also a separating rule
COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")  # table cells set apart by runs of spaces
# "1 Source", "¹ Source", "¹Source", "[1] Source"
_RULE_NOTE = re.compile(r"^\s*(\d{1,2}(?=\s)|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}|\[\d{1,2}\])\s*\S")


@dataclass(frozen=True)
class Line:
    """One non-empty source line after cleaning; `raw` keeps the original for width and spacing cues."""

    text: str
    raw: str
    number: int  # 1-based line number in the source file
    footnote: int = 0  # the footnote number when this line is a footnote's text
    page: int = 0  # 0-based page, counted from page breaks (form feeds, page numbers)
    blank_before: bool = False  # a blank source line precedes it, with no page furniture in between
    letter: bool = False  # part of a cover letter's body (text before the document proper: never a heading)


def display_width(text: str) -> int:
    """Columns a line takes: wide (CJK, fullwidth) characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


__all__ = ["Line", "clean_lines", "display_width", "ends_sentence", "join_wrapped", "hyphenated_words"]


# A text box drawn with box-drawing characters (┌──┐ / │ KEY RECOMMENDATIONS │ / └──┘): its borders are no text,
# its lines are text without their sides. (A line of ─ alone is a rule, above footnotes perhaps: not a border.)
_BOX_BORDER = re.compile(r"^[\s\u2500-\u257f]*[┌┐└┘├┤┬┴┼╭╮╯╰╔╗╚╝╠╣╦╩╬][\s\u2500-\u257f]*$")
_BOX_SIDES = re.compile(r"^(\s*)[│┃║]\s?(.*?)\s*[│┃║]\s*$")


def _unboxed(line: str) -> str:
    """A source line without the box drawn around it: a border is an empty line, a boxed line its inside."""
    if _BOX_BORDER.match(line):
        return "\f" if "\f" in line else ""
    sides = _BOX_SIDES.match(line)
    return sides.group(1) + sides.group(2) if sides else line


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines with page numbers and footnote markers removed, `**` dropped.

    A footnote's text is kept (it is source content) but moved out of the paragraph it interrupted: it
    follows the next line that ends a sentence, marked with its number.
    """
    split_lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f").split("\n")
    split_lines = [_unboxed(line) for line in split_lines]
    layout = analyse(split_lines)
    # Layout lines become blank: line numbers stay those of the source (a form feed counts as a line break).
    raw_lines = ["" if k in layout.dropped else r.replace("\f", "") for k, r in enumerate(split_lines)]
    lines: list[Line] = []
    footnotes: list[tuple[int, int, int]] = []  # (footnote number, index in `lines` where it stood, search reach)
    pending: list[Line] = []  # footnote lines waiting for the interrupted paragraph to end
    expected_footnote = 1
    saw_blank = saw_layout = False
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        if not raw.strip():
            saw_blank, saw_layout = saw_blank or i not in layout.dropped, saw_layout or i in layout.dropped
        if _RULE.match(raw) and (nxt := _next_nonempty(raw_lines, i + 1)) is not None and _RULE_NOTE.match(
                raw_lines[nxt]):
            end, notes = _rule_footnotes(raw_lines, nxt, expected_footnote, layout.page)
            for number, note in notes:
                footnotes.append((number, len(lines), _PAGE_REACH))
                pending.extend(note)
                expected_footnote = number + 1
            i, saw_layout = end, True
            continue
        if _RULE.match(raw) and not _in_table(raw_lines, i):
            saw_blank, i = True, i + 1  # any other rule ("-----", "=====") separates what is above and below
            continue
        lone = _LONE_NUMBER.fullmatch(raw) if raw.strip() else None
        if lone:
            nxt = _next_nonempty(raw_lines, i + 1)
            # A footnote: the next expected footnote number alone on a line, its text starting indented below.
            if (
                int(lone.group(1)) == expected_footnote
                and nxt is not None
                and raw_lines[nxt][:1].isspace()
                and _LONE_NUMBER.fullmatch(raw_lines[nxt]) is None
            ):
                end = _skip_footnote(raw_lines, nxt)
                note = [
                    Line(_BOLD.sub("", r).strip(), r, k + 1, footnote=expected_footnote, page=layout.page[k])
                    for k, r in enumerate(raw_lines[nxt:end], start=nxt)
                    if r.strip()
                ]
                footnotes.append((expected_footnote, len(lines), _REACH))
                pending.extend(note)
                expected_footnote += 1
                i = end
                continue
            i += 1  # a page number
            saw_layout = True
            continue
        if raw.strip():
            cleaned = _BOLD.sub("", _MARKDOWN_HEADING.sub("", raw)).strip()
            cleaned = re.sub(r"[ \t\u3000]{2,}", " ", cleaned)
            if cleaned:
                lines.append(Line(cleaned, raw, i + 1, page=layout.page[i], blank_before=saw_blank and not saw_layout,
                                  letter=i in layout.letter))
                saw_blank = saw_layout = False
                if pending and ends_sentence(cleaned):
                    lines.extend(pending)
                    pending = []
        i += 1
    lines.extend(pending)
    for number, position, reach in footnotes:
        _remove_marker(lines, number, position, reach)
    return lines


def _next_nonempty(raw_lines: list[str], start: int) -> int | None:
    for j in range(start, len(raw_lines)):
        if raw_lines[j].strip():
            return j
    return None


def _in_table(raw_lines: list[str], at: int) -> bool:
    """Whether the rule at `at` is a table's (under its header row): the lines around it have cells."""
    before = next((raw_lines[k] for k in range(at - 1, -1, -1) if raw_lines[k].strip()), "")
    after = _next_nonempty(raw_lines, at + 1)
    return bool(COLUMN_GAP.search(before.strip())) and after is not None and bool(
        COLUMN_GAP.search(raw_lines[after].strip()))


def _rule_footnotes(
    raw_lines: list[str], start: int, expected: int, page: tuple[int, ...]
) -> tuple[int, list[tuple[int, list[Line]]]]:
    """Footnotes below a rule: each starts with its number; a footnote runs on until a blank line, and the block
    ends at the first line after a blank that does not start a footnote, or at a page break."""
    notes: list[tuple[int, list[Line]]] = []
    j = start
    while j < len(raw_lines):
        raw = raw_lines[j]
        if not raw.strip():
            nxt = _next_nonempty(raw_lines, j + 1)
            if nxt is None or page[nxt] != page[start] or not _RULE_NOTE.match(raw_lines[nxt]):
                return j + 1, notes
            j = nxt
            continue
        m = _RULE_NOTE.match(raw)
        number = int(m.group(1).strip("[]").translate(_PLAIN)) if m else 0
        if m and number >= expected and (not notes or number == notes[-1][0] + 1):
            text = raw.strip()[len(m.group(1)):].strip()
            notes.append((number, [Line(text, raw, j + 1, footnote=number, page=page[j])]))
        elif notes:
            number = notes[-1][0]
            notes[-1][1].append(Line(raw.strip(), raw, j + 1, footnote=number, page=page[j]))
        else:
            return j, notes
        if page[min(j + 1, len(raw_lines) - 1)] != page[start]:
            return j + 1, notes
        j += 1
    return j, notes


def _skip_footnote(raw_lines: list[str], start: int, max_lines: int = 4) -> int:
    """Index after a footnote's text: it ends at sentence-final punctuation or a URL, within a few lines."""
    j, taken = start, 0
    while j < len(raw_lines) and taken < max_lines:
        line = raw_lines[j]
        j += 1
        if not line.strip():
            continue
        taken += 1
        if ends_sentence(line) or _URL_END.search(line):
            break
    return j


def _remove_marker(lines: list[Line], number: int, position: int, reach: int) -> None:
    """Remove footnote `number`'s marker from the text nearest the place its footnote stood."""
    pattern = re.compile(_MARKER.format(n=number, sup=str(number).translate(_SUPERSCRIPT)))
    candidates = range(max(0, position - reach), min(len(lines), position + reach))
    best = min(
        (idx for idx in candidates if not lines[idx].footnote and pattern.search(lines[idx].text)),
        key=lambda idx: abs(idx - position),
        default=None,
    )
    if best is not None:
        line = lines[best]
        lines[best] = replace(line, text=pattern.sub("", line.text, count=1))


_HYPHEN_WORD = re.compile(r"[A-Za-z]+-[A-Za-z]+")


def hyphenated_words(text: str) -> frozenset[str]:
    """Hyphenated compounds that the text writes whole somewhere ("low-altitude"), lower-cased."""
    return frozenset(m.group().lower() for m in _HYPHEN_WORD.finditer(text))


def join_wrapped(left: str, right: str, compounds: frozenset[str] = frozenset()) -> str:
    """Join a hard-wrapped line to the one before it.

    Nothing between Chinese characters; one space between Latin words, numbers and the punctuation that
    takes a space after it (so no "Scheme,with" or "us.Hong"; "1.5" + "%" stays "1.5%").

    A line-end hyphen between letters is a compound's own hyphen when the document writes that compound whole
    elsewhere ("low-" + "altitude" → "low-altitude"); otherwise it is a word broken by the
    typesetter and is dropped ("infra-" + "structure" → "infrastructure").
    """
    if not left or not right:
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and left[-2].isascii() and right[0].isalpha():
        head = re.search(r"[A-Za-z]+-$", left)
        tail = re.match(r"[A-Za-z]+", right)
        if head and tail and f"{head.group()}{tail.group()}".lower() in compounds:
            return left + right
        return left[:-1] + right
    if _takes_space_after(left[-1]) and _takes_space_before(right[0]):
        return f"{left} {right}"
    return left + right


def _takes_space_after(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in ".,;:!?)]\"'”’"


def _takes_space_before(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in "([\"'“‘$&"
