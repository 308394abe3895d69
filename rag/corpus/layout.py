"""Page layout that is not content: page breaks, running headers and footers, contents lists, cover letters,
closing sign-offs and cover pages. Found by shape and by repetition across pages, not by any document's words.

`analyse(raw_lines)` marks source lines; `cleaning.clean_lines` drops what is marked and keeps the page index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.corpus.numbering import readings
from rag.text.numbers import MONTHS
from rag.text.sentences import ends_sentence

# Page numbers in their common printed forms ("#" stands for any run of digits): "- 3 -", "Page 3 of 12",
# "p. 3", "3 / 12", "第 3 页 共 5 页", "第3頁". A bare number is left to the cleaner (it may open a footnote).
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*#\s*[-–—]|(?:page|p\.)\s*#(?:\s*(?:of|/)\s*#)?|#\s*/\s*#|#\s*(?:of)\s*#"
    r"|第\s*#\s*[页頁](?:\s*[,，、]?\s*共\s*#\s*[页頁])?|共\s*#\s*[页頁]\s*第\s*#\s*[页頁])$",
    re.IGNORECASE,
)
_LONE_NUMBER = re.compile(r"^\d{1,3}$")
# A contents entry: a title, a dotted leader, and usually a page number.
_LEADER = re.compile(r"[^\s._…·].*?(?:\.{4,}|…{2,}|·{4,}|(?:\s\.){4,})\s*\d{0,4}\s*$")
# … or, in Chinese, the addressee's title alone before a colon (司長：, 陳局長：, 各位議員：)
_SALUTATION = re.compile(r"^(?:dear\s+\S.*|to whom it may concern|敬啟者|敬启者|尊敬的\S.{0,20}"
                         r"|[\u4e00-\u9fff]{0,8}(?:司長|司长|局長|局长|署長|署长|處長|处长|主席|議員|议员|委員|委员|"
                         r"先生|女士|閣下|阁下|長官|长官|特首|部長|部长|秘書長|秘书长|會長|会长|總裁|总裁|總監|总监)[：:])"
                         r"[,，:：]?$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly)|(?:with\s+)?(?:best|kind|warm)\s+regards|sincerely|regards"
    r"|此致|顺颂|順頌|敬祝)\b.{0,20}$",
    re.IGNORECASE,
)
_MONTHS = "|".join(MONTHS)
_A_DATE = (rf"(?:(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+(?:\d{{1,2}},\s*)?\d{{4}}$"
           r"|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$"
           r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}日)?$)")
_DATE = re.compile(r"^(?:(?:date|dated|日期)\s*[:：]?\s*)?" + _A_DATE,  # "Date: 6 August 2026", 日期：2026年8月
                   re.IGNORECASE)
# A line that ends with a date, as a title block's last line may: "Submitted to the Financial Secretary on 15
# December 2026", 呈交日期 2026年8月12日
_DATED = re.compile(r"(?:^|[\s:：,，於于])" + _A_DATE, re.IGNORECASE)
_RULE_SHAPE = re.compile(r"^[_＿\-–—─━]{5,}$")  # a footnote rule: the cleaner reads the footnotes below it
_SHORT = 60  # columns: address, signature and title lines are short
_NEAR_BREAK = 2  # a running header or footer sits within this many lines of a page break
_COVER_MAX_LINES = 25


@dataclass(frozen=True)
class Layout:
    """Per source line: whether it is layout rather than content, and its page (0-based)."""

    dropped: frozenset[int]
    page: tuple[int, ...]
    letter: frozenset[int] = frozenset()  # a cover letter's body, between its salutation and its closing: content

    @property
    def pages(self) -> int:
        return (self.page[-1] + 1) if self.page else 0


def shape(text: str) -> str:
    """A line's shape for repetition tests: NFKC, spaces collapsed, every run of digits written "#"."""
    text = unicodedata.normalize("NFKC", text.replace("\f", "")).strip()
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text))


def is_date_line(text: str) -> bool:
    """A line that is only a date: "March 2026", "15 August 2025", "2025年8月", "二〇二五年八月"."""
    return bool(_DATE.match(re.sub(r"\s+", " ", text.replace("\f", "").strip())))


def is_dated_line(text: str) -> bool:
    """A line that is a date or ends with one ("Submitted to the Financial Secretary on 15 December 2026"), with
    no sentence end: a title block's last line."""
    text = re.sub(r"\s+", " ", text.replace("\f", "").strip())
    return is_date_line(text) or (not ends_sentence(text) and _DATED.search(text) is not None)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_contents_entry(line: str) -> bool:
    """A contents entry: a title, a dotted leader and usually a page number ("1. Scope ........ 3")."""
    return bool(_LEADER.search(line.strip()))


