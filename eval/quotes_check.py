"""Quote quality: flags the quotes an answer shows that a reader would not accept as a quotation.

Three kinds, by shape, so any document in any language gets the same check:
- fragment: the quote starts mid-sentence (a lower-case letter, a continuing punctuation mark, or, when the
  source text is given, right after text that does not end a sentence), is only an enumerator such as 「(1)」,
  or is shorter than a real sentence;
- boilerplate: a line that is not the submission's content (a source line 「資料來源：…」, a disclaimer
  「…內容僅供內部參考」, copyright, contact details, a signature, a contents entry, a dateline); the wordings
  are data, the lexicon's `boilerplate` cue (corpus/lexicon/*.toml);
- lead_in: a sentence that ends in a colon and so announces what the quote does not show.

The quotes checked are those the answer text cites ([n] = sources[n-1]), as the contract defines them; an
answer that cites nothing has every quoted source checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rag.answer.citations import CITATION, marker_numbers
from rag.config import DEFAULT_CORPUS_DIR, Settings
from rag.corpus.layout import is_contents_entry, is_date_line
from rag.corpus.lexicon import Cue, Lexicon
from rag.corpus.numbering import readings
from rag.text.sentences import CLOSERS, TERMINALS, ends_sentence
from rag.text.tokenize import fold

# A real sentence carries at least this much: CJK characters, letters and digits in a Chinese quote, words
# in an English one. 「提升政策定位。」 (6) is a run-in title, 「本會對此深表贊同。」 (8) a short sentence.
MIN_CJK_CHARS = 8
MIN_WORDS = 4
# Marks that continue a sentence and never open one (the opening half of a pair opens: 「, （).
_CONTINUING = TERMINALS + CLOSERS + "，、：,:.…"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# An enumerator on its own, in the shapes the numbering grammar leaves to running text: "1.", "iv.", "A.", "①".
_BARE_LABEL = re.compile(
    r"^[\s•·\-–—*]*[(（\[【]?\s*(?:\d{1,3}(?:\.\d{1,3})*|[ivxlcdm]{1,6}|[IVXLCDM]{1,6}|[A-Za-z]"
    r"|[一二三四五六七八九十百〇]{1,3}|[\u2460-\u2473])\s*[)）\]】]?\s*[.、．:：)）]?\s*$"
)
_BULLETS = "•·‧●○◦▪■□-–—*"


class QuoteFlag(StrEnum):
    FRAGMENT = "fragment"
    BOILERPLATE = "boilerplate"
    LEAD_IN = "lead_in"


@dataclass(frozen=True)
class FlaggedQuote:
    """One shown quote the check flags, with every reason found (a quote may be short and boilerplate)."""

    n: int  # the source's number: [n]
    quote: str
    flags: tuple[QuoteFlag, ...]
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "quote": self.quote, "flags": [str(f) for f in self.flags], "reasons": list(self.reasons)}


class QuoteChecker:
    """Shape rules plus the lexicon's boilerplate wordings; `check` judges one quote, `check_answer` an answer."""

    def __init__(self, boilerplate: Cue) -> None:
        self.boilerplate = boilerplate

    @classmethod
    def from_corpus(cls, corpus_dir: Path) -> QuoteChecker:
        """The checker with the boilerplate wordings of a corpus's lexicon, read as the pipeline reads it: the
        corpus's own (corpus_dir/lexicon, after the shipped one, so an older copy lacking a newer key still loads),
        else the shipped one."""
        lexicon_dir = Settings(corpus_dir=Path(corpus_dir)).lexicon_dir
        return cls(Lexicon.load(lexicon_dir, base=DEFAULT_CORPUS_DIR / "lexicon").boilerplate)

    def check(self, quote: str, source_text: str = "") -> list[tuple[QuoteFlag, str]]:
        """(flag, reason) for each problem of a quote; empty when it reads as a quotation. `source_text`, the
        passage the quote was taken from, lets a quote that starts after unfinished text count as a fragment."""
        text = unicodedata.normalize("NFKC", quote).strip()
        if not text:
            return []
        found: list[tuple[QuoteFlag, str]] = []
        if self._is_boilerplate(text):
            found.append((QuoteFlag.BOILERPLATE, "not the submission's content"))
        if _is_enumerator(text):
            found.append((QuoteFlag.FRAGMENT, "only an enumerator"))
        else:
            opening = _opens_mid_sentence(text) or _follows_unfinished(quote, source_text)
            if opening:
                found.append((QuoteFlag.FRAGMENT, opening))
            if _too_short(text):
                found.append((QuoteFlag.FRAGMENT, "shorter than a sentence"))
        if text.rstrip(CLOSERS).endswith((":", "：")):
            found.append((QuoteFlag.LEAD_IN, "ends in a colon: what it announces is not shown"))
        return found

    def check_answer(self, answer: Mapping[str, Any]) -> tuple[int, list[FlaggedQuote]]:
        """(quotes checked, flagged quotes) for one contract answer (`rag ask --json`)."""
        checked, flagged = 0, []
        for source in shown_sources(answer):
            quote = str(source.get("quote") or "")
            if not quote.strip():
                continue
            checked += 1
            found = self.check(quote, str(source.get("text") or ""))
            if found:
                flags = tuple(dict.fromkeys(flag for flag, _ in found))
                flagged.append(FlaggedQuote(int(source.get("n") or 0), quote, flags, tuple(r for _, r in found)))
        return checked, flagged

    def _is_boilerplate(self, text: str) -> bool:
        return any(
            self.boilerplate.search(fold(line)) or is_contents_entry(line) or is_date_line(line)
            for line in text.splitlines() if line.strip()
        )


