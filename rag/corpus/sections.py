"""The numbered-section parser: source lines → a tree of Sections.

Labels are read by the numbering grammar (`rag.corpus.numbering`: decimal outlines and A.1, Part A, 第X章/節/條,
壹、, 一、, （一）, 1、, (1), ①, (a), (i), i., A., I., 策略一), lines are reflowed into blocks (`rag.corpus.blocks`)
after page layout is removed (`rag.corpus.layout`). A new heading whose family is already open closes it and
becomes its sibling; an unseen family opens a child; a decimal label nests under its prefix. Unnumbered
headings (Chinese part words and short topic lines, English Title Case or capitals) group what follows,
except introductions and summaries, which never parent the numbered sections; one that sits inside a numbered
section (the next title continues that section's list) is its sub-heading. Lines repeated as a summary or
contents list, and numbered items that are running sentences, stay text. Anything unrecognised stays text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag.corpus.blocks import (
    Block,
    is_chinese,
    is_drawn_row,
    is_english_heading,
    is_latin,
    is_run_in,
    make_blocks,
    wrap_width,
)
from rag.corpus.cleaning import Line, clean_lines, display_width, ends_sentence, hyphenated_words, join_wrapped
from rag.corpus.layout import is_date_line, is_dated_line
from rag.corpus.numbering import Reading, decimal_parent, is_next, is_self_contained, readings

# Short labels that name a part of a report rather than a topic (both scripts).
PART_WORDS = frozenset({"提要", "摘要", "撮要", "正文", "附錄", "附录", "附件", "前言", "引言", "結語", "结语",
                        "總結", "总结", "目錄", "目录"})
# Parts that introduce a report: their text comes before the numbered sections, which never nest under them.
FRONT_PARTS = frozenset({"前言", "引言", "序言", "導言", "导言", "摘要", "提要", "撮要", "概要", "目錄", "目录",
                         "背景", "introduction", "preface", "foreword", "summary", "executive summary", "background",
                         "contents", "table of contents"})
_FRONT_PHRASE = re.compile(r"^(?:executive\s+)?summary\s+of\s"
                           r"|^(?:introduction|foreword|preface|background)\s+(?:and|to)\s")


def _front_part(names: set[str]) -> bool:
    """An introducing part by its name: `FRONT_PARTS`, or a phrase built on one ("summary of recommendations",
    "introduction and background")."""
    return bool(names & FRONT_PARTS) or any(_FRONT_PHRASE.match(name) for name in names)


def restates(heading: str) -> bool:
    """Whether a top-level unnumbered part restates the paper rather than argues it: a summary or another
    introducing part, a conclusion, an appendix ("APPENDIX: SUMMARY OF RECOMMENDATIONS", 摘要, 附錄一). A passage
    there repeats what a section of the body proposes, which is the one to cite."""
    name = heading.strip().rstrip("：:").casefold()
    return _front_part({name}) or name in BACK_PARTS or bool(_GROUP_START.match(name))


# Parts that close a report: never a sub-heading of the last numbered section.
BACK_PARTS = frozenset({"結語", "结语", "總結", "总结", "結論", "结论", "conclusion", "conclusions",
                        "concluding remarks", "closing remarks"})
_GROUP_START = re.compile(r"^(附表|附錄|附录|附件|表\s*\d|圖\s*\d|图\s*\d|appendix|annex)", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\d{4}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?$")
# A sentence that introduces what follows: "…如下：", or the body speaking of itself ("本會建議：", "本聯盟提出："),
# unlike a label naming a part of the section ("政策建議：", "背景：").
_LEAD_IN = re.compile(r"(如下|以下|包括|例如|如次)[：:]$|^本[\u4e00-\u9fff]{1,3}?(?:建議|建议|提出|認為|认为|促請|促请|"
                      r"希望|期望|要求|呼籲|呼吁)[^：:]*[：:]$")
_BOLD_LEAD = re.compile(r"^\s*(?:-\s*)?\S+?\s*\*\*(.+?)\*\*")
_COLUMNS = re.compile(r"\S(?: {3,}|\t)\S")
_LABELLED_ITEM = re.compile(r"^[^，。：:；]{1,10}[：:]\S")
_ITEM_HEADING_MAX = 25  # a numbered paragraph's first sentence counts as its heading up to this length
_HEADING_MAX = 60  # a numbered line longer than this is a paragraph item, not a title
_EN_HEADING_MAX = 120  # characters, for an English numbered title
_GROUP_MAX_WIDTH = 50  # columns: an unnumbered heading is at most about 25 CJK characters
_TITLE_BLOCK_MAX = 8  # lines of a title block that ends with a date
_TITLE_LINE_MAX = 80  # columns: a title block line (a long title, a body's name)
_COVER_MAX_LINES = 25  # a first page of at most this many short lines, none a sentence, is a cover page
# Which family a roman reading competes with: `I.` roman or letter, `(i)`, `i.`.
_LETTER_TWIN = {"roman": "letter", "roman_paren": "letter_paren", "roman_lower": "letter_lower",
                "roman_paren_upper": "letter_paren_upper"}


@dataclass
class Section:
    """A node of the outline. `number` is the normalised label ("7", "(1)", "III"); "" when unnumbered."""

    family: str
    number: str
    marker: str  # the label as printed: "7.", "（一）", "- (1)" → "(1)"
    heading: str
    line: int
    paragraphs: list[str] = field(default_factory=list)
    heading_en: str = ""  # the document's own English heading (bilingual), or a curated title where known
    reading: Reading | None = field(default=None, repr=False, compare=False)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    @property
    def number_path(self) -> str:
        """Labels from the top joined: "7", "1(1)", "2.III.A"; unnumbered ancestors are skipped."""
        labels = [s.number for s in self.lineage() if s.number]
        out = ""
        for label in labels:
            if is_self_contained(label):
                out = label  # a decimal number is a path of its own: 1.2.3, Section 1.2
            else:
                out += label if (not out or label.startswith("(")) else f".{label}"
        return out

    @property
    def label(self) -> str:
        """The label as printed, without its closing dot, 、 or colon: "1.1", "（一）", "第一章", "(a)"."""
        return self.marker.rstrip(".、:：．").strip()

    @property
    def title(self) -> str:
        """The heading as a path element: marker and heading, e.g. "7. 創建「香港食品產業園」"."""
        return f"{self.marker} {self.heading}".strip() if self.marker else self.heading

    def lineage(self) -> list[Section]:
        chain, node = [], self
        while node is not None and node.family != "root":
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def path(self) -> tuple[str, ...]:
        return tuple(s.title for s in self.lineage() if s.title)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def text_length(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def parse_document(text: str, front_matter_lines: int | None = None) -> Section:
    """Parse a document's text into a section tree; the root holds front matter as its heading."""
    lines = clean_lines(text)
    wrap = wrap_width(lines)
    compounds = hyphenated_words(text)
    letter_end = _cover_letter_end(lines) if front_matter_lines is None else 0
    if letter_end:
        front, body = [line for line in lines[:letter_end] if not line.letter], lines[letter_end:]
        dated = _dated_title_block(body)  # the submission's own title block after its cover letter
        front, body = front + body[:dated], body[dated:]
    elif front_matter_lines is None and _letter_subject(lines):
        front, body = lines[:1], lines[1:]  # a submission written as a letter: its subject line is its title
    else:
        front, body = _split_front_matter(lines, front_matter_lines, wrap)
    root = Section(family="root", number="", marker="", heading=" ".join(line.text for line in front), line=0)
    if letter_end:  # the letter's text is the preamble's, as written: no heading, however short a line of it
        root.paragraphs += [_item_text(b) if b.kind == "numbered" else b.text.strip()
                            for b in make_blocks([line for line in lines[:letter_end] if line.letter], wrap, compounds)]
    blocks = make_blocks(body, wrap, compounds)
    _build_tree(root, blocks)
    _lift_restated_title(root)
    _join_translations(root)
    _join_halves(root)
    return root