def analyse(raw_lines: list[str]) -> Layout:
    dropped: set[int] = set()
    breaks: list[int] = []  # indices where a new page begins
    for i, raw in enumerate(raw_lines):
        text = raw.replace("\f", "").strip()
        if "\f" in raw:
            breaks.append(i)
        if text and _PAGE_NUMBER.match(shape(text)):
            dropped.add(i)
            breaks.append(i + 1)
        elif _LONE_NUMBER.match(text):
            breaks.append(i + 1)
    for i in _numbered_furniture(raw_lines, dropped):
        dropped.add(i)
        breaks.append(i + 1)
    page, current, marks = [], 0, set(breaks)
    for i in range(len(raw_lines)):
        current += i in marks
        page.append(current)
    dropped |= _running_lines(raw_lines, sorted(marks), dropped)
    dropped |= _contents(raw_lines)
    furniture, letter = _cover_letter(raw_lines, page, dropped)
    dropped |= furniture
    dropped |= _sign_off(raw_lines, dropped)
    dropped |= _signatures(raw_lines, page, dropped)
    dropped |= _inner_title_pages(raw_lines, page, dropped)
    return Layout(frozenset(dropped), tuple(page), frozenset(letter - dropped))


_PAGE_SPACING = 5  # lines between two pages' furniture, at the least: table rows are closer


def _numbered_furniture(raw_lines: list[str], dropped: set[int]) -> set[int]:
    """Headers and footers that carry the page number in a shape of their own ("3 | Body name", "·3·",
    "REF/2026/07 … Page 3 of 5"): a line shape printed at least three times, far apart, whose numbers at one
    place count up from one occurrence to the next. Numbered headings ("Question 3:", "第3章") are not."""
    by_shape: dict[str, list[int]] = {}
    for i, raw in enumerate(raw_lines):
        text = raw.replace("\f", "").strip()
        if text and i not in dropped and "#" in (key := shape(text)) and width(key) <= 120:
            by_shape.setdefault(key, []).append(i)
    found: set[int] = set()
    for key, lines in by_shape.items():
        if len(lines) < 3 or ends_sentence(key) or _LONE_NUMBER.match(key.replace("#", "1")):
            continue
        if any(b - a < _PAGE_SPACING for a, b in zip(lines, lines[1:], strict=False)):
            continue
        if readings(raw_lines[lines[0]].replace("\f", "").strip()):
            continue
        numbers = [[int(n) for n in re.findall(r"\d+", unicodedata.normalize("NFKC", raw_lines[i]))] for i in lines]
        places = range(min(map(len, numbers)))
        if any(all(0 < b[p] - a[p] <= 2 for a, b in zip(numbers, numbers[1:], strict=False)) for p in places):
            found.update(lines)
    return found


def _nonempty(raw_lines: list[str], indices: range, dropped: set[int]) -> list[int]:
    return [i for i in indices if 0 <= i < len(raw_lines) and raw_lines[i].strip() and i not in dropped
            and not _LONE_NUMBER.match(raw_lines[i].replace("\f", "").strip())]


def _running_lines(raw_lines: list[str], breaks: list[int], dropped: set[int]) -> set[int]:
    """Headers and footers: a line shape printed on several pages, each time next to a page break."""
    # Break marks with no content between them (a page number, then a form feed) are one break.
    merged: list[int] = []
    for b in breaks:
        if not merged or _nonempty(raw_lines, range(merged[-1], b), dropped):
            merged.append(b)
    if len(merged) < 2:
        return set()
    near: dict[str, set[int]] = {}
    for b in merged:
        after = _nonempty(raw_lines, range(b, min(len(raw_lines), b + 8)), dropped)[:_NEAR_BREAK]
        before = _nonempty(raw_lines, range(max(0, b - 8), b), dropped)[-_NEAR_BREAK:]
        for i in after + before:
            if i >= merged[0]:  # the first page (a title page) does not count: its title may recur at the end
                near.setdefault(shape(raw_lines[i]), set()).add(i)
    needed = max(2, round(0.4 * len(merged)))
    running = {s for s, lines in near.items()
               if len(lines) >= needed and width(s) <= 120 and not ends_sentence(s) and not _RULE_SHAPE.match(s)}
    return {i for i, raw in enumerate(raw_lines) if raw.strip() and shape(raw) in running}


def _contents(raw_lines: list[str]) -> set[int]:
    """Contents entries and the short title line above them: entries with a dotted leader, or a run of entries
    ending in page numbers whose titles the document prints again later (contents without leaders)."""
    entries = [i for i, raw in enumerate(raw_lines) if is_contents_entry(raw)]
    if len(entries) < 2:
        entries = _entries_without_leaders(raw_lines)
    if len(entries) < 2:
        entries = _titled_entries(raw_lines)
    if len(entries) < 2:
        return set()
    out = set(entries)
    above = [i for i in range(entries[0] - 1, max(-1, entries[0] - 4), -1) if raw_lines[i].strip()]
    if above and width(raw_lines[above[0]].strip()) <= 20 and not ends_sentence(raw_lines[above[0]]):
        out.add(above[0])
    return out


