"""What a sentence does in its passage, so a quote is one a member can paste into a briefing.

A passage mixes the body's own proposals with background, other parties' views and the paper's furniture. Each
sentence gets one role, read from its shape and from the lexicon's cues (corpus/lexicon: `proposes`,
`boilerplate`, `elsewhere`, `reports_view`, `self_reference`, `announces`, `welcomes`, `declines`):

- PROPOSAL: the body puts a proposal (本會建議…, 政府應…, "we urge");
- REPORTED: it reports another party's suggestion or view (全國政協副主席梁振英建議…, 有意見認為, "X suggested"),
  or a measure it announced (中國證監會於今年4月公布5項措施), quoted with the party named, never as the body's own
  proposal;
- ANNOUNCEMENT: it announces proposals by number and names no topic (工業總會提出六大重點倡議及七大建議範疇);
- ENDORSEMENT: it welcomes a measure of another, asking for nothing (本會歡迎政府推出「監管沙盒」, "We welcome the
  Government's plan"): the body's words, quoted as a statement, but no proposal of its own;
- DECLINED: it says the body makes no proposal on something, or does not back it (本會對此不作建議, "Nor do we make
  any proposal on the low-altitude economy", "The Association does not support such a levy"), proposing nothing
  before or after: quoted as a statement, never its proposal;
- STATEMENT: anything else worth quoting;
- LEAD_IN: it ends in a colon and introduces what follows: quoted only together with it;
- ELSEWHERE: background about another place (韓國於2016年…, "In Singapore, …") with no proposal verb;
- BOILERPLATE: a source line, disclaimer, copyright line, signature, contact or contents line;
- FRAGMENT: an enumerator alone (「(1)」), or a piece of a sentence (starting with a comma or, in English, a
  lower-case word; ending in a comma). The lines of a sentence broken across line ends are read as one first.
The last three are never quoted while the passage has anything else.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from rag.corpus.blocks import english_title_shape, is_drawn_row, is_latin
from rag.corpus.catalog import Catalog
from rag.corpus.lexicon import Lexicon
from rag.corpus.numbering import readings
from rag.text.names import Names
from rag.text.sentences import CLOSERS, ends_sentence
from rag.text.tokenize import fold


class Role(StrEnum):
    PROPOSAL = "proposal"
    REPORTED = "reported"
    ANNOUNCEMENT = "announcement"
    ENDORSEMENT = "endorsement"
    DECLINED = "declined"
    STATEMENT = "statement"
    LEAD_IN = "lead_in"
    ELSEWHERE = "elsewhere"
    BOILERPLATE = "boilerplate"
    FRAGMENT = "fragment"


NEVER_QUOTED = frozenset({Role.ELSEWHERE, Role.BOILERPLATE, Role.FRAGMENT})
# what a body says in words that are not its own proposal: another's view, its welcome of another's measure, its
# saying it proposes nothing on a topic, another place, boilerplate
NOT_ITS_OWN = frozenset({Role.REPORTED, Role.ENDORSEMENT, Role.DECLINED, Role.ELSEWHERE, Role.BOILERPLATE})


class Reading(NamedTuple):
    """A sentence's role; for REPORTED the party (as written, "" when unnamed) and whether it suggests;
    for ELSEWHERE the place as written."""

    role: Role
    who: str = ""
    suggestion: bool = False
    place: str = ""
    measure: bool = False  # REPORTED: a measure the party announced (公布, 推出), not its words


# A piece that starts mid-sentence: a clause mark or a closing bracket first, or (English) a lower-case word.
_MID_SENTENCE = re.compile(rf"^[，、；：,;:{re.escape(CLOSERS)}]|^[a-z]")
# A line that stops mid-sentence: it ends in a comma (the splitter ends sentences at line breaks too).
_CUT_END = re.compile(r"[，、,]$")
_WRAPPED_SHARE = 0.8  # a line this close to its passage's longest line, stopping mid-word, was wrapped
# A comma inside a line that stops with no sentence end: a sentence broken there, not a heading.
_INNER_COMMA = re.compile(r"[，,]\s*\S")
# A contents line: a dotted leader and a page number (the layout pass removes most; a stray one is no quote).
_CONTENTS_LINE = re.compile(r"(?:[.．…·]\s*){4,}\d+\s*$")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
# A bare label on a line of its own ("II.", "(3)", "B"): no sentence, and no continuation of the line before.
_BARE_LABEL = re.compile(r"^[(（]?(?:[\dA-Za-z]{1,4}|[一二三四五六七八九十]{1,3})[.)）、．]?$")


class SentenceRoles:
    """Reads sentence roles with the lexicon's cues; the catalog's names tell a body's own voice from another's."""

    def __init__(self, lexicon: Lexicon, catalog: Catalog | None = None) -> None:
        self.lexicon = lexicon
        bodies = catalog.bodies.values() if catalog else ()
        self._own = {body.code: Names(body.names()) for body in bodies}
        # a line that is only a body's name: a signature under a text, a title line, not a statement
        self._signatures = frozenset(fold(name).strip() for body in bodies for name in body.names())
        # equal readers read alike: passages' readings are cached across answers (rag.answer.quotes)
        self._key = (lexicon.digest, tuple(sorted((code, names.names) for code, names in self._own.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SentenceRoles) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def read(self, sentence: str, body: str = "") -> Reading:
        """The role of one sentence of a passage written by `body` (its broken lines joined: see `continues`)."""
        text = sentence.strip()
        rest = _without_label(text)
        folded = fold(text)
        mid_sentence = rest == text and _MID_SENTENCE.match(text)  # "(a) the fund" is a list item, not a piece
        if (mid_sentence or _CUT_END.search(text) or len(_WORD.findall(rest)) < 2 or _BARE_LABEL.match(text)
                or _is_heading(text, rest)):
            return Reading(Role.FRAGMENT)
        if (self.lexicon.boilerplate.search(folded) or _CONTENTS_LINE.search(text)
                or folded.strip(" 。.") in self._signatures):
            return Reading(Role.BOILERPLATE)
        if text.rstrip(CLOSERS).endswith((":", "：")):
            return Reading(Role.LEAD_IN)
        reported = self._reported(rest, body)
        if reported is not None:
            return reported
        if self.lexicon.announces.search(folded):
            return Reading(Role.ANNOUNCEMENT)
        declined = self.lexicon.declines.search(text)
        # … unless a proposal comes before or after it: after it, any ("…; the Government should instead …"); before
        # it, a proposing verb, not a modal, which frames the decline (「上市規則應由交易所訂定，本意見書不作建議」)
        if declined is not None and not self.lexicon.proposes.search(text[declined.end():]) and all(
                found.groupdict().get("modal") for found in self.lexicon.proposes.finditer(text[:declined.start()])):
            return Reading(Role.DECLINED)
        if self.lexicon.proposes.search(text):
            return Reading(Role.PROPOSAL)
        if self.lexicon.welcomes.search(rest):
            return Reading(Role.ENDORSEMENT)
        place = self.lexicon.elsewhere.search(fold(rest))
        if place is not None:
            start, end = place.span("place")
            offset = len(text) - len(rest)
            return Reading(Role.ELSEWHERE, place=text[offset + start:offset + end])
        return Reading(Role.STATEMENT)

    def proposes(self, text: str) -> bool:
        """Whether the text has a proposal verb (本會建議, 應, propose)."""
        return self.lexicon.proposes.search(text) is not None

    @staticmethod
    def continues(previous: str, between: str, sentence: str, width: int) -> bool | None:
        """Whether `sentence` goes on from the `previous` line (up to the sentence before it), broken at a line end
        the splitter took for a sentence end. True: one line break alone between them, the line stopping at a comma.
        None (only if the run of lines ends a sentence): the line stopping mid-word at nearly the passage's full
        line `width` (a table cell, a hard-wrapped PDF line), or after a comma inside it, before an unlabelled
        line. Else False: a heading, shorter than its passage's lines or labelled, is not continued; nor is a list
        of items without full stops, whose run never ends a sentence."""
        if between.count("\n") != 1 or between.strip() or ends_sentence(previous):
            return False
        if _CUT_END.search(previous):
            return True
        labelled = readings(sentence) or readings(previous) or _BARE_LABEL.match(sentence.strip())
        wrapped = len(previous) >= _WRAPPED_SHARE * width or _INNER_COMMA.search(previous)
        if wrapped and not labelled:
            return None
        return False

    def _reported(self, text: str, body: str) -> Reading | None:
        found = self.lexicon.reports_view.search(text)
        if found is None:
            return None
        groups = found.groupdict()
        who = next((v for k, v in groups.items() if k.startswith("who") and v), "").strip()
        verb = next((v for k, v in groups.items() if k.startswith("verb") and v), "")
        if who and (self.lexicon.self_reference.search(who) or self._is_own(who, body)):
            return None  # 本會建議, 廠商會建議 in CMA's paper: the body's own proposal
        measure = bool(groups.get("verb_measure"))
        if measure and (self.lexicon.proposes.search(text) or self.lexicon.welcomes.search(text)
                        or self.lexicon.elsewhere.search(fold(text))):
            return None  # 政府應推出…, 政府推出…，本會建議…; 本會歡迎政府推出…; 新加坡政府推出…: read as such
        suggestion = any(cue.search(verb) for cue in (self.lexicon.proposes, self.lexicon.asks_proposals)) if verb \
            and not measure else False
        return Reading(Role.REPORTED, who=who, suggestion=suggestion, measure=measure)

    def _is_own(self, who: str, body: str) -> bool:
        """The party is the body: one of its names, or its name's head noun ("The Institute" of the Ambermoor
        Institute), with at most an article ("The Tea Chamber") besides. A party naming none of them is another,
        however short its name (有智庫, "a think tank")."""
        names = self._own.get(body)
        if names is None:
            return False
        rest = names.blank_in_passage(who)  # … or its name's head noun standing for it: "The Institute"
        return rest != fold(who) and len(_WORD.findall(rest)) < 4


_HEADING_CHARS = 20  # a labelled Chinese line this short without a sentence end is a section's heading …
_HEADING_WORDS = 10  # … and an English one of at most this many words


def _is_heading(text: str, rest: str) -> bool:
    """A labelled line with no sentence end, as short as a title ("（二） 工廈改建青年創業空間", "1) Export Credit
    Insurance"), or an unlabelled English one in Title Case ("Converting Industrial Buildings into Smart Workshops",
    or a paragraph's first line broken off at a wrap: "The Hong Kong Egretford Association of Smart and Green"): a
    heading inside a passage, or a piece of a name, which names a topic and states nothing."""
    if ends_sentence(rest) or rest.rstrip().endswith(("：", ":")):
        return False
    if rest == text:
        return (is_latin(text) and english_title_shape(text) and len(text.split()) <= _HEADING_WORDS
                and not is_drawn_row(text))  # a table's row states its figures, in whatever case
    words = rest.split()
    latin = sum(ch.isascii() and ch.isalpha() for ch in rest)
    return len(words) <= _HEADING_WORDS if latin > len(rest) / 2 else len(rest.strip()) <= _HEADING_CHARS


def _without_label(text: str) -> str:
    """The sentence after its leading enumerator ((1), 一、, 1., ①), if it has one."""
    found = readings(text)
    rest = found[0].rest if found else text
    return rest.lstrip(" \t\u3000•·-–—*").strip()


class OwnVoice(NamedTuple):
    """Whether a sentence of a passage is in its body's own voice (not NOT_ITS_OWN). Equal readers make equal
    predicates, so what one answer reads with it is kept for the next (ConceptCoverage.own_of)."""

    roles: SentenceRoles

    def __call__(self, sentence: str, body: str) -> bool:
        return self.roles.read(sentence, body).role not in NOT_ITS_OWN
