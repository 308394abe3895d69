"""The bodies' names blanked: in a question they say who is asked, in a passage who speaks; neither is a topic."""

from __future__ import annotations

import pytest

from rag.text.names import Names

NAMES = Names(["The Ambermoor Institute of Tax and Trust Practitioners (Hong Kong)", "AITT", "Ambermoor Institute",
               "Business and Professionals Alliance for Hong Kong", "BPA", "香港中華廠商聯合會", "廠商會"])


def test_a_name_is_blanked_in_any_case_and_script_keeping_offsets() -> None:
    text = "AITT 與香港中華廠商聯合會 agree with the ambermoor institute."
    blanked = NAMES.blank(text)
    assert len(blanked) == len(text)
    assert "aitt" not in blanked and "厂商" not in blanked and "ambermoor" not in blanked
    assert "agree with the" in blanked


@pytest.mark.parametrize("text", [
    "The Institute proposes a levy on plastic bags.",
    "Institute estimate from a review of members' client files, June 2026.",
    "In our Alliance's view, the levy is too low.",
])
def test_a_head_noun_standing_for_a_body_is_blanked_in_a_passage(text: str) -> None:
    blanked = NAMES.blank_in_passage(text)
    assert len(blanked) == len(text)
    assert "institute" not in blanked and "alliance" not in blanked


@pytest.mark.parametrize("text, kept", [
    ("The Government should set up a Design Institute in Tsuen Wan.", "design institute"),
    ("The Legislative Council and the Trade Alliance should meet.", "trade alliance"),
    ("Every research institute needs land.", "research institute"),  # lower case: a common noun
])
def test_another_name_or_a_common_noun_is_kept(text: str, kept: str) -> None:
    assert kept in NAMES.blank_in_passage(text)


def test_names_without_an_english_head_blank_nothing_more() -> None:
    names = Names(["廠商會", "CMA"])
    assert names.blank_in_passage("The Institute proposes.") == "the institute proposes."