def _entries_without_leaders(raw_lines: list[str]) -> list[int]:
    """The first run of `Title  12` lines (blank lines aside, page numbers never decreasing) of which at least
    half print their title again later in the document, alone on a line."""
    later: dict[str, int] = {}  # a line's words → the last line printing them
    for i, raw in enumerate(raw_lines):
        later[_words(raw)] = i
    run: list[tuple[int, str, int]] = []  # (line, title, page)
    for i, raw in enumerate([*raw_lines, ""]):
        text = raw.replace("\f", "").strip()
        m = _PAGE_ENTRY.match(text)
        if m and not ends_sentence(m.group(1)) and (not run or int(m.group(2)) >= run[-1][2]):
            run.append((i, m.group(1), int(m.group(2))))
            continue
        if text or i == len(raw_lines):
            end = run[-1][0] if run else i
            repeated = [k for k, title, _ in run if later.get(_words(title), 0) > end]
            if len(run) >= _MIN_ENTRIES and 2 * len(repeated) >= len(run):
                return [k for k, _, _ in run]
            run = []
    return []


def _titled_entries(raw_lines: list[str]) -> list[int]:
    """A contents list with neither leaders nor page numbers: under a contents title ("目錄", "Contents"), the run
    of short lines (blank lines aside) that the document prints again later, alone on a line."""
    later: dict[str, int] = {}
    for i, raw in enumerate(raw_lines):
        later[_words(raw)] = i
    for title, raw in enumerate(raw_lines):
        if not _CONTENTS_TITLE.match(raw.replace("\f", "").strip()):
            continue
        run = []
        for i in range(title + 1, len(raw_lines)):
            text = raw_lines[i].replace("\f", "").strip()
            if not text:
                continue
            if width(text) > 80 or ends_sentence(text) or later.get(_words(text), 0) <= i:
                break
            run.append(i)
        if len(run) >= _MIN_ENTRIES:
            return run  # the caller adds the title above the first entry
    return []


_CONTENTS_TITLE = re.compile(r"^(?:目\s*[錄录]|(?:table\s+of\s+)?contents)$", re.IGNORECASE)
_PAGE_ENTRY = re.compile(r"^(\S.{0,80}?\S)\s+(\d{1,3})$")  # a contents entry without a leader: "Foreword  2"
_MIN_ENTRIES = 3


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _cover_letter(raw_lines: list[str], page: list[int], dropped: set[int]) -> tuple[set[int], set[int]]:
    """A cover letter: its furniture (the address block and salutation, the closing and signature block) and its
    body between them, which is what the body says to the reader (who it speaks for, what it asks): kept as text."""
    limit = max(1, int(len(raw_lines) * 0.5))
    opening = next((i for i in range(limit) if _SALUTATION.match(raw_lines[i].strip())), None)
    if opening is None:
        return set(), set()
    closing = next((i for i in range(opening + 1, min(len(raw_lines), opening + 120))
                    if _CLOSING.match(raw_lines[i].strip())), None)
    if closing is None:
        return set(), set()
    start = opening
    for i in range(opening - 1, -1, -1):
        text = raw_lines[i].strip()
        if not text or i in dropped:
            continue
        if page[i] != page[opening] or width(text) > _SHORT or ends_sentence(text):
            break
        start = i
    end, taken = closing, 0
    for i in range(closing + 1, len(raw_lines)):
        text = raw_lines[i].strip()
        if not text or i in dropped:
            continue
        if page[i] != page[closing] or width(text) > _SHORT or ends_sentence(text) or taken >= 4:
            break
        end, taken = i, taken + 1
    return set(range(start, opening + 1)) | set(range(closing, end + 1)), set(range(opening + 1, closing))


def _sign_off(raw_lines: list[str], dropped: set[int]) -> set[int]:
    """A closing date at the very end and the one or two name lines above it; or, with no date, the name lines
    that end the document after a finished paragraph, one of them the body's name as its title block gives it
    ("Dr LAM Pui-ying, Chairman" / 主席 林佩瑩博士 / the body's name in both languages)."""
    content = [i for i, raw in enumerate(raw_lines) if raw.strip() and i not in dropped
               and not _LONE_NUMBER.match(raw.replace("\f", "").strip())]
    if content and not is_date_line(raw_lines[content[-1]]):
        return _signed_end(raw_lines, content)
    if not content:
        return set()
    out = {content[-1]}
    for k in range(len(content) - 2, max(-1, len(content) - 4), -1):
        if not _is_name_line(raw_lines[content[k]]) or k == 0:
            break
        before = raw_lines[content[k - 1]].strip()
        # A name line follows a finished paragraph (or a bullet, or another short line), never a wrapped one.
        if not (ends_sentence(before) or width(before) < 40 or before[:1] in _BULLETS):
            break
        out.add(content[k])
    return out


