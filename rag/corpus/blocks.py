"""Cleaned lines → blocks (numbered lines, bullets, paragraphs), and the shape tests that tell a heading from a
sentence in Chinese and in English.

Hard-wrapped lines are joined back into paragraphs (`cleaning.join_wrapped`); a Chinese paragraph is never joined
to an English one; a Chinese heading followed by its English translation (same number, or both unnumbered)
becomes one block.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rag.corpus.cleaning import COLUMN_GAP, Line, display_width, ends_sentence, join_wrapped
from rag.corpus.numbering import Reading, is_next, readings
from rag.text.sentences import without_note_mark

BULLET = re.compile(r"^(?:[•●▪■◆◇○·▸▹►▶➢➤‣✓✔\uf06c\uf0b7\uf0a7\uf0d8\uf076]\s*|o\s+(?=[^\x00-\x7f])|-\s+(?![（(]))")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Short words that stay lower case in an English title ("Hub for International Dispute Resolution").
_HYPHEN_END = re.compile(r"[A-Za-z]-$")
_MINOR_WORD_MAX = 4
_LABEL_GAP = re.compile(r"^\S+(?: {2,}|\t)")  # a label set apart from its text by a run of spaces
_DRAWN_ROW = re.compile(r"^[|+].*[|+]$")  # a table row drawn with bars: "| 建議 | 開支 |", "+----+----+"
_WORD_COLUMNS = re.compile(r"\s*[A-Za-z]+(?: {3,}|\t)\d")  # a word, a column gap, a number
# English words that cannot end a sentence or a title: a line ending on one goes on in the next line.
_OPEN_END = re.compile(r"(?:^|\s)(?:and|or|nor|of|in|for|to|with|on|at|by|from|the|a|an|into|under|over|between"
                       r"|via|than|as|its|their|our|this|that)$", re.IGNORECASE)
_EN_TITLE_WORDS = 15  # a numbered English heading is at most this many words
_EN_GROUP_WORDS = 10  # an unnumbered English heading, fewer
_EN_SENTENCE_WORDS = 5  # a numbered line of this many words ending with a full stop is a sentence, not a title


@dataclass
class Block:
    kind: str  # "numbered" | "bullet" | "text"
    lines: list[Line]
    readings: list[Reading] = field(default_factory=list)
    rest: str = ""  # text after the label or bullet
    rest_en: str = ""  # the English translation line of a bilingual heading

    @property
    def text(self) -> str:
        return self.rest

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def marker(self) -> str:
        return self.readings[0].marker if self.readings else ""


def is_latin(text: str) -> bool:
    """Mostly English (Latin letters) rather than Chinese."""
    latin, cjk = len(_LATIN.findall(text)), len(_CJK.findall(text))
    return latin > 0 and latin >= 3 * cjk


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text)) and not is_latin(text)


def english_title_shape(text: str) -> bool:
    """Title Case or capitals: every word longer than a short function word starts with a capital or a digit."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if not words:
        return False
    if text.upper() == text:
        return True
    major = [w for w in words if len(w) > _MINOR_WORD_MAX or w is words[0]]
    return all(w[0].isupper() for w in major)


def is_english_heading(text: str, numbered: bool) -> bool:
    """A heading line in English: short, no closing sentence punctuation; unnumbered ones in Title Case."""
    text = without_note_mark(text.strip())  # "… in 2025.[1]" ends as a sentence does
    if not text or not is_latin(text) or text[0].islower() or text[-1] in ".,;!?" and not _ends_abbreviation(text):
        return False
    words = text.split()
    if numbered:
        return len(words) <= _EN_TITLE_WORDS
    return len(words) <= _EN_GROUP_WORDS and english_title_shape(text)


def _ends_abbreviation(text: str) -> bool:
    return text.endswith(".") and not ends_sentence(text)


def is_run_in(text: str, line_count: int) -> bool:
    """An English numbered item that is a running sentence ("(i) a subsidised course that …"), not a title."""
    text = text.strip()
    if not is_latin(text):
        return False
    if text[:1].islower():
        return True
    sentence = text[-1:] in ".;,:" or ". " in text
    words = len(text.split())
    # A title seldom ends with a full stop; a one-line numbered paragraph of several words does. So does a lead-in
    # ("36. For ease of reference, the recommendations are:"), unless it has a title's shape ("Key Findings:").
    full_stop = text.endswith(".") and words >= _EN_SENTENCE_WORDS and not _ends_abbreviation(text)
    lead_in = text.endswith(":") and words >= _EN_SENTENCE_WORDS and not english_title_shape(text)
    return sentence and (line_count > 1 or words > _EN_TITLE_WORDS or full_stop or lead_in)


