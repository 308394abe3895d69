"""Line repairs: joining wrapped lines in English and Chinese, hyphenation, and footnotes in English layout."""

from __future__ import annotations

from rag.corpus.cleaning import clean_lines, hyphenated_words, join_wrapped
from rag.corpus.sections import parse_document


def test_join_puts_one_space_between_english_words_and_after_punctuation() -> None:
    assert join_wrapped("the Scheme,", "with") == "the Scheme, with"
    assert join_wrapped("help us.", "Hong Kong") == "help us. Hong Kong"
    assert join_wrapped("up to HK$50", "million") == "up to HK$50 million"


def test_join_puts_nothing_between_chinese_characters_or_before_a_percent_sign() -> None:
    assert join_wrapped("提升至", "百分之五") == "提升至百分之五"
    assert join_wrapped("增長 1.5", "%，") == "增長 1.5%，"
    assert join_wrapped("培育", "ESG 人才") == "培育ESG 人才"


def test_a_line_end_hyphen_is_dropped_unless_the_document_writes_the_compound_whole() -> None:
    compounds = hyphenated_words("The low-altitude economy grows.")
    assert join_wrapped("part of the infra-", "structure", compounds) == "part of the infrastructure"
    assert join_wrapped("the low-", "altitude economy", compounds) == "the low-altitude economy"


ENGLISH_FOOTNOTES = """\
1. Arbitration

Parties may seek interim measures from courts across the boundary, which no other
seat enjoys.1 Competition is intensifying as new centres invest in hearing rooms and
promotion, and the city must keep its lead.

____________________
1 An arrangement on interim measures, in force since 2019.

Page 1 of 2

The second page continues the argument with a new paragraph that ends here.
"""


def test_english_footnote_markers_are_removed_and_footnote_text_is_not_glued_into_a_paragraph() -> None:
    root = parse_document(ENGLISH_FOOTNOTES, 0)
    paragraphs = root.children[0].paragraphs
    assert any("which no other seat enjoys. Competition is intensifying" in p for p in paragraphs)
    assert "An arrangement on interim measures, in force since 2019." in paragraphs
    assert all("enjoys.1" not in p for p in paragraphs)
    assert not any(p.startswith("Parties") and "arrangement on interim" in p for p in paragraphs)


def test_footnote_lines_carry_their_number() -> None:
    notes = [line for line in clean_lines(ENGLISH_FOOTNOTES) if line.footnote]
    assert [(line.footnote, line.text) for line in notes] == [(1, "An arrangement on interim measures, in force since 2019.")]


def test_a_dashed_table_rule_without_footnotes_is_kept() -> None:
    text = "Area     Measure\n----------------\nPorts    Berths\n"
    assert [line.text for line in clean_lines(text)] == ["Area Measure", "----------------", "Ports Berths"]


BRACKETED_FOOTNOTES = """\
1. Credit

Our survey was carried out in September 2026[1] and most members expect tighter
credit next year, as their larger customers pay later.[2]

__________
[1] Member Survey on Credit and Compliance, September 2026 (410 respondents).
[2] Listed issuers ask their suppliers for emissions data.

Institute | Submission on the 2027-28 Budget             Page 1 of 2


Trust Law Reform

The Trustee Ordinance was last overhauled in 2013, and rival centres have since moved.
"""


def test_bracketed_footnotes_under_a_rule_are_footnotes_and_their_markers_are_removed() -> None:
    notes = [(line.footnote, line.text) for line in clean_lines(BRACKETED_FOOTNOTES) if line.footnote]
    assert notes == [(1, "Member Survey on Credit and Compliance, September 2026 (410 respondents)."),
                     (2, "Listed issuers ask their suppliers for emissions data.")]
    root = parse_document(BRACKETED_FOOTNOTES, 0)
    text = "\n".join(p for s in root.walk() for p in s.paragraphs)
    assert "September 2026 and most members" in text and "pay later. " not in text and "[1]" not in text
    assert "[2]" not in text
    # the rule is no heading, and the heading after the page break is one
    assert [s.heading for s in root.walk() if s is not root] == ["Credit", "Trust Law Reform"]