def _join_translations(root: Section) -> None:
    """A bilingual paper that gives each section whole in one language and then in the other, each under its own
    heading ("I. Faster Registration …" and its text, then 「一、加快……」 and its text): the two are one section.
    As for a heading line followed by its translation, the Chinese number and heading name it and the English
    heading is its `heading_en`; its text is both. Read from the numbering, not from what the headings say: the
    second heading has the first's number in another family, its title is in the other language, and it is the
    first's only child or its next peer (neither with sections of its own). Once the paper is seen to be laid out
    so, unnumbered peers in the two languages side by side are joined too (Introduction, 引言)."""
    joined = False
    for parent in list(root.walk()):
        kids = parent.children
        for section in list(kids):
            if section not in kids:
                continue
            if len(section.children) == 1 and _translates(section, section.children[0]):
                _join(section, section.children[0])
                joined = True
            elif not section.children and (at := kids.index(section)) + 1 < len(kids) and (
                    not kids[at + 1].children and _translates(section, kids[at + 1])):
                _join(section, kids[at + 1])
                joined = True
    if not joined:
        return
    for parent in list(root.walk()):
        kids = parent.children
        for section in list(kids):
            if section not in kids or section.number or section.children:
                continue
            at = kids.index(section)
            if at + 1 < len(kids) and not kids[at + 1].number and not kids[at + 1].children and _other_language(
                    section.heading, kids[at + 1].heading):
                _join(section, kids[at + 1])


