"""One test per outline rule added for the layouts of the dev set eval/unseen15: an English paper in the style of a
Hong Kong consultation paper, with a cover letter, its own title block, a contents list, PARTs set off by rules,
lettered sub-sections and paragraphs numbered through the whole paper, each number set apart from its text by a
run of spaces. Documents invented here."""

from __future__ import annotations

from rag.corpus.cleaning import clean_lines
from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree

RULE = "-" * 70
PAPER = (
    "12 January 2027\n\nThe Financial Secretary\nCentral Government Offices\n\nDear Financial Secretary,\n\n"
    "On behalf of the Harbour Tea Institute, I enclose our submission on the 2027-28 Budget.\n\n"
    "Yours faithfully,\n\nA. Chan\nPresident\n\n"
    f"{RULE}\n\n"
    "                 SUBMISSION ON THE 2027-28 BUDGET\n"
    "                      Harbour Tea Institute\n"
    "                          January 2027\n\n"
    "CONTENTS\n\n"
    "Part I    Introduction ................................ paragraphs 1-2\n"
    "Part II   Tea Trade ................................... paragraphs 3-5\n\n"
    f"{RULE}\n\n"
    "PART I – INTRODUCTION\n\n"
    "1.   The Harbour Tea Institute was founded in 1986 and has 300 members who\n"
    "     import, blend and sell tea in Hong Kong and across the region.\n\n"
    "2.   Our members asked us to put two matters to the Government this year,\n"
    "     both of them about the cost of doing business in the tea trade.\n\n"
    "PART II – TEA TRADE\n\n"
    "A. Import Charges\n\n"
    "3.   Many small traders pay declaration charges on every consignment of\n"
    "     tea, however small, and the charges add up over a year of trading.\n\n"
    "4.   The Institute proposes that declaration charges on tea be waived for\n"
    "     two years, at a cost of about HK$20 million a year.\n\n"
    "B. Training\n\n"
    "5.   The Institute proposes a grant for 500 trainee tea masters a year.\n"
)


def test_paragraphs_numbered_through_a_paper_are_text_of_its_parts() -> None:
    assert tree(PAPER, None) == [("CONTENTS", ""), ("PART I", ""), ("PART II", ""), ("PART IIA", "PART II"),
                                 ("PART IIB", "PART II")]
    root = parse_document(PAPER)
    # the number's run of spaces is no table's column gap: the paragraph runs on over its lines
    assert by_path(root, "PART IIA").paragraphs == [
        "3. Many small traders pay declaration charges on every consignment of tea, however small, and the charges "
        "add up over a year of trading.",
        "4. The Institute proposes that declaration charges on tea be waived for two years, at a cost of about "
        "HK$20 million a year."]
    assert by_path(root, "PART I").heading == "INTRODUCTION"


def test_the_title_block_after_a_cover_letter_is_front_matter() -> None:
    root = parse_document(PAPER)
    assert "SUBMISSION ON THE 2027-28 BUDGET" in root.heading and "January 2027" in root.heading
    assert all(s.heading != "SUBMISSION ON THE 2027-28 BUDGET" for s in root.walk() if s is not root)


def test_a_contents_list_parents_nothing() -> None:
    root = parse_document(PAPER)
    assert by_path(root, "CONTENTS").children == [] and by_path(root, "PART II").parent is root


def test_a_rule_separates_the_lines_around_it_and_is_no_text() -> None:
    lines = clean_lines(f"The end of a paragraph\n{RULE}\nPART I – INTRODUCTION\n\n{'=' * 20}\nMore text.\n")
    assert [line.text for line in lines] == ["The end of a paragraph", "PART I – INTRODUCTION", "More text."]
    assert lines[1].blank_before and lines[2].blank_before
