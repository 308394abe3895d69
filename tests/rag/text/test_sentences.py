"""The one sentence splitter: English full stops, abbreviations and numbers; Chinese terminals."""

from __future__ import annotations

import pytest

from rag.corpus import cleaning
from rag.text.sentences import ends_sentence, split_pieces, split_sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("Costs rise. Margins fall.", ["Costs rise.", "Margins fall."]),
    ("Use e.g. a voucher. Then apply.", ["Use e.g. a voucher.", "Then apply."]),
    ("It is ranked No. 3 in Asia. Next.", ["It is ranked No. 3 in Asia.", "Next."]),
    ("Raise the limit (paras. 23 and 24). See para. 12 too.", ["Raise the limit (paras. 23 and 24).", "See para. 12 too."]),
    ("We need more jobs. 2027 is near.", ["We need more jobs.", "2027 is near."]),  # a word, not an abbreviation
    ("A grant of HK$1.5 million is enough. Next.", ["A grant of HK$1.5 million is enough.", "Next."]),
    ("The U.S. market grew. It did.", ["The U.S. market grew.", "It did."]),
    ("Is it enough? Not yet! Try again.", ["Is it enough?", "Not yet!", "Try again."]),
    ("租金上升。人工上升！怎麼辦？", ["租金上升。", "人工上升！", "怎麼辦？"]),
    ("他說「好。」然後離開。", ["他說「好。」", "然後離開。"]),
    # a note mark after a sentence's end stays with that sentence, which still ends there
    ("Exports fell in 2025.[1] We propose a rebate.", ["Exports fell in 2025.[1]", "We propose a rebate."]),
    ("出口下跌。[2]本會建議退稅。", ["出口下跌。[2]", "本會建議退稅。"]),
    ("Rents rose.¹ Costs too.[iv] End.", ["Rents rose.¹", "Costs too.[iv]", "End."]),
    ("See note [3] for the source.", ["See note [3] for the source."]),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_pieces_give_the_text_back() -> None:
    text = "One. Two, No. 3 and HK$1.5.\n第三句。"
    assert "".join(split_pieces(text)) == text


@pytest.mark.parametrize(("text", "ends"), [
    ("The port grew.", True), ("港口增長。", True), ("如下：", True), ("(see note)", False),
    ("the U.S.", False), ("for example e.g.", False), ("1.", False), ("HK$1.5", False), ("growth.)", True),
    ("in 2025.[1]", True), ("增長。[12]", True), ("as shown in [1]", False),
])
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_cleaning_uses_the_one_sentence_end_test() -> None:
    assert cleaning.ends_sentence is ends_sentence