# --- reflowing lines -------------------------------------------------------------------------------------------


def is_drawn_row(text: str) -> bool:
    """A row of a table drawn with bars ("| 建議 | 開支 |", "+----+"), as text tables and Word tables are read."""
    return bool(_DRAWN_ROW.match(text.strip()))


def wrap_width(lines: list[Line]) -> int | None:
    """The column width a hard-wrapped document was broken at, or None when lines are whole paragraphs."""
    widths = [w for w in (display_width(line.text) for line in lines) if w >= 30]
    if len(widths) < 20:
        return None
    counts = Counter(widths)
    best = max(counts, key=lambda w: sum(counts[x] for x in range(w - 3, w + 2)))
    share = sum(counts[x] for x in range(best - 3, best + 2)) / len(lines)
    return best if share >= 0.3 else None


def _line_limit(lines: list[Line], wrap: int | None) -> int | None:
    """The widest line at the wrap width: English word wrap leaves a ragged edge below it."""
    if wrap is None:
        return None
    near = [w for w in (display_width(line.text) for line in lines) if w <= wrap + 5]
    return max(near) if near else wrap


_INDENT_LINES_MIN = 10  # lines at one indent that show its own wrap width


def _indent(line: Line) -> int:
    return len(line.raw) - len(line.raw.lstrip(" "))


def _indent_limits(lines: list[Line], wrap: int | None) -> dict[int, int]:
    """The widest wrapped line at each indent that enough lines share: a paragraph's lines indented under its
    number (a hanging indent) wrap that many columns earlier than its first line."""
    if wrap is None:
        return {}
    by_indent: dict[int, list[int]] = {}
    for line in lines:
        by_indent.setdefault(_indent(line), []).append(display_width(line.text))
    return {indent: max(near) for indent, widths in by_indent.items()
            if len(widths) >= _INDENT_LINES_MIN and (near := [w for w in widths if w <= wrap + 5])}


_WRAPPED_SHARE = 0.6  # an English line this near the wrap width was broken by the wrap, not by its writer


def _is_full(line: Line, wrap: int | None) -> bool:
    return wrap is not None and display_width(line.text) >= wrap - 5


def _unlabelled(raw: str, labelled: bool) -> str:
    """A line as printed, less its label and the space after it when it has one ("5.   Many sites …": the gap
    after a paragraph number is no gap between a table's cells)."""
    raw = raw.strip()
    return _LABEL_GAP.sub("", raw, count=1) if labelled else raw