_SIGN_OFF_LINES = 5  # at most this many name lines end a document: a name and a title, the body's names
_TITLE_BLOCK_LINES = 8  # the body's name is among a document's first lines


def _signed_end(raw_lines: list[str], content: list[int]) -> set[int]:
    """The name lines ending the document (see `_sign_off`), when one repeats a line of its title block (in any
    case: the title block may print it in capitals; however long the body's name)."""
    # the title block: its first runs of lines (between blank lines) before the first that holds a sentence
    opening: set[str] = set()
    runs: list[list[int]] = []
    for i in content[:_TITLE_BLOCK_LINES]:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for lines in runs:
        if any(ends_sentence(raw_lines[i].strip()) for i in lines):
            break
        opening.update(raw_lines[i].strip().casefold() for i in lines)
    run: list[int] = []
    for k in range(len(content) - 1, max(0, len(content) - 1 - _SIGN_OFF_LINES), -1):
        line = raw_lines[content[k]]
        if not (_is_name_line(line) or line.strip().casefold() in opening):
            break
        run.append(content[k])
    else:
        return set()  # more name lines than a signature has, or the whole document: no sign-off
    if not run or not ends_sentence(raw_lines[content[len(content) - 1 - len(run)]].strip()):
        return set()
    return set(run) if any(raw_lines[i].strip().casefold() in opening for i in run) else set()


def _signatures(raw_lines: list[str], page: list[int], dropped: set[int]) -> set[int]:
    """A signed foreword or letter inside the document: a date line that ends its page (past the title page), with
    the one to three name lines above it ("Raymond Tsui" / "Chairman" / "August 2026"), after a finished paragraph."""
    content = [i for i, raw in enumerate(raw_lines) if raw.strip() and i not in dropped
               and not _LONE_NUMBER.match(raw.replace("\f", "").strip())]
    out: set[int] = set()
    for k in range(1, len(content) - 1):
        line = content[k]
        if page[line] == 0 or page[content[k + 1]] == page[line] or not is_date_line(raw_lines[line]):
            continue
        names = [content[j] for j in range(k - 1, max(-1, k - 4), -1)]
        taken = []
        for j, name in enumerate(names):
            if not _is_name_line(raw_lines[name]):
                break
            taken.append(name)
            above = content[k - 2 - j] if k - 2 - j >= 0 else None
            if above is not None and ends_sentence(raw_lines[above].strip()):
                out |= {line, *taken}
                break
    return out


_INNER_TITLE_LINES = 10  # a title page inside a document has at most this many lines …
_INNER_TITLE_WIDTH = 80  # … each at most this wide (a body's full name)


def _inner_title_pages(raw_lines: list[str], page: list[int], dropped: set[int]) -> set[int]:
    """A title page inside the document, as a paper in two language halves opens its second ("English Version",
    the body's name, the title, a date): a page, neither the first nor the last, of a few short lines, none a
    sentence, one of them a date. The name lines that end the page before it, after a finished paragraph, sign off
    the first half."""
    content = [i for i, raw in enumerate(raw_lines) if raw.strip() and i not in dropped
               and not _LONE_NUMBER.match(raw.replace("\f", "").strip())]
    if not content:
        return set()
    by_page: dict[int, list[int]] = {}
    for i in content:
        by_page.setdefault(page[i], []).append(i)
    pages = sorted(by_page)
    out: set[int] = set()
    for k in range(1, len(pages) - 1):
        lines = by_page[pages[k]]
        texts = [raw_lines[i].replace("\f", "").strip() for i in lines]
        if not (2 <= len(lines) <= _INNER_TITLE_LINES and any(is_date_line(t) for t in texts)
                and all(width(t) <= _INNER_TITLE_WIDTH and not ends_sentence(t) for t in texts)):
            continue
        out.update(lines)
        before = by_page[pages[k - 1]]
        names = []
        for j in range(len(before) - 1, max(0, len(before) - 1 - 3), -1):
            if not _is_name_line(raw_lines[before[j]]):
                break
            names.append(before[j])
            if ends_sentence(raw_lines[before[j - 1]].strip()):
                out.update(names)
                break
    return out


_BULLETS = "•●▪-–(（"


def _is_name_line(raw: str) -> bool:
    text = raw.strip()
    columns = re.search(r"\S\s{2,}\S", text)
    return not (raw[:1].isspace() or columns or width(text) > _SHORT or ends_sentence(text) or text[:1] in _BULLETS)
