"""The numbered-section parser: source lines → a tree of Sections.

Handles every numbering family in the corpus, mixed in one document (`1.`, `1、`, `一、`, `（一）`, `(1)`,
`- (1)`, `I.`, `A.`, `策略一`), unnumbered group headings, and documents with no numbers at all. A new
heading whose family is already open closes it and becomes its sibling; an unseen family opens a child.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rag.corpus.cleaning import Line, clean_lines, display_width, ends_sentence

CJK_NUMERALS = "〇一二三四五六七八九十"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Short labels that name a part of a report rather than a topic.
PART_WORDS = frozenset({"提要", "摘要", "撮要", "正文", "附錄", "附件", "前言", "引言", "結語", "總結", "目錄"})

_NUMBERED = [
    # (family, pattern); group 1 is the marker as printed, group 2 the value. Order matters.
    ("arabic_paren", re.compile(r"^(?:-\s*)?([（(](\d{1,2})[）)])\s*")),
    ("cjk_paren", re.compile(rf"^(?:-\s*)?([（(]([{CJK_NUMERALS}]{{1,3}})[）)])\s*")),
    ("cjk_dun", re.compile(rf"^(([{CJK_NUMERALS}]{{1,3}})、)\s*")),
    ("arabic_dun", re.compile(r"^((\d{1,2})、)\s*")),
    # `3.15%` and `381.3 萬人` are numbers, not headings: the dot must not be followed by a digit.
    ("arabic_dot", re.compile(r"^((\d{1,2})\.)(?!\d)\s*(?=[^\s\d%])")),
    ("strategy", re.compile(rf"^(策略([{CJK_NUMERALS}]{{1,3}})[：:]?)\s*")),
    ("roman", re.compile(r"^((X{0,1}(?:IX|IV|V?I{0,3}))\.)\s+(?=\S)")),
    ("letter", re.compile(r"^(([A-Z])\.)\s+(?=\S)")),
]
_BULLET = re.compile(r"^(?:[•●▪■◆◇○\uf06c\uf0b7\uf0a7\uf0d8\uf076]\s*|o\s+(?=[^\x00-\x7f])|-\s+(?![（(]))")
_DECIMAL_LABEL = re.compile(r"\d{1,2}(?:\.\d{1,2})+")
_DATE_LINE = re.compile(r"^\d{4}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?$")
_LEAD_IN = re.compile(r"(如下|以下|包括|例如|如次)[：:]$")
_BOLD_LEAD = re.compile(r"^\s*(?:-\s*)?\S+?\s*\*\*(.+?)\*\*")
_ITEM_HEADING_MAX = 25  # a numbered paragraph's first sentence counts as its heading up to this length
_HEADING_MAX = 60  # a numbered line longer than this is a paragraph item, not a title
_GROUP_MAX_WIDTH = 50  # columns: an unnumbered heading is at most about 25 CJK characters


@dataclass
class Section:
    """A node of the outline. `number` is the normalised label ("7", "(1)", "III"); "" when unnumbered."""

    family: str
    number: str
    marker: str  # the label as printed: "7.", "（一）", "- (1)" → "(1)"
    heading: str
    line: int
    paragraphs: list[str] = field(default_factory=list)
    heading_en: str = ""  # curated English title (corpus/section_titles.tsv), where known
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    @property
    def number_path(self) -> str:
        """Labels from the top joined: "7", "1(1)", "2.III.A"; unnumbered ancestors are skipped."""
        labels = [s.number for s in self.lineage() if s.number]
        out = ""
        for label in labels:
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


@dataclass
class _Block:
    kind: str  # "numbered" | "bullet" | "text"
    lines: list[Line]
    candidates: list[tuple[str, str, str]] = field(default_factory=list)  # (family, marker, value)
    rest: str = ""  # text after the marker or bullet

    @property
    def text(self) -> str:
        return self.rest

    @property
    def first(self) -> Line:
        return self.lines[0]


def parse_document(text: str, front_matter_lines: int | None = None) -> Section:
    """Parse a document's text into a section tree; the root holds front matter as its heading."""
    lines = clean_lines(text)
    wrap = _wrap_width(lines)
    front, body = _split_front_matter(lines, front_matter_lines, wrap)
    root = Section(family="root", number="", marker="", heading=" ".join(line.text for line in front), line=0)
    blocks = _blocks(body, wrap)
    _build_tree(root, blocks, wrap)
    return root


