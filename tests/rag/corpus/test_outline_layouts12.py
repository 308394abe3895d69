"""One test per outline rule added for the layouts of the dev set eval/unseen12: a bilingual paper that gives each
section whole in English and then in Chinese under its own heading, a sign-off with no date that repeats the body's
name from the title block, a title block whose last line ends with a date, and an unnumbered heading over a drawn
table. Documents invented here."""

from __future__ import annotations

from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree

PARALLEL = ("Introduction\n\nWe make medical devices.\n\n引言\n\n本會會員製造醫療器械。\n\n"
            "I. Faster Registration\n\nWe propose a pathway of 150 working days.\n\n"
            "一、加快註冊\n\n本會建議設立一百五十個工作天的審批途徑。\n\n"
            "II. Clean Rooms\n\nWe propose 3 hectares in San Tin.\n\n"
            "二、潔淨廠房\n\n本會建議在新田預留三公頃土地。\n\n"
            "Conclusion\n\nSmall sums go far.\n\n結語\n\n小額投入，成效顯著。\n")


def test_a_section_given_whole_in_each_language_under_its_own_heading_is_one_section() -> None:
    assert tree(PARALLEL) == [("引言", ""), ("一", ""), ("二", ""), ("結語", "")]
    root = parse_document(PARALLEL, 0)
    first = by_path(root, "一")
    assert (first.heading, first.heading_en) == ("加快註冊", "Faster Registration")
    assert first.paragraphs == ["We propose a pathway of 150 working days.", "本會建議設立一百五十個工作天的審批途徑。"]
    assert by_path(root, "引言").heading_en == "Introduction"


def test_headings_in_two_languages_are_joined_only_when_they_number_alike() -> None:
    # an English paper with one Chinese heading numbered otherwise: two sections
    text = "I. Trade\n\nWe propose a fund.\n\n二、物流\n\n本會建議設立物流基金。\n"
    assert tree(text) == [("I", ""), ("I二", "I")]
    # unnumbered headings in two languages side by side, in a paper not laid out in parallel: two sections
    text = "Introduction\n\nWe make devices.\n\n引言\n\n本會會員製造器械。\n"
    assert tree(text) == [("Introduction", ""), ("引言", "")]


def test_name_lines_ending_a_paper_that_repeat_its_title_block_are_a_sign_off() -> None:
    text = ("HARBOUR DEVICE MAKERS ASSOCIATION\n香港港灣器械商會\n\nSubmission on the Policy Address\n\n"
            "1. Funding\n\nWe propose a fund of HK$2 billion.\n\n"
            "Dr CHAN Tai-man, Chairman\n主席　陳大文博士\nHarbour Device Makers Association\n香港港灣器械商會\n")
    root = parse_document(text)
    assert tree(text, None) == [("1", "")]
    assert by_path(root, "1").paragraphs == ["We propose a fund of HK$2 billion."]
    # a last heading with text of its own is no sign-off
    annexed = text.replace("Dr CHAN Tai-man, Chairman\n主席　陳大文博士\n", "Annex\n\nThe survey of 2026.\n\n")
    assert ("Annex", "") in tree(annexed, None)


def test_a_title_block_may_end_with_a_line_that_ends_with_a_date() -> None:
    text = ("KESTREL TRADERS ASSOCIATION\n香港隼商協會\n\nBudget Submission 2027-28\n"
            "Submitted to the Financial Secretary on 15 December 2026\n\n"
            "About the Association\n\nWe represent 1,140 companies.\n\nA1. Air Cargo\n\nWe propose a fund.\n")
    root = parse_document(text)
    assert "Submitted to the Financial Secretary" in root.heading
    assert tree(text, None)[0] == ("About the Association", "")


def test_an_unnumbered_heading_over_a_drawn_table_is_a_heading() -> None:
    text = ("About Us\n\nWe represent traders. The table below sums up our proposals.\n\n"
            "Summary of Recommendations\n\n"
            "+-----+------------------+\n| No. | Recommendation   |\n+-----+------------------+\n"
            "| A1  | Air cargo        |\n+-----+------------------+\n\n"
            "Part A – Trade\n\nA1. Air Cargo\n\nWe propose a fund.\n")
    assert ("Summary of Recommendations", "") in tree(text)
    assert ("Part A", "") in tree(text)  # a numbered part after a summary is its peer