def _closes_paragraph(
    line: Line, nxt: Line | None, wrap: int | None, limit: int | None, blank_style: bool, rest: str,
    limits: dict[int, int],
) -> bool:
    """Does the paragraph end with this line? Hard-wrapped text ends where a line falls short of the width.

    `rest` is the line's text after its label or bullet; `limits`, the wrap width at each common indent."""
    if is_drawn_row(line.text):
        return True  # "| 建議 | 開支 |": a row of a drawn table is a line of its own, however wide
    if nxt is not None and _HYPHEN_END.search(line.text) and nxt.text[:1].isalpha():
        return False  # "infra-" / "structure": a word broken at the line end always continues
    if nxt is not None and bool(COLUMN_GAP.search(_unlabelled(line.raw, rest != line.text))) != bool(
            COLUMN_GAP.search(nxt.raw.strip())):
        return True  # a table (cells apart by runs of spaces) begins or ends: "Annex 2: …" after its last row
    if (
        nxt is not None
        and rest != line.text
        and is_latin(line.text)
        and not line.raw[:1].isspace()
        and nxt.raw[:1].isspace()
        and not ends_sentence(line.text)
        and english_title_shape(nxt.text)
        and not readings(nxt.text)
    ):
        return False  # "5. Settlement with the Mainland" / "   Through mBridge": a title wrapped under its words
    if nxt is not None and is_latin(line.text) and nxt.text[:1].islower() and not ends_sentence(line.text):
        return False  # an English line that the next one continues in lower case
    if nxt is not None and is_latin(line.text) and _OPEN_END.search(line.text) and not nxt.blank_before and (
            not readings(nxt.text)):
        return False  # "… for Devices Used in" / "Commercial Fleets": no line, title or not, ends on "in"
    if nxt is not None and is_latin(line.text) and (limit is None or display_width(line.text) > limit):
        # Unwrapped English (or a paragraph on one line, longer than the wrapped ones around it): a line runs on
        # into the next unless it ends a sentence, a blank line follows, or it is a labelled title ("2. Bringing
        # Visitors Back").
        labelled_title = rest != line.text and is_english_heading(rest, numbered=True)
        return ends_sentence(line.text) or nxt.blank_before or labelled_title
    if (nxt is not None and is_latin(line.text) and limit is not None and not ends_sentence(line.text)
            and display_width(line.text) >= _WRAPPED_SHARE * limit and not english_title_shape(rest)
            and is_latin(nxt.text) and not nxt.blank_before
            and not readings(nxt.text) and not english_title_shape(nxt.text) and not BULLET.match(nxt.text)):
        return False  # "… at Yuen Long and Tseung" / "Kwan O, serving …": in proportional print (a PDF) a line
        # may break before a word that would fit by count of characters; a wrapped line stopping mid-sentence goes on
    if nxt is not None and is_latin(line.text) and limit is not None:
        # English word wrap: the line broke because the next word did not fit; otherwise the paragraph ended.
        first_word = nxt.text.split()[0] if nxt.text.split() else ""
        forced = display_width(line.text) + 1 + display_width(first_word) > limits.get(_indent(line), limit)
        return not forced or (blank_style and nxt.blank_before)
    if nxt is not None and blank_style and nxt.blank_before and ends_sentence(line.text):
        return True  # blank lines separate paragraphs, and this one ended its sentence before the blank
    if (nxt is not None and nxt.page > line.page and is_chinese(line.text) and re.search("[，、,]", rest)
            and line.text[-1:].isalnum() and not readings(nxt.text) and not BULLET.match(nxt.text)):
        return False  # "(b) 放寬……，容許村屋以" / page break / "「特色民宿」形式經營……": the page cut a clause
    if wrap is None:
        # Whole-paragraph lines: a line breaks off mid-paragraph where it neither ends a sentence nor reads
        # as a heading (short, no comma after its label).
        return ends_sentence(line.text) or (display_width(line.text) <= 60 and not re.search("[，、,；]", rest))
    if not _is_full(line, wrap):
        return True
    # A full line ending in 。 may be a wrap that happened to fall after a full stop; the extractor marks
    # real paragraph ends with a trailing space.
    return ends_sentence(line.text) and line.raw != line.raw.rstrip()


def _breaks_mid_sentence(line: Line, wrap: int | None) -> bool:
    """A hard-wrapped line that fills the width and stops mid-sentence, with no trailing space (the extractor's
    mark of a paragraph end): the next line goes on with it. Bullet items are left out: they seldom end with a
    full stop."""
    return _is_full(line, wrap) and not ends_sentence(line.text) and line.raw == line.raw.rstrip()


def _counts_on(block: Block, found: list[Reading]) -> bool:
    """A line labelled with the number after the one-line numbered block before it (`Recommendation 2 – …` under
    `Recommendation 1 – …`): the next item of a list, however full the line before."""
    return block.kind == "numbered" and len(block.lines) == 1 and any(
        is_next(block.readings[0], reading) for reading in found)


def _script_changes(left: str, right: str) -> bool:
    return (is_chinese(left) and is_latin(right)) or (is_latin(left) and is_chinese(right))


