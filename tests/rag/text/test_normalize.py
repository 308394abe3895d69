"""Matching normalisation of user input: invisible characters and combining marks never change an answer."""

from __future__ import annotations

import pytest

from rag.text.normalize import clean_input, match_key
from rag.understand.query import QuestionError, validate_question


@pytest.mark.parametrize(("raw", "clean"), [
    ("經\u200b民聯", "經民聯"),
    ("經\u200d民\u2060聯\ufeff", "經民聯"),
    ("H\u0335\u0321e\u0338llo", "Hello"),  # zalgo
    ("cafe\u0301", "café"),  # a real accent is composed and kept
    ("a\x00b\x1bc", "a b c"),
    ("lone \ud800 surrogate", "lone ? surrogate"),
])
def test_clean_input(raw: str, clean: str) -> None:
    assert clean_input(raw) == clean


def test_a_question_of_invisible_characters_only_is_empty() -> None:
    with pytest.raises(QuestionError, match="empty"):
        validate_question("\u200b\u200b \ufeff")


def test_match_key_is_nfkc_without_whitespace_and_stars() -> None:
    assert match_key(" ＡＢ *c*\n d") == "ABcd"
