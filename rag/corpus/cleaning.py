"""Repairing PDF-extraction damage line by line: page numbers, footnotes, markdown, stray spaces.

Only artefacts are removed; every remaining character is the source's own, so quotes stay verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LONE_NUMBER = re.compile(r"\s*(\d{1,3})\s*")
_BOLD = re.compile(r"\*\*")
_URL_END = re.compile(r"https?://\S+\s*$")
_TERMINAL = "。！？；：!?;:"
_CLOSERS = "」』）)”’】》"
# A footnote marker is a small number glued to CJK text or a closing bracket, followed by text or punctuation.
_MARKER = r"(?<=[\u4e00-\u9fff」』）)])({n})(?=[\u4e00-\u9fff，。、；：（(「])"


@dataclass(frozen=True)
class Line:
    """One non-empty source line after cleaning; `raw` keeps the original for width and spacing cues."""

    text: str
    raw: str
    number: int  # 1-based line number in the source file
    footnote: int = 0  # the footnote number when this line is a footnote's text


def display_width(text: str) -> int:
    """Columns a line takes: wide (CJK, fullwidth) characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation, possibly inside closing quotes or brackets."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines with page numbers and footnote markers removed, `**` dropped.

    A footnote's text is kept (it is source content) but moved out of the paragraph it interrupted: it
    follows the next line that ends a sentence, marked with its number.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    lines: list[Line] = []
    footnotes: list[tuple[int, int]] = []  # (footnote number, index in `lines` where its block stood)
    pending: list[Line] = []  # footnote lines waiting for the interrupted paragraph to end
    expected_footnote = 1
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
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
                    Line(_BOLD.sub("", r).strip(), r, k + 1, footnote=expected_footnote)
                    for k, r in enumerate(raw_lines[nxt:end], start=nxt)
                    if r.strip()
                ]
                footnotes.append((expected_footnote, len(lines)))
                pending.extend(note)
                expected_footnote += 1
                i = end
                continue
            i += 1  # a page number
            continue
        if raw.strip():
            cleaned = _BOLD.sub("", raw).strip()
            cleaned = re.sub(r"[ \t\u3000]{2,}", " ", cleaned)
            if cleaned:
                lines.append(Line(text=cleaned, raw=raw, number=i + 1))
                if pending and ends_sentence(cleaned):
                    lines.extend(pending)
                    pending = []
        i += 1
    lines.extend(pending)
    for number, position in footnotes:
        _remove_marker(lines, number, position)
    return lines


def _next_nonempty(raw_lines: list[str], start: int) -> int | None:
    for j in range(start, len(raw_lines)):
        if raw_lines[j].strip():
            return j
    return None


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


def _remove_marker(lines: list[Line], number: int, position: int, reach: int = 12) -> None:
    """Remove footnote `number`'s marker from the text nearest the place its footnote stood."""
    pattern = re.compile(_MARKER.format(n=number))
    candidates = range(max(0, position - reach), min(len(lines), position + reach))
    best = min(
        (idx for idx in candidates if not lines[idx].footnote and pattern.search(lines[idx].text)),
        key=lambda idx: abs(idx - position),
        default=None,
    )
    if best is not None:
        line = lines[best]
        lines[best] = Line(pattern.sub("", line.text, count=1), line.raw, line.number, line.footnote)