def shown_sources(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The sources whose quotes the answer shows: those its text cites, or all when it cites none."""
    sources = list(answer.get("sources") or [])
    cited = cited_numbers(str(answer.get("answer") or ""))
    if not cited:
        return sources
    by_n = {int(s.get("n") or i): s for i, s in enumerate(sources, 1)}
    return [by_n[n] for n in cited if n in by_n]


def cited_numbers(text: str) -> list[int]:
    """The source numbers an answer text cites, in order of first citation."""
    return list(dict.fromkeys(n for match in CITATION.finditer(text) for n in marker_numbers(match)))


def summarise(flags: Iterable[Iterable[str]], checked: int) -> dict[str, Any]:
    """Counts for a report from each flagged quote's flags: quotes checked and flagged, the flag rate, and how
    many quotes carry each flag."""
    flagged = [set(map(str, f)) for f in flags]
    out: dict[str, Any] = {
        "quotes_checked": checked,
        "quotes_flagged": len(flagged),
        "quote_flag_rate": len(flagged) / checked if checked else None,
    }
    for flag in QuoteFlag:
        out[f"quotes_{flag}"] = sum(str(flag) in f for f in flagged)
    return out


def _is_enumerator(text: str) -> bool:
    if _BARE_LABEL.match(text):
        return True
    stripped = text.lstrip(_BULLETS + " ")
    return any(not r.rest.strip(" " + TERMINALS + CLOSERS + "，、：:") for r in readings(stripped))


def _opens_mid_sentence(text: str) -> str | None:
    first = text.lstrip(_BULLETS + " ")[:1]
    if not first:
        return None
    if first in _CONTINUING:
        return f"starts with {first!r}, which continues a sentence"
    if unicodedata.category(first) == "Ll":
        return "starts with a lower-case letter"
    return None


def _follows_unfinished(quote: str, source_text: str) -> str | None:
    """Mid-sentence by its place in the source: the source text before it on its line does not end a sentence
    (nor is it a label such as "(1)" or a bullet). Unknown when the quote is not found as written."""
    where = source_text.find(quote.strip()) if source_text and quote.strip() else -1
    if where <= 0:
        return None
    before = source_text[:where].rsplit("\n", 1)[-1].strip()
    if not before or ends_sentence(before) or _is_label(before):
        return None
    if before.endswith(("，", ",", "、")):
        return "starts after a comma: the sentence began earlier"
    return "starts after unfinished text"


def _is_label(text: str) -> bool:
    stripped = text.strip(_BULLETS + " ")
    return not stripped or _is_enumerator(stripped)


def _too_short(text: str) -> bool:
    if _CJK.search(text):
        return sum(ch.isalnum() for ch in text) < MIN_CJK_CHARS
    return len(_WORD.findall(text)) < MIN_WORDS


def flagged_examples(rows: Sequence[Mapping[str, Any]], limit: int = 8) -> list[dict[str, Any]]:
    """Up to `limit` flagged quotes from question records, one per distinct quote, for a report."""
    seen: set[str] = set()
    out = []
    for row in rows:
        for item in row.get("quote_flags") or []:
            if item["quote"] in seen:
                continue
            seen.add(item["quote"])
            out.append({"id": row["id"], "system": row["system"], **item})
            if len(out) >= limit:
                return out
    return out
