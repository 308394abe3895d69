"""Quantities in both languages: a number with a unit or measure, not a bare year or a version."""

from __future__ import annotations

import pytest

from rag.text.numbers import states_quantity


@pytest.mark.parametrize(("text", "expected"), [
    ("預計增加 30%", True),
    ("提供約 300 公顷的用地", True),
    ("80 per cent of output by value", True),
    ("a 20-hectare site", True),
    ("hk$800 million over five years", True),
    ("3,000 square metres of space", True),
    ("in 2025 the chamber", False),
    ("industry 4.0 and beyond", False),
    ("the 2024-25 budget", False),
])
def test_states_quantity_in_chinese_and_english(text: str, expected: bool) -> None:
    assert states_quantity(text) is expected