def _wrap_width(lines: list[Line]) -> int | None:
    """The column width a hard-wrapped document was broken at, or None when lines are whole paragraphs."""
    widths = [w for w in (display_width(line.text) for line in lines) if w >= 30]
    if len(widths) < 20:
        return None
    counts = Counter(widths)
    best = max(counts, key=lambda w: sum(counts[x] for x in range(w - 3, w + 2)))
    share = sum(counts[x] for x in range(best - 3, best + 2)) / len(lines)
    return best if share >= 0.3 else None


def _is_full(line: Line, wrap: int | None) -> bool:
    return wrap is not None and display_width(line.text) >= wrap - 5


def _closes_paragraph(line: Line, wrap: int | None) -> bool:
    """Does the paragraph end with this line? Hard-wrapped text ends where a line falls short of the width."""
    if wrap is None:
        text = line.text
        # Whole-paragraph lines: a line breaks off mid-paragraph where it neither ends a sentence nor reads
        # as a heading (short, no comma).
        return ends_sentence(text) or (display_width(text) <= 60 and not re.search("[，、,；]", text))
    if not _is_full(line, wrap):
        return True
    # A full line ending in 。 may be a wrap that happened to fall after a full stop; the extractor marks
    # real paragraph ends with a trailing space.
    return ends_sentence(line.text) and line.raw != line.raw.rstrip()


def _split_front_matter(lines: list[Line], count: int | None, wrap: int | None) -> tuple[list[Line], list[Line]]:
    if count is None:
        count = 0
        while (
            count < min(4, len(lines)) and _is_short_plain(lines[count].text) and not _match_numbered(lines[count].text)
        ):
            count += 1
    return lines[:count], lines[count:]


def _is_short_plain(text: str) -> bool:
    return display_width(text) <= _GROUP_MAX_WIDTH and not ends_sentence(text)


def _match_numbered(text: str) -> list[tuple[str, str, str, str]]:
    """All readings of a line's leading label: (family, marker, value, rest)."""
    found = []
    for family, pattern in _NUMBERED:
        m = pattern.match(text)
        if m and m.group(2):
            found.append((family, m.group(1), m.group(2), text[m.end() :]))
    return found


def _blocks(lines: list[Line], wrap: int | None) -> list[_Block]:
    """Reflow lines into blocks: numbered lines, bullets and paragraphs, joining hard-wrapped lines."""
    blocks: list[_Block] = []
    open_block = False
    for line in lines:
        if line.footnote:
            # A footnote is a paragraph of its own, wherever the extractor dropped it.
            if blocks and blocks[-1].first.footnote == line.footnote:
                blocks[-1].lines.append(line)
                blocks[-1].rest = _join(blocks[-1].rest, line.text)
            else:
                blocks.append(_Block("text", [line], rest=line.text))
            open_block = False
            continue
        numbered = _match_numbered(line.text)
        bullet = _BULLET.match(line.text)
        if numbered:
            rest = numbered[0][3]
            blocks.append(_Block("numbered", [line], [(f, m, v) for f, m, v, _ in numbered], rest))
        elif bullet:
            blocks.append(_Block("bullet", [line], rest=line.text[bullet.end() :]))
        elif open_block and blocks:
            block = blocks[-1]
            block.lines.append(line)
            block.rest = _join(block.rest, line.text)
        else:
            blocks.append(_Block("text", [line], rest=line.text))
        # The extractor marks a numbered heading's end with a trailing space even when the line is full.
        heading_end = numbered and line.raw != line.raw.rstrip()
        open_block = not (heading_end or _closes_paragraph(line, wrap))
    return blocks