def _join_halves(root: Section) -> None:
    """A bilingual paper in two halves, the whole paper in one language and then the whole in the other under the
    same numbers (前言, 1, 1.1 … 結語; Foreword, 1, 1.1 … Conclusion): each section of the second half is its twin's
    of the first, joined as a heading and its translation are (`_join`). Only when the top-level sections fall
    into two halves that pair off exactly, number for number, every heading's twin in the other language."""
    kids = root.children
    half = len(kids) // 2
    if half < 2 or len(kids) % 2 or not all(_twins(a, b) for a, b in zip(kids[:half], kids[half:], strict=True)):
        return
    for first, second in zip(kids[:half], kids[half:], strict=True):
        _join_twins(first, second)


def _twins(first: Section, second: Section) -> bool:
    """The same section in two languages: the same number (or none), headings in the two languages, and their
    sections twins in turn."""
    return (first.number == second.number and first.family == second.family and not first.heading_en
            and not second.heading_en and _other_language(first.heading, second.heading)
            and len(first.children) == len(second.children)
            and all(_twins(a, b) for a, b in zip(first.children, second.children, strict=True)))


def _join_twins(first: Section, second: Section) -> None:
    for a, b in zip(first.children, list(second.children), strict=True):
        _join_twins(a, b)
    _join(first, second)


def _other_language(first: str, second: str) -> bool:
    """One heading in English and the other in Chinese, neither already carrying a translation."""
    return bool(first and second) and {is_latin(first), is_latin(second)} == {True, False} and (
        is_chinese(first) or is_chinese(second))


def _translates(first: Section, second: Section) -> bool:
    """`second` is `first` again in the other language: the same number in another family (I. / 一、), or the
    very same label (1.2 / 1.2)."""
    return (first.reading is not None and second.reading is not None
            and (first.family != second.family or first.number == second.number)
            and first.reading.ordinal == second.reading.ordinal and not first.heading_en and not second.heading_en
            and _other_language(first.heading, second.heading))


def _join(first: Section, second: Section) -> None:
    """`second` (the next peer or the only child of `first`) and `first` as one section, in `first`'s place."""
    chinese, english = (second, first) if is_latin(first.heading) else (first, second)
    first.family, first.number, first.marker = chinese.family, chinese.number, chinese.marker
    first.heading, first.reading, first.heading_en = chinese.heading, chinese.reading, english.heading
    first.paragraphs = first.paragraphs + second.paragraphs
    if second.parent is first:
        first.children.remove(second)
    else:
        second.parent.children.remove(second)
    for child in second.children:
        child.parent = first
    first.children, second.children = first.children + second.children, []


def _lift_restated_title(root: Section) -> None:
    """An unnumbered heading with no text of its own over every numbered section of the document, the only one
    over any, and in capitals as they are ("SUBMISSION ON THE 2027-28 BUDGET" above "A. FINANCE …" … "F. PEOPLE …",
    then "CLOSING REMARKS") is their peer in print, restating the title: it divides nothing, so its sections are
    the document's own, and its line stays as text of the preamble. (A Title Case heading over capitals, or over
    sections in Title Case, is the kind of heading that groups them.)"""
    dividers = [s for s in root.children if not s.number and any(c.number for c in s.children)]
    if len(dividers) != 1 or any(s.number for s in root.children):
        return
    divider = dividers[0]
    numbered = [c for c in divider.children if c.number]
    if (divider.paragraphs or divider.heading_en or not _capitals(divider.heading)
            or not all(_capitals(c.heading) for c in numbered)):
        return
    at = root.children.index(divider)
    for child in divider.children:
        child.parent = root
    root.children[at : at + 1] = divider.children
    root.paragraphs.append(divider.heading)


def _cover_letter_end(lines: list[Line]) -> int:
    """Where the document proper starts after a cover letter that opens it (a title block or cover page, at most,
    before the letter): the line after the letter's last; 0 when none opens it, or when the letter is the
    submission itself (`_is_the_document`)."""
    marked = [k for k, line in enumerate(lines) if line.letter]
    if not marked or marked[0] > _COVER_MAX_LINES or any(readings_of(line) for line in lines[: marked[0]]):
        return 0
    return 0 if _is_the_document(lines, marked) else marked[-1] + 1


def _is_the_document(lines: list[Line], marked: list[int]) -> bool:
    """A letter followed by nothing but an annex (附件, Appendix), and saying more than the annex does, is the
    submission itself, not a letter covering one: its headings are the submission's sections."""
    rest = lines[marked[-1] + 1:]
    letter = sum(len(lines[k].text) for k in marked)
    return (not rest or _GROUP_START.match(rest[0].text.strip(" *")) is not None) and letter > sum(
        len(line.text) for line in rest)


