"""Word lists and cue patterns, per language, as data (`corpus/lexicon/*.toml`): what is language-specific lives
there, how each list or cue is used lives in the code that uses it.

A language file has up to four tables: `[words]` (whitespace-separated words or an array), `[cues]` (Python
regular expressions, flags such as `(?i)` inside the pattern), `[pos_weights]` (jieba tag → weight) and `[readings]`
(a word → how a question reads it: colloquial words as their written equivalent, "" for a word that names nothing).
Every file may define any key: a word list is the union over the files, a cue matches when any file's pattern does, in
file-name order; readings are the union, a word read two ways refused. Every word list and cue the code uses must
be defined somewhere; a key the code does not know is refused, so a typo fails at load, not silently at answer time.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType


class LexiconError(ValueError):
    """A lexicon file is missing or invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Cue:
    """One cue as the languages word it: a compiled pattern per file that defines it, in file-name order."""

    name: str
    patterns: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> re.Match[str] | None:
        """The first file's match in `text`, or None."""
        for pattern in self.patterns:
            found = pattern.search(text)
            if found:
                return found
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every file's matches, file by file."""
        for pattern in self.patterns:
            yield from pattern.finditer(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        """`text` with each file's matches replaced, file by file."""
        for pattern in self.patterns:
            text = pattern.sub(replacement, text)
        return text


@dataclass(frozen=True)
class Lexicon:
    """The word lists and cues the question readers and the answer judge use (see corpus/lexicon/*.toml)."""

    # words
    framing: tuple[str, ...]  # the frame of a question, not its topic (who-asks, proposal words)
    question_words: tuple[str, ...]  # words naming no topic in a question (how it is put)
    # cues
    asks_proposals: Cue  # a question asking what is proposed: proposing quotes first
    asks_quantity: Cue  # "how many / how much" (matched on the folded question)
    # … and which kind of quantity (rag.text.numbers.QUANTITY_OF): a sum of money, a share, a length of time
    asks_money: Cue
    asks_share: Cue
    asks_duration: Cue
    asks_time: Cue  # "when", 何時: a question asking when, answered only by a time (a year, a month, 年底, within …)
    asks_people: Cue
    asks_weight: Cue  # "the heaviest load", 幾重: a weight
    asks_age: Cue  # "an age limit", "how old", 年齡, 幾歲: an age
    # A payment the question names (a fee, a rent, a wage …) and one a passage names, each kind a named group of
    # the pattern (fee, price, rent, wage, premium, allowance): the sum asked for is of that payment.
    asks_payment: Cue
    names_payment: Cue
    # The rate a how-many question counts by (a year, a month, a week, a day, each one: "per company", 每間) and
    # one a passage states, each kind a named group (year, month, week, day, each)
    asks_rate: Cue
    names_rate: Cue
    proposes: Cue  # a sentence that puts a proposal
    asks_which_bodies: Cue  # "which bodies" (folded)
    asks_mentions: Cue  # who *mentions* something, not who proposes it (folded): answered with "mention"
    asks_who: Cue  # a weaker who-asks, a which-bodies question only with a proposal verb (folded)
    proposal_verb: Cue  # (folded)
    compare: Cue  # a comparison (folded)
    examples: Cue  # "for example", "such as", 例如 (folded): what follows illustrates the topic, any one will do
    organisation: Cue  # a named organisation, its name as group 1
    not_a_name: Cue  # an organisation match that names none (哪個商會)
    followup_spaced: Cue  # a follow-up in a spaced language, its length counted in words
    followup_unspaced: Cue  # a follow-up in an unspaced language (folded), its length counted in characters
    followup_lead: Cue  # a follow-up's opening words
    followup_tail: Cue  # a follow-up's closing particle and question mark
    # a word standing for the body the previous question asked about ("What does it propose on …?", 佢哋, 該會)
    followup_pronoun: Cue
    # sentence roles, for choosing quotes (rag.answer.roles)
    boilerplate: Cue  # a line that is not the submission's content (folded): never quoted, flagged in eval
    elsewhere: Cue  # background about another place, the place as group `place` (folded)
    reports_view: Cue  # another party's suggestion or view: groups `who…` (the party) and `verb…`
    self_reference: Cue  # the body speaking of itself (本會, we): matched on a reported party
    welcomes: Cue  # the body welcoming another's measure (本會歡迎政府推出…), asking nothing: no proposal
    declines: Cue  # the body making no proposal on something, or not backing it (本會對此不作建議, we do not support)
    announces: Cue  # a lead-in announcing proposals by number, naming no topic (folded)
    name_lead: Cue  # words before an organisation's name that are not part of it (對於, 請問; The, Please)
    asker: Cue  # a capitalised acronym where the asker of a question stands (What does HKGCC propose), as group 1
    # weights
    pos_weights: Mapping[str, float]  # concept weight by part-of-speech tag; unlisted tags weigh 1
    # readings
    readings: Mapping[str, str]  # a question's word → its written reading ("" drops it); see rag.understand.reading
    # provenance
    digest: str  # sha256 of the files' names and bytes: recorded in the index manifest
    files: tuple[Path, ...]

    @classmethod
    def load(cls, folder: Path, base: Path | None = None) -> Lexicon:
        """Read every `*.toml` in `folder` (after those of `base`, when given: a corpus's own lexicon adds to the
        shipped one, so a key added in a newer version is never missing from an older copy). Raises LexiconError
        naming the file (and key) when one is missing, unreadable or invalid, or a pattern does not compile."""
        folder = Path(folder)
        own = tuple(sorted(folder.glob("*.toml"))) if folder.is_dir() else ()
        if not own:
            raise LexiconError(f"No lexicon files (*.toml) in {folder}; copy corpus/lexicon from the project.")
        shipped = () if base is None or Path(base).resolve() == folder.resolve() else tuple(
            sorted(Path(base).glob("*.toml")))
        files = shipped + own
        word_keys = {f.name for f in fields(cls) if f.type == "tuple[str, ...]"}
        cue_keys = {f.name for f in fields(cls) if f.type == "Cue"}
        words: dict[str, list[str]] = {key: [] for key in word_keys}
        patterns: dict[str, list[re.Pattern[str]]] = {key: [] for key in cue_keys}
        defined: set[str] = set()
        pos_weights: dict[str, float] = {}
        readings: dict[str, str] = {}
        digest = hashlib.sha256()
        tables: list[tuple[Path, dict]] = []
        for path in files:
            raw = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + raw + b"\0")
            try:
                data = tomllib.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise LexiconError(f"Lexicon file {path} is not valid UTF-8 TOML: {exc}.") from exc
            unknown = set(data) - {"words", "cues", "parts", "pos_weights", "readings"}
            if unknown:
                raise LexiconError(f"Lexicon file {path} has unknown table(s) {', '.join(sorted(unknown))}; "
                                   "expected words, cues, parts, pos_weights, readings.")
            tables.append((path, data))
        # pieces of patterns several cues share (the body speaking of itself), written once: <<name>> in a cue
        parts: dict[str, str] = {}
        for path, data in tables:
            for key, value in _table(data, "parts", path).items():
                if not isinstance(value, str) or not value:
                    raise LexiconError(f"Lexicon file {path}: parts.{key} must be a non-empty regular expression "
                                       "string.")
                parts[key] = value
        for path, data in tables:
            for key, value in _table(data, "words", path).items():
                if key not in word_keys:
                    raise LexiconError(f"Lexicon file {path}: unknown word list {key!r}.")
                words[key] += _words(value, path, key)
                defined.add(key)
            for key, value in _table(data, "cues", path).items():
                if key not in cue_keys:
                    raise LexiconError(f"Lexicon file {path}: unknown cue {key!r}.")
                patterns[key].append(_compile(_with_parts(value, parts, path, key), path, key))
                defined.add(key)
            for tag, weight in _table(data, "pos_weights", path).items():
                if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
                    raise LexiconError(f"Lexicon file {path}: pos_weights.{tag} must be a number between 0 and 1.")
                pos_weights[tag] = float(weight)
            for word, reading in _table(data, "readings", path).items():
                if not word.strip() or not isinstance(reading, str):
                    raise LexiconError(f"Lexicon file {path}: readings.{word} must map a word to a string "
                                       '(its written reading, or "" for a word that names nothing).')
                if readings.get(word, reading) != reading:
                    raise LexiconError(f"Lexicon file {path}: readings.{word} is {reading!r} here and "
                                       f"{readings[word]!r} in an earlier file; give it one reading.")
                readings[word] = reading
        missing = sorted((word_keys | cue_keys) - defined)
        if missing:
            raise LexiconError(f"The lexicon in {folder} defines no {', '.join(missing)}; add it to one of its files.")
        return cls(
            **{key: tuple(dict.fromkeys(values)) for key, values in words.items()},
            **{key: Cue(key, tuple(found)) for key, found in patterns.items()},
            pos_weights=MappingProxyType(pos_weights),
            readings=MappingProxyType(readings),
            digest=digest.hexdigest()[:16],
            files=files,
        )


def _table(data: dict, name: str, path: Path) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise LexiconError(f"Lexicon file {path}: {name} must be a table ([{name}]).")
    return table


def _words(value: object, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [word for v in value for word in v.split()]
    raise LexiconError(f"Lexicon file {path}: words.{key} must be a string of words or an array of strings.")


def _with_parts(value: object, parts: dict[str, str], path: Path, key: str) -> object:
    """A cue with each <<name>> replaced by the part of that name (in a non-capturing group)."""
    if not isinstance(value, str):
        return value

    def part(match: re.Match[str]) -> str:
        if match.group(1) not in parts:
            raise LexiconError(f"Lexicon file {path}: cues.{key} uses <<{match.group(1)}>>, which no [parts] defines.")
        return f"(?:{parts[match.group(1)]})"

    return re.sub(r"<<(\w+)>>", part, value)


def _compile(value: object, path: Path, key: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise LexiconError(f"Lexicon file {path}: cues.{key} must be a non-empty regular expression string.")
    try:
        return re.compile(value)
    except re.error as exc:
        raise LexiconError(f"Lexicon file {path}: cues.{key} is not a valid regular expression ({exc}).") from exc
