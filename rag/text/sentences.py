"""The one sentence splitter, for Chinese and English text alike.

A sentence ends at a Chinese or English terminal (。！？；!?;), at an English full stop that is followed by a
space and a word that does not start in lower case (not in 3.5, HK$1.5, e.g., U.S. or the "1." of a numbered
line, nor after a short capitalised abbreviation before a number, as in "No. 3" or "Cap. 622"), and at a line
break. Closing quotes and brackets right after a terminal stay with the sentence they close.
Every caller (chunking, quotes, concept windows, the LLM citation check) splits through here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TERMINALS = "。！？；!?;"
CLOSERS = "」』）)”’】》"
# A stop: a run of terminals, or an English full stop before white space and a word not in lower case, or the
# end of the text; then any closing marks. The full stop's lookbehind keeps enumerators ("1.", "12.", "(a).")
# and single letters ("U.S.") from ending a sentence; a longer number does end one ("… by 2027. To …").
# A note mark printed right after a sentence's end ("… in 2025.[1]", "…增長。[2]", "… Hong Kong.¹"): it belongs to
# the sentence it follows, which it does not prevent from ending.
NOTE_MARK = r"(?:\[(?:\d{1,3}|[ivxlc]{1,6})\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
_STOP = re.compile(
    rf"(?:[{TERMINALS}]+|(?<![\s(（]\d\d)(?<![\s(（]\w)(?<!^\d\d)(?<!^\w)\.(?={NOTE_MARK}?(?:\s+[^a-z\s]|\s*$)))"
    rf"[{CLOSERS}]*{NOTE_MARK}?"
    r"|\n"
)
_TRAILING_NOTE_MARK = re.compile(rf"(?<=[{TERMINALS}{CLOSERS}.]){NOTE_MARK}$")
# "No. 3", "Vol. 2", "p. 5", "(para. 4)": a full stop after a short abbreviation and before a number ends no
# sentence (a lower-case one of up to two letters, or one of the usual references to a part of a text).
_ABBREVIATION_BEFORE_NUMBER = re.compile(
    r"(?:^|[\s(（])(?:[A-Z][a-z]{0,3}|[a-z]{1,2}|paras?|sects?|figs?|arts?|nos?|vols?|chs?|cls?|approx)\.$")
_INITIALISM_END = re.compile(r"(?:^|[^\w.])(?:[A-Za-z]\.){2,}$")
_NUMBER_AHEAD = re.compile(r"\s+\d")


class Sentence(NamedTuple):
    start: int  # offset of the sentence's first non-space character in the text
    text: str  # the sentence, surrounding white space stripped


def split_pieces(text: str) -> list[str]:
    """The text cut after each sentence end; the pieces joined give the text back exactly."""
    pieces, start = [], 0
    for match in _STOP.finditer(text):
        if _is_abbreviation(text, match):
            continue
        if match.end() > start:
            pieces.append(text[start:match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _is_abbreviation(text: str, match: re.Match[str]) -> bool:
    if match.group() != ".":
        return False
    before = text[max(0, match.start() - 8) : match.end()]
    return bool(_ABBREVIATION_BEFORE_NUMBER.search(before) and _NUMBER_AHEAD.match(text, match.end()))


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a text with their offsets; empty ones (blank lines, lone punctuation runs) dropped."""
    out, offset = [], 0
    for piece in split_pieces(text):
        stripped = piece.strip()
        if stripped and not all(ch in TERMINALS or ch in CLOSERS for ch in stripped):
            out.append(Sentence(offset + piece.index(stripped[0]), stripped))
        offset += len(piece)
    return out


def without_note_mark(text: str) -> str:
    """The text without a note mark after its last sentence end ("… in 2025.[1]" → "… in 2025."), right-stripped."""
    return _TRAILING_NOTE_MARK.sub("", text.rstrip())


def ends_sentence(text: str) -> bool:
    """True when the text ends as a sentence does: a terminal or a colon, possibly inside closing marks, or an
    English full stop that the splitter takes as one (not "e.g." or "U.S."; "1." alone is a label, not a sentence).
    """
    stripped = without_note_mark(text).rstrip(CLOSERS)
    if not stripped:
        return False
    if stripped[-1] in TERMINALS or stripped[-1] in "：:":
        return True
    if _INITIALISM_END.search(stripped):
        return False  # "e.g." or "U.S." at a line end: more likely wrapped than finished
    return stripped[-1] == "." and any(m.end() >= len(stripped) for m in _STOP.finditer(stripped) if m.group())