def _letter_subject(lines: list[Line]) -> bool:
    """A submission written as a letter (`_is_the_document`) opens, after its salutation, with its subject: a short
    line that is no sentence and has no number (《2027-28年度財政預算案》諮詢——本會意見, "Re: the 2027-28 Budget")."""
    marked = [k for k, line in enumerate(lines) if line.letter]
    if not marked or marked[0] != 0 or not _is_the_document(lines, marked):
        return False
    first = lines[0].text.strip()
    return display_width(first) <= _GROUP_MAX_WIDTH * 2 and not _finished_sentence(first) and not readings_of(lines[0])


def _capitals(heading: str) -> bool:
    return is_latin(heading) and heading.isupper()


def _split_front_matter(lines: list[Line], count: int | None, wrap: int | None) -> tuple[list[Line], list[Line]]:
    if count is None:
        cover = [line for line in lines if line.page == lines[0].page] if lines else []
        if (
            cover
            and len(cover) < len(lines)
            and len(cover) <= _COVER_MAX_LINES
            and not any(_finished_sentence(line.text) or line.footnote for line in cover)
            and not _wrapped(cover, wrap)
        ):
            return cover, lines[len(cover):]  # a cover page: title block, date, and nothing to read
        dated = _dated_title_block(lines)
        if dated:
            return lines[:dated], lines[dated:]
        count = 0
        while (count < min(4, len(lines)) and _is_short_plain(lines[count].text) and not readings_of(lines[count])
               and not _front_part({lines[count].text.strip().rstrip("：:").casefold()})):  # 摘要 opens the body
            count += 1
    return lines[:count], lines[count:]


def _wrapped(lines: list[Line], wrap: int | None) -> bool:
    """Whether two lines in a row fill the wrap width: a paragraph runs on there (a summary on the first page,
    its sentences ending mid-line), as no title block does."""
    if wrap is None:
        return False
    full = [display_width(line.text) >= wrap - 3 for line in lines]
    return any(a and b for a, b in zip(full, full[1:], strict=False))


def _dated_title_block(lines: list[Line]) -> int:
    """Lines in a title block that ends with its date ("November 2025"): short title lines, none a sentence or a
    numbered heading, then the date. 0 when the document does not open that way."""
    for k, line in enumerate(lines[:_TITLE_BLOCK_MAX]):
        if is_dated_line(line.text):
            k += 1
            while k < len(lines) and is_date_line(lines[k].text):
                k += 1  # the date again in the other language ("February 2026" / "二〇二六年二月")
            return k
        if display_width(line.text) > _TITLE_LINE_MAX or _finished_sentence(line.text) or readings_of(line):
            return 0
    return 0


_CAPTION = re.compile(r"^(?:[表圖图]|(?:Table|Figure|Fig\.|Chart|Exhibit|Diagram)\s)\s*"
                      r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:[\s\u3000:：.．、]|$)", re.IGNORECASE)


def _finished_sentence(text: str) -> bool:
    """Ends a sentence with a full stop or mark, not a colon (a title may end "OPENING NEW ROUTES:")."""
    return ends_sentence(text) and text.rstrip().rstrip("」』）)”’】》")[-1:] not in "：:"


def readings_of(line: Line) -> list[Reading]:
    return readings(line.text)


def _is_short_plain(text: str) -> bool:
    return display_width(text) <= _GROUP_MAX_WIDTH and not ends_sentence(text)


def _is_group_heading(block: Block, following: Block | None, after_break: bool) -> str | None:
    """The family of an unnumbered heading ("part", "label", "group"), or None for a paragraph.

    `after_break`: the text before it ended a sentence or was a heading (a heading never interrupts one).
    """
    text = block.text.strip()
    if block.kind != "text" or len(block.lines) != (2 if block.rest_en else 1) or not text:
        return None
    if _CAPTION.match(text) or _COLUMNS.search(block.first.raw.strip()) or is_drawn_row(text):
        return None  # "表1　會員類別", "Table 2: Arrivals": a table's title, not the document's; or its cells
    if not re.search(r"[^\W\d_]", text):
        return None  # no word at all: a table's edge ("+-----+"), a rule
    if is_latin(text):
        return _english_group_heading(text, following, after_break, block.first.blank_before)
    if display_width(text) > _GROUP_MAX_WIDTH:
        return None  # too long
    if _DATE_LINE.match(text) or text.startswith(("資料來源", "来源", "Source")) or text[-1] in "，、,；。！？":
        return None
    if text.endswith(("：", ":")):
        label = text[:-1].strip()
        if label in PART_WORDS:
            return "part"
        if following is not None and following.kind == "text" and following.text.rstrip()[-1:] in "；;":
            return None  # it introduces a list of clauses ("…入手：" / "一是……；"), as a lead-in does
        if len(label) <= 12 and not _LEAD_IN.search(text):
            return "label"
        return None
    if _GROUP_START.match(text):
        return "group"
    if re.search("[，、；,;]", text):
        return None  # topic headings in these documents never carry clause punctuation; table cells do
    if following is None or not after_break:
        return None
    # A heading introduces something substantial: a numbered section or a real paragraph, not a table cell.
    if (
        following.kind == "numbered"
        or len(following.lines) > 1
        or display_width(following.text) > _GROUP_MAX_WIDTH
        or ends_sentence(following.text)
    ):
        return "group"
    return None


