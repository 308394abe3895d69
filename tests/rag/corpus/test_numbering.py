"""The numbering grammar: each family's value parser, its readings and the next-value relation."""

from __future__ import annotations

import pytest

from rag.corpus.numbering import cjk_value, decimal_parent, is_next, readings, roman_value


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("壹", 1), ("貳", 2), ("叁", 3), ("拾", 10),
    ("甲", None), ("", None),
])
def test_cjk_value(text: str, value: int | None) -> None:
    assert cjk_value(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("I", 1), ("iv", 4), ("IX", 9), ("XII", 12), ("xl", 40), ("IIII", None), ("VX", None), ("", None),
])
def test_roman_value(text: str, value: int | None) -> None:
    assert roman_value(text) == value


@pytest.mark.parametrize(("line", "family", "number", "rest"), [
    ("1. Scope", "arabic_dot", "1", "Scope"),
    ("2.3 Funding", "decimal2", "2.3", "Funding"),
    ("2.3.1 Grants", "decimal3", "2.3.1", "Grants"),
    ("第三章　總體目標", "chapter章", "第三章", "總體目標"),
    ("第2節 細則", "chapter節", "第2節", "細則"),
    ("第十一條 適用範圍", "chapter條", "第十一條", "適用範圍"),
    ("貳、稅務", "formal_dun", "貳", "稅務"),
    ("四、土地", "cjk_dun", "四", "土地"),
    ("（二）人才", "cjk_paren", "(二)", "人才"),
    ("3、交通", "arabic_dun", "3", "交通"),
    ("(4) 細項", "arabic_paren", "(4)", "細項"),
    ("③　試點", "circled", "③", "試點"),
    ("(b) Training", "letter_paren", "(b)", "Training"),
    ("C. Ports", "letter", "C", "Ports"),
    ("ii. Second item", "roman_lower", "ii", "Second item"),
])
def test_each_family_reads_its_label(line: str, family: str, number: str, rest: str) -> None:
    reading = readings(line)[0]
    assert (reading.family, reading.number, reading.rest) == (family, number, rest)


@pytest.mark.parametrize("line", ["3.15%的增長", "381.3 萬人", "2028 will see", "Hong Kong is", "e.g. this"])
def test_numbers_and_words_are_not_labels(line: str) -> None:
    assert [r for r in readings(line) if r.family in ("arabic_dot", "decimal2", "letter")] == []


def test_ambiguous_labels_have_every_reading() -> None:
    assert {r.family for r in readings("(i) Scope")} == {"roman_paren", "letter_paren"}
    assert {r.family for r in readings("I. Scope")} == {"roman", "letter"}


def test_next_value_follows_each_family() -> None:
    def one(line: str, family: str):
        return next(r for r in readings(line) if r.family == family)

    assert is_next(one("1.1 A", "decimal2"), one("1.2 B", "decimal2"))
    assert not is_next(one("1.1 A", "decimal2"), one("2.2 B", "decimal2"))
    assert is_next(one("第一章 甲", "chapter章"), one("第二章 乙", "chapter章"))
    assert not is_next(one("第一章 甲", "chapter章"), one("第二節 乙", "chapter節"))
    assert is_next(one("IV. D", "roman"), one("V. E", "roman"))
    assert is_next(one("(h) H", "letter_paren"), one("(i) I", "letter_paren"))
    assert is_next(one("①　甲", "circled"), one("②　乙", "circled"))
    assert decimal_parent("1.2.3") == "1.2"