def _join(left: str, right: str) -> str:
    """Join a wrapped line: nothing between CJK characters, one space between Latin words or numbers."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _is_group_heading(block: _Block, following: _Block | None, after_break: bool) -> str | None:
    """The family of an unnumbered heading ("part", "label", "group"), or None for a paragraph.

    `after_break`: the text before it ended a sentence or was a heading (a heading never interrupts one).
    """
    text = block.text.strip()
    if block.kind != "text" or len(block.lines) != 1 or display_width(text) > _GROUP_MAX_WIDTH:
        return None
    if _DATE_LINE.match(text) or text.startswith(("資料來源", "来源", "Source")) or text[-1] in "，、,；。！？":
        return None
    if text.endswith(("：", ":")):
        label = text[:-1].strip()
        if label in PART_WORDS:
            return "part"
        if len(label) <= 12 and not _LEAD_IN.search(text):
            return "label"
        return None
    if re.match(r"^(附表|附錄|附件|表\s*\d|圖\s*\d)", text):
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


def _is_list_run(blocks: list[_Block], start: int) -> int:
    """Length of a run of bare, short, same-family numbered lines starting at `start` (a summary list)."""
    first = blocks[start]
    if first.kind != "numbered":
        return 0
    family = first.candidates[0][0]
    end = start
    while (
        end < len(blocks)
        and blocks[end].kind == "numbered"
        and blocks[end].candidates[0][0] == family
        and len(blocks[end].text) <= _HEADING_MAX
    ):
        end += 1
    return end - start if end - start >= 2 else 0


def _build_tree(root: Section, blocks: list[_Block], wrap: int | None) -> None:
    stack: list[Section] = [root]
    after_break = True
    i = 0
    while i < len(blocks):
        block = blocks[i]
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        run = _is_list_run(blocks, i)
        if run:
            # A summary list (items with no text of their own) stays body text of the current section.
            for item in blocks[i : i + run]:
                stack[-1].paragraphs.append(f"{item.candidates[0][1]}{item.text}")
            i += run
            after_break = True
            continue
        if block.kind == "numbered":
            family, marker, value = _resolve_family(block.candidates, stack)
            heading, paragraph = _numbered_heading(block)
            _open(stack, Section(family, _normalise(family, value), _printed(marker), heading, block.first.number))
            if paragraph:
                stack[-1].paragraphs.append(paragraph)
            after_break = True
        elif (group := _is_group_heading(block, following, after_break)) is not None:
            heading = block.text.strip().rstrip("：:").strip() if group != "group" else block.text.strip()
            section = Section(group, "", "", heading, block.first.number)
            _open(stack, section, unnumbered=True)
            after_break = True
        else:
            stack[-1].paragraphs.append(block.text.strip())
            after_break = ends_sentence(block.text)
        i += 1


def _open(stack: list[Section], section: Section, unnumbered: bool = False) -> None:
    """Place a new heading: a family already open closes back to it (sibling); a new family nests."""
    families = [s.family for s in stack]
    if section.family in families:
        del stack[families.index(section.family) :]
    elif unnumbered and section.family == "group":
        # A plain group heading is a divider above numbered sections: it closes them, except that it nests
        # under a part or label heading that has no text of its own yet (附錄 → 六大優勢).
        while len(stack) > 1 and stack[-1].family not in ("part", "label"):
            stack.pop()
    parent = stack[-1]
    section.parent = parent
    parent.children.append(section)
    stack.append(section)


def _resolve_family(candidates: list[tuple[str, str, str]], stack: list[Section]) -> tuple[str, str, str]:
    """Pick a reading for ambiguous labels (`I.` roman or letter, `C.`): the one that continues an open list."""
    if len(candidates) == 1:
        return candidates[0]
    open_families = {s.family: s for s in stack}
    for family, marker, value in candidates:
        last = open_families.get(family)
        if last is not None and _is_next(family, last.number, value):
            return family, marker, value
    for family, marker, value in candidates:
        if family == "roman" and value == "I" and "letter" not in open_families:
            return family, marker, value
    non_roman = [c for c in candidates if c[0] != "roman"]
    return non_roman[0] if non_roman else candidates[0]


def _is_next(family: str, previous: str, value: str) -> bool:
    if family == "roman":
        return previous in ROMAN and value in ROMAN and ROMAN.index(value) == ROMAN.index(previous) + 1
    if family == "letter":
        return len(previous) == 1 and ord(value) == ord(previous) + 1
    return False


def _normalise(family: str, value: str) -> str:
    if family in ("arabic_paren", "cjk_paren"):
        return f"({value})"
    if family == "strategy":
        return f"策略{value}"
    return value


def _printed(marker: str) -> str:
    return marker.strip().rstrip("：:")


def _numbered_heading(block: _Block) -> tuple[str, str]:
    """(heading, first paragraph) of a numbered block: a short title, or a paragraph item with a lead."""
    text = block.text.strip()
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
    if _DECIMAL_LABEL.fullmatch(label):
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