def _english_group_heading(text: str, following: Block | None, after_break: bool,
                           blank_before: bool = False) -> str | None:
    """An unnumbered English heading: Title Case or capitals, short, after a finished sentence (or, for an annex
    or appendix, after a blank line: it may follow a sign-off's name and date)."""
    if not is_english_heading(text.rstrip(":"), numbered=False):
        return None
    if not after_break and not (_GROUP_START.match(text) and blank_before):
        return None
    if text.upper() == text and len(text.split()) >= 2 or _GROUP_START.match(text):
        return "group"  # capitals (or an appendix) announce a part of their own, whatever follows
    if text.endswith(":") and following is not None and following.kind == "bullet":
        return None  # "We ask the Government to:" introduces its bullets
    if following is not None and (
        following.kind == "numbered" or len(following.lines) > 1 or ends_sentence(following.text)
        or _opens_table(following)
    ):
        return "group"
    return None


# A drawn table's edge or row: "+-----+-----+", "|-----|", "| A1 | Pre-arrival processing |"
_TABLE_EDGE = re.compile(r"^[+|](?:[-=+:|\s]*[-=]{3,}[-=+:|\s]*|.*\|)$")


def _opens_table(block: Block) -> bool:
    """The block is the top of a table (drawn, or in aligned columns): what a heading above it introduces."""
    first = block.first.raw.strip()
    return bool(_TABLE_EDGE.match(first) or _COLUMNS.search(first))


def _is_list_run(blocks: list[Block], start: int) -> int:
    """Length of a run of bare, short numbered lines of one family counting up from `start` (a summary list)."""
    first = blocks[start]
    if first.kind != "numbered":
        return 0
    end = start + 1
    while (
        end < len(blocks)
        and blocks[end].kind == "numbered"
        and _short_line(blocks[end].text)
        and any(is_next(blocks[end - 1].readings[0], r) for r in blocks[end].readings)
    ):
        end += 1
    return end - start if end - start >= 2 and _short_line(first.text) else 0


def _short_line(text: str) -> bool:
    """Short enough for a title: an English one runs to more characters than a Chinese one."""
    return len(text) <= (_EN_HEADING_MAX if is_latin(text) else _HEADING_MAX)


def _key(reading: Reading, text: str) -> tuple[str, str]:
    """What makes two numbered lines the same heading: the number and the words, case, spacing and a contents
    page number aside."""
    words = re.sub(r"\s+\d{1,3}$", "", unicodedata.normalize("NFKC", text).strip())
    return reading.number, re.sub(r"[\W_]+", "", words.casefold())