def make_blocks(lines: list[Line], wrap: int | None, compounds: frozenset[str] = frozenset()) -> list[Block]:
    """Reflow lines into blocks: numbered lines, bullets and paragraphs, joining hard-wrapped lines."""
    blocks: list[Block] = []
    open_block = False
    limit = _line_limit(lines, wrap)
    limits = _indent_limits(lines, wrap)
    blank_share = sum(line.blank_before for line in lines) / len(lines) if lines else 0.0
    blank_style = 0.05 <= blank_share <= 0.6  # blank lines separate paragraphs, not every line
    body = [line for line in lines if not line.footnote]
    following = {id(line): body[k + 1] if k + 1 < len(body) else None for k, line in enumerate(body)}
    for line in lines:
        if line.footnote:
            # A footnote is a paragraph of its own, wherever the extractor dropped it.
            if blocks and blocks[-1].first.footnote == line.footnote:
                blocks[-1].lines.append(line)
                blocks[-1].rest = join_wrapped(blocks[-1].rest, line.text, compounds)
            else:
                blocks.append(Block("text", [line], rest=line.text))
            open_block = False
            continue
        found = readings(line.text)
        if found and _WORD_COLUMNS.match(line.raw):
            found = []  # "Desks            12": a table's row (its cells are collapsed in `text`), not `Chapter 3`
        bullet = BULLET.match(line.text)
        if open_block and blocks and _script_changes(blocks[-1].lines[-1].text, line.text):
            open_block = False
        if found and open_block and blocks and blocks[-1].kind != "bullet" and _breaks_mid_sentence(
                blocks[-1].lines[-1], wrap) and not _counts_on(blocks[-1], found):
            found = []  # "第三條的措施…" at the start of a wrapped line is a cross-reference, not a heading
        if titles_label(blocks, line, found, bullet):
            blocks[-1].lines.append(line)  # `PART I` alone on its line: this line is its title
            blocks[-1].rest = line.text
            open_block = False
            continue
        if found:
            blocks.append(Block("numbered", [line], found, found[0].rest))
        elif bullet:
            blocks.append(Block("bullet", [line], rest=line.text[bullet.end():]))
        elif open_block and blocks:
            block = blocks[-1]
            block.lines.append(line)
            block.rest = join_wrapped(block.rest, line.text, compounds)
        else:
            blocks.append(Block("text", [line], rest=line.text))
        # The extractor marks a numbered heading's end with a trailing space even when the line is full.
        heading_end = found and line.raw != line.raw.rstrip() and not is_latin(line.text)
        rest = found[0].rest if found else line.text[bullet.end():] if bullet else line.text
        open_block = not (heading_end or _closes_paragraph(line, following[id(line)], wrap, limit, blank_style, rest,
                                                                limits))
    return pair_translations(blocks)


def titles_label(blocks: list[Block], line: Line, found: list[Reading], bullet: re.Match[str] | None) -> bool:
    """Is this line the title of a label printed alone on the line before (`PART I` / `ROADS AND RAIL`,
    `第一章` / `總則`)? A short line that is neither numbered nor a bullet nor a sentence."""
    if not blocks or found or bullet or ends_sentence(line.text) or display_width(line.text) > 80:
        return False
    last = blocks[-1]
    return last.kind == "numbered" and len(last.lines) == 1 and not last.rest.strip()


def pair_translations(blocks: list[Block]) -> list[Block]:
    """A heading line followed by its translation (same label, or both unnumbered) is one block: Chinese then
    English, or English then Chinese. The Chinese words are the block's text, the English its `rest_en`."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if last is not None and _is_translation(last, block):
            last.lines.extend(block.lines)
            last.rest_en = block.rest.strip()
            continue
        if last is not None and _is_translation(block, last):
            last.lines.extend(block.lines)
            last.rest, last.rest_en, last.readings = block.rest, last.rest.strip(), block.readings or last.readings
            continue
        out.append(block)
    return out


def _is_translation(chinese: Block, english: Block) -> bool:
    if chinese.rest_en or english.rest_en or len(chinese.lines) != 1 or len(english.lines) != 1:
        return False
    if not is_chinese(chinese.rest) or ends_sentence(chinese.rest) or display_width(chinese.rest) > 80:
        return False
    if chinese.kind != english.kind:
        # A numbered heading and its translation printed without the number on the next line
        # ("1. Manpower" / "安老院舍人手", "一、人手" / "Manpower"): the first carries the label.
        first, second = (chinese, english) if chinese.lines[0].number < english.lines[0].number else (english, chinese)
        return first.kind == "numbered" and second.kind == "text" and (
            is_english_heading(english.rest, numbered=english.kind == "numbered"))
    if chinese.kind == "numbered":
        # the same label ("1.1" / "1.1"), or each language's own label for the same number ("一、" / "I.",
        # "（一）" / "(a)", "1.1" / "（一）")
        same = _nfkc(chinese.marker) == _nfkc(english.marker) or any(
            c.ordinal == e.ordinal and is_chinese(c.marker + c.value) != is_chinese(e.marker + e.value)
            for c in chinese.readings for e in english.readings)
        return same and is_english_heading(english.rest, numbered=True)
    return chinese.kind == "text" and is_english_heading(english.rest, numbered=False)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()
