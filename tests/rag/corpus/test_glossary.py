"""How the glossary finds its English phrases in a question (rag.corpus.glossary.Glossary.scan)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from rag.corpus.dictionary import derive_entries
from rag.corpus.glossary import Entry, Found, Glossary, normalise

ROOT = Path(__file__).resolve().parents[3]


def reference_phrases(glossary: Glossary, text: str) -> list[Found]:
    """The phrases one regular expression of all of them finds: leftmost, then longest, standing alone."""
    phrases = sorted(glossary._by_phrase, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")
    normed = normalise(text)
    return [Found(m.start(), m.end(), m.group(1), glossary._by_phrase[m.group(1)]) for m in pattern.finditer(normed)]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    """The shipped glossary with dictionary entries (and so inflections) as an index build derives them."""
    shipped = Glossary.load(ROOT / "corpus" / "glossary.tsv")
    words = Counter({"咖啡": 1, "仲裁": 1, "物流": 2, "旅遊": 1, "規劃": 3, "稅務": 1, "研發": 2, "中心": 4})
    return shipped.extended(Glossary(derive_entries(words, english=["arbitration", "tribunal", "plans"])))


def questions() -> list[str]:
    lines = (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    asked = [json.loads(line)["question"] for line in lines if line.strip()]
    return [*asked, "R&D-led 5G hubs' plans, co-operation; (tax) relief!", "logistics-hub logistics hubs",
            "Which bodies plan planned planning plans?", "coffee,arbitration.tribunal", "", "   ", "a",
            "industrialisation vs industrialization", "低空經濟 low-altitude economy 的建議"]


def test_phrases_are_those_one_expression_of_them_all_finds(glossary: Glossary) -> None:
    for text in questions():
        assert [f for f in glossary.scan(text) if f.entry is not None] == reference_phrases(glossary, text), text


def test_the_longest_phrase_wins_and_phrases_stand_alone() -> None:
    glossary = Glossary([Entry(("food",), ("食品",), "concept"), Entry(("food park",), ("食品園",), "concept"),
                         Entry(("park",), ("園",), "concept")])
    assert [f.phrase for f in glossary.scan("A food park, a seafood parks and a park.") if f.entry] == [
        "food park", "park"]


def test_an_empty_english_wording_matches_nothing() -> None:
    glossary = Glossary([Entry(("-",), ("空",), "concept"), Entry(("tax",), ("稅",), "concept")])
    assert glossary.matches("tax - relief") == [("tax", glossary.entries[1])]


def test_a_british_spelling_in_a_question_finds_an_american_glossary_phrase() -> None:
    glossary = Glossary([Entry(("license",), ("牌照",), "dictionary"), Entry(("neighborhood center",), ("社區中心",), "")])
    found = glossary.scan("A Licence for each Neighbourhood Centre?")
    assert [(f.phrase, f.entry and f.entry.chinese) for f in found if f.entry] == [
        ("license", ("牌照",)), ("neighborhood center", ("社區中心",))]
    assert glossary.unmatched_words("Which licence?") == ["which"]


def test_a_dictionary_words_plural_in_a_question_finds_its_entry() -> None:
    glossary = Glossary([Entry(("bus",), ("巴士",), "dictionary"), Entry(("gas",), ("氣體",), "dictionary")])
    assert [(f.phrase, f.entry.chinese) for f in glossary.scan("How many buses run on gases?") if f.entry] == [
        ("buses", ("巴士",)), ("gases", ("氣體",))]