def _summary_items(blocks: list[Block]) -> set[int]:
    """Numbered lines repeated later with the same number and words: a summary or contents list, not sections.

    Only when nothing but other such items stands between a line and the first repeated heading: a chapter's
    "一、背景" that the next chapter repeats is a heading both times (the next chapter's heading stands between).
    """
    twin: dict[int, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for k in range(len(blocks) - 1, -1, -1):
        block = blocks[k]
        if block.kind != "numbered":
            continue
        key = _key(block.readings[0], block.text)
        if key[1] and key in seen:
            twin[k] = seen[key]
        seen[key] = k
    repeats = sorted(set(twin.values()))
    summary = set()
    for k in twin:
        body_starts = next(j for j in repeats if j > k)  # the first heading that some summary item repeats
        if all(m in twin for m in range(k + 1, body_starts) if blocks[m].kind == "numbered"):
            summary.add(k)
    return summary | _summary_runs(blocks, twin)


def _summary_runs(blocks: list[Block], twin: dict[int, int]) -> set[int]:
    """A summary that lists headings with items under them ("Section C: Trade Finance" / "1) … – halve the
    premium"): two or more repeated headings in the same order as their later copies, all before the first copy,
    with nothing but numbered lines between them. The items under them (numbered lines of the
    families seen between the headings, up to the next other line) are summary too."""
    found: set[int] = set()
    starts = sorted(twin)
    runs: list[list[int]] = []
    for k in starts:
        previous = runs[-1][-1] if runs else None
        close = previous is not None and twin[previous] < twin[k] and all(
            b.kind == "numbered" for b in blocks[previous + 1 : k])
        if close:
            runs[-1].append(k)
        else:
            runs.append([k])
    for run in runs:
        if len(run) < 2 or run[-1] > min(twin[k] for k in run):
            continue
        inside = {m for m in range(run[0], run[-1] + 1) if blocks[m].kind == "numbered"}
        families = {blocks[m].readings[0].family for m in inside if m not in twin}
        end = run[-1] + 1
        while end < len(blocks) and blocks[end].kind == "numbered" and blocks[end].readings[0].family in families:
            inside.add(end)
            end += 1
        found |= inside
    return found


def _item_text(block: Block) -> str:
    """A numbered line kept as text: its label and words, as printed."""
    return join_wrapped(block.marker.strip(), block.text.strip())


def _build_tree(root: Section, blocks: list[Block]) -> None:
    stack: list[Section] = [root]
    summaries: dict[int, set[tuple[str, str]]] = {}  # id(section) → keys of the headings its summary lists
    sub_heading_hosts: set[str] = set()  # families of numbered sections that hold unnumbered sub-headings
    divided: set[str] = set()  # families of numbered sections that an unnumbered heading parents (a divider)
    summary_items = _summary_items(blocks)
    after_break, lead_in = True, False
    open_list: Reading | None = None  # the last numbered item kept inside a paragraph
    i = 0
    while i < len(blocks):
        block = blocks[i]
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if i in summary_items:
            summaries.setdefault(id(stack[-1]), set()).add(_key(block.readings[0], block.text))
            stack[-1].paragraphs.append(_item_text(block))
            i += 1
            after_break = True
            continue
        run = _is_list_run(blocks, i)
        if run:
            # A summary list (items with no text of their own) stays body text of the current section.
            for item in blocks[i : i + run]:
                stack[-1].paragraphs.append(_item_text(item))
            i += run
            after_break = True
            continue
        if block.kind == "numbered":
            reading = _resolve(block.readings, stack)
            if reading is None or _is_item(block, reading, lead_in, open_list):
                stack[-1].paragraphs.append(_item_text(block))
                open_list = reading
                after_break, lead_in = True, ends_sentence(block.text) and block.text.rstrip()[-1] in "：:"
                i += 1
                continue
            _close_summary(stack, summaries, _key(reading, block.text))
            _close_front_part(stack)
            heading, paragraph = _numbered_heading(block)
            section = Section(reading.family, reading.number, _printed(reading.marker), heading, block.first.number,
                              heading_en=block.rest_en, reading=reading)
            _open(stack, section)
            if section.parent is not None and section.parent.family == "group":
                divided.add(section.family)
            if paragraph:
                stack[-1].paragraphs.append(paragraph)
            after_break, lead_in, open_list = True, False, None
        elif (group := _is_group_heading(block, following, after_break)) is not None:
            heading = block.text.strip().rstrip("：:").strip() if group != "group" else block.text.strip()
            section = Section(group, "", "", heading, block.first.number, heading_en=block.rest_en)
            host = _sub_heading_host(section, stack, blocks[i + 1 :], sub_heading_hosts, divided)
            if host is not None:
                sub_heading_hosts.add(stack[host].family)
                del stack[host + 1 :]
                _open(stack, section, unnumbered=True, inside=True)
            else:
                _close_sub_headings(stack)
                _open(stack, section, unnumbered=True)
            after_break, lead_in, open_list = True, False, None
        else:
            stack[-1].paragraphs.append(block.text.strip())
            if block.rest_en:
                stack[-1].paragraphs.append(block.rest_en)  # a translated pair that is not a heading stays text
            # a bullet item is complete; so is a table (its last row ends no sentence)
            after_break = block.kind == "bullet" or ends_sentence(block.text) or bool(
                _COLUMNS.search(block.lines[-1].raw.strip()))
            lead_in = block.kind == "text" and block.text.rstrip()[-1:] in ("：", ":")
            if block.kind == "text" and not block.first.footnote:
                open_list = None if not lead_in else open_list
        i += 1


def _is_item(block: Block, reading: Reading, lead_in: bool, open_list: Reading | None) -> bool:
    """Is this numbered line an item of a list inside a paragraph rather than a heading?

    English: a running sentence ("(i) a subsidised course that …"). Any language: the items of a list that a
    paragraph introduces with a colon, unless they are short titles, and the items that continue such a list.
    """
    text = block.text.strip()
    if open_list is not None and is_next(open_list, reading):
        return True
    if is_run_in(text, len(block.lines)):
        return True
    if reading.family.startswith("decimal") and not _is_title(text):
        return True  # "1.5 million visitors …" at a line start is a number, not a heading
    glued = reading.marker[-1:] not in "、：:.．" and block.first.text[len(reading.marker):][:1].isalpha()
    if reading.family.startswith("chapter") and glued and ends_sentence(text) and len(block.lines) == 1:
        return True  # "第三條的規定不適用。": a sentence citing an article, not the article's heading
    if not lead_in:
        return False
    if is_latin(text):
        return not _is_title(text)
    # Chinese list items read "入门层：为……；": a short label and its explanation, or a clause closed by ；.
    # A long numbered paragraph after a colon is a numbered section (a paragraph item with its own lead).
    return text.endswith(("；", ";")) or bool(_LABELLED_ITEM.match(text))


def _is_title(text: str) -> bool:
    """A short title rather than a sentence or a paragraph item."""
    if is_latin(text):
        return len(text) <= _EN_HEADING_MAX and is_english_heading(text, numbered=True)
    if re.search("[：:]", text.rstrip("：:")):
        return False  # "入门层：为……": a label and its explanation
    sentences = re.findall(r"[^。！？]*[。！？]", text)
    return len(text) <= _ITEM_HEADING_MAX and (not ends_sentence(text) or len(sentences) <= 1)


def _sub_heading_host(
    section: Section, stack: list[Section], rest: list[Block], hosts: set[str], divided: set[str]
) -> int | None:
    """Depth in `stack` of the numbered section that an unnumbered heading sits inside, or None when it is a
    divider at its own level.

    It sits inside an open numbered section when the next numbered title continues that section's list
    ("i. Data" · "Data Flows" · "ii. Payments"), or when the document already put unnumbered sub-headings
    inside sections of that family. Not when unnumbered headings already divide that family's list (a group
    heading above "1.", numbering running on across groups), and parts that open or close a report (a summary,
    a conclusion, an appendix) are never sub-headings."""
    names = {section.heading.strip().rstrip("：:").casefold(), section.heading_en.strip().rstrip(":").casefold()}
    if section.family != "group" or _front_part(names) or names & BACK_PARTS or _GROUP_START.match(section.heading):
        return None
    numbered = [(depth, s) for depth, s in enumerate(stack) if s.reading is not None]
    if not numbered:
        return None
    if stack[-1].reading is not None and not stack[-1].paragraphs and not stack[-1].children:
        return len(stack) - 1  # right under a numbered title, before any text of it: that section's sub-heading
    upcoming = next((b for b in rest if b.kind == "numbered" and _is_title(b.text.strip())), None)
    if upcoming is not None:
        for depth, open_section in reversed(numbered):
            if any(is_next(open_section.reading, r) for r in upcoming.readings):
                if open_section.family not in divided:
                    return depth
                # Unnumbered headings divide this list: this one is a divider when the next title follows it
                # at once, a sub-heading when it has text and the family already holds sub-headings.
                immediate = bool(rest) and rest[0] is upcoming
                return depth if open_section.family in hosts and not immediate else None
    for depth, open_section in reversed(numbered):
        if open_section.family in hosts:
            return depth
    return None


def _close_sub_headings(stack: list[Section]) -> None:
    """A heading at its own level closes any unnumbered sub-heading and the numbered section holding it."""
    for depth, section in enumerate(stack[1:], start=1):
        if section.family == "group" and section.parent is not None and section.parent.reading is not None:
            del stack[depth - 1 :]
            return


def _close_summary(stack: list[Section], summaries: dict[int, set[tuple[str, str]]], key: tuple[str, str]) -> None:
    """A heading that an open unnumbered section (an executive summary) listed is not that section's child."""
    for depth, section in enumerate(stack[1:], start=1):
        if not section.number and key in summaries.get(id(section), ()):
            del stack[depth:]
            return


def _close_front_part(stack: list[Section]) -> None:
    """A numbered section after an introduction or a summary is the introduction's sibling, not its child."""
    for depth, section in enumerate(stack[1:], start=1):
        names = {section.heading.strip().rstrip("：:").casefold(), section.heading_en.strip().rstrip(":").casefold()}
        if not section.number and _front_part(names):
            del stack[depth:]
            return


def _open(stack: list[Section], section: Section, unnumbered: bool = False, inside: bool = False) -> None:
    """Place a new heading: a family already open closes back to it (sibling); a new family nests.

    `inside`: an unnumbered sub-heading that nests under the open numbered section."""
    families = [s.family for s in stack]
    above = _capitals_above(stack, section) if unnumbered and section.family == "group" and not inside else None
    if inside:
        pass  # the caller closed the stack back to the host; an outer group of the same family stays open
    elif above is not None:
        del stack[above + 1 :]
    elif section.family in families:
        del stack[families.index(section.family) :]
    elif unnumbered and section.family == "group" and not inside:
        # A plain group heading is a divider above numbered sections: it closes them, except that it nests
        # under a part or label heading that has no text of its own yet (附錄 → 六大優勢).
        while len(stack) > 1 and stack[-1].family not in ("part", "label"):
            stack.pop()
    parent = stack[-1]
    section.parent = parent
    parent.children.append(section)
    stack.append(section)


def _capitals_above(stack: list[Section], section: Section) -> int | None:
    """Depth of the open English heading in capitals ("OUR PROPOSALS") that a Title Case heading ("Financing")
    sits under: capitals with no text of their own rank above Title Case. None when there is none, or for a part
    that opens or closes a report, or an appendix."""
    heading = section.heading.strip().rstrip(":")
    if not is_latin(heading) or heading.isupper() or not _is_body_part(section):
        return None
    for depth in range(len(stack) - 1, 0, -1):
        open_section = stack[depth]
        text = open_section.heading.strip().rstrip(":")
        if (
            open_section.family == "group"
            and is_latin(text)
            and text.isupper()
            and not open_section.paragraphs  # a pure divider: a capitals heading with text of its own is a section
            and _is_body_part(open_section)
        ):
            return depth
    return None


def _is_body_part(section: Section) -> bool:
    name = section.heading.strip().rstrip("：:").casefold()
    return not _front_part({name}) and name not in BACK_PARTS and not _GROUP_START.match(section.heading)


def _resolve(candidates: list[Reading], stack: list[Section]) -> Reading | None:
    """Pick a reading for ambiguous labels (`I.` roman or letter, `(i)`): the one that continues an open list.

    A decimal label (`1.2`) counts only where it fits the outline: its parent (`1`) or its previous sibling
    (`1.1`) is open, or it is a first child (`x.1`); otherwise it is a number at the start of a line.
    """
    valid = [r for r in candidates if not r.family.startswith("decimal") or _decimal_fits(r, stack)]
    if len(valid) <= 1:
        return valid[0] if valid else None
    open_readings = {s.family: s.reading for s in stack if s.reading is not None}
    for reading in valid:
        if is_next(open_readings.get(reading.family), reading):
            return reading
    for reading in valid:
        twin = _LETTER_TWIN.get(reading.family)
        if twin and reading.ordinal == 1 and twin not in open_readings:
            return reading
    non_roman = [r for r in valid if r.family not in _LETTER_TWIN]
    return non_roman[0] if non_roman else valid[0]


def _decimal_fits(reading: Reading, stack: list[Section]) -> bool:
    parent = decimal_parent(reading.value)
    for section in stack:
        open_reading = section.reading
        if open_reading is None:
            continue
        if open_reading.family == reading.family and is_next(open_reading, reading):
            return True
        if (open_reading.family == reading.family and open_reading.value == reading.value
                and _other_language(section.heading, reading.rest.strip())):
            return True  # the open section's heading again in the other language: its translation (`_translates`)
        if open_reading.value == parent and reading.ordinal == 1:
            return True
    return reading.ordinal == 1 and not any(s.family == reading.family for s in stack)


def _printed(marker: str) -> str:
    return marker.strip().rstrip("：:")


def _numbered_heading(block: Block) -> tuple[str, str]:
    """(heading, first paragraph) of a numbered block: a short title, or a paragraph item with a lead."""
    text = block.text.strip()
    if is_latin(text) and _is_title(text):
        return text, ""
    sentences = re.findall(r"[^。！？]*[。！？]", text)
    is_title = len(text) <= _HEADING_MAX and (not ends_sentence(text) or len(sentences) <= 1)
    if is_title and not text.endswith(("：", ":")):
        return text, ""
    bold = _BOLD_LEAD.match(block.first.raw)
    if bold:
        return bold.group(1).strip(), text
    if sentences and len(sentences[0]) <= _ITEM_HEADING_MAX:
        return sentences[0], text
    return "", text

def outline_path(section: Section) -> str:
    """The section's path in the outline convention (gold `section` values): a self-contained decimal label
    ("1.1") stands alone, other labels append to the nearest numbered ancestor's path ("2.2(a)", "一（一）1",
    "IIIA"); an unnumbered section's path is its heading."""
    if not section.number:
        return section.heading
    label = section.label
    if is_self_contained(label):
        return label
    node = section.parent
    while node is not None and node.family != "root" and not node.number:
        node = node.parent
    return (outline_path(node) if node is not None and node.family != "root" else "") + label


def outline_rows(root: Section) -> list[tuple[int, str, str, int]]:
    """(depth, number path, heading, text length) for every section, in document order."""
    rows = []
    for section in root.walk():
        if section is root:
            continue
        depth = len(section.lineage()) - 1
        rows.append((depth, section.number_path, section.heading, section.text_length))
    return rows
