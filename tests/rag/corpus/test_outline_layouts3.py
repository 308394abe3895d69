"""One test per outline rule added for the layouts of eval/unseen3: spelled-out and lettered word labels, 上篇 /
下篇, ㈠ and ⑴, annex numbers (A1, A2.1), page furniture that carries its page number in a shape of its own, a
signed foreword inside the document, tables and captions, English lines that end on a function word, and a summary
that lists headings with items under them. Documents invented here."""

from __future__ import annotations

from rag.corpus.layout import analyse
from rag.corpus.numbering import is_self_contained, readings
from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree


def _labels(line: str) -> list[tuple[str, str, int]]:
    return [(r.family, r.number, r.ordinal) for r in readings(line)]


def test_part_numbers_in_words_and_lettered_sections_are_labels() -> None:
    assert _labels("Part One – The Trading Environment") == [("division", "Part One", 1)]
    assert _labels("PART THREE: DELIVERY") == [("division", "PART THREE", 3)]
    assert _labels("Section B: What Members Said") == [("section_letter", "Section B", 2)]
    assert not is_self_contained("Section B")
    text = ("Part One – Context\n\nSection A: Costs\n\nCosts have risen.\n\nSection B: Views\n\nMembers were surveyed.\n\n"
            "Part Two – Proposals\n\nSection C: Finance\n\nBanks are cautious.\n")
    assert tree(text) == [("Part One", ""), ("Part OneSection A", "Part One"), ("Part OneSection B", "Part One"),
                          ("Part Two", ""), ("Part TwoSection C", "Part Two")]


def test_a_word_and_a_number_before_more_words_is_no_label() -> None:
    assert readings("Submitted 28 July 2026") == []
    assert _labels("Question 2: Should insurance be compulsory?") == [("word_question", "Question 2", 2)]


def test_halves_and_one_character_bracketed_numbers_are_labels() -> None:
    assert _labels("上篇　公眾街市") == [("half", "上篇", 1)]
    assert _labels("㈡　租務") == [("paren_ideograph", "㈡", 2)]
    assert _labels("⑴　租金寬減") == [("paren_digit", "⑴", 1)]
    text = ("上篇　街市\n\n甲、設施\n\n㈠　空調\n\n街市需要空調。\n\n㈡　通道\n\n⑴　斜道\n\n加建斜道。\n\n⑵　升降機\n\n加建升降機。\n\n"
            "乙、租務\n\n租約應延長。\n\n下篇　零售\n\n甲、數碼化\n\n推動電子支付。\n")
    assert tree(text) == [("上篇", ""), ("上篇甲", "上篇"), ("上篇甲㈠", "上篇甲"), ("上篇甲㈡", "上篇甲"),
                          ("上篇甲㈡⑴", "上篇甲㈡"), ("上篇甲㈡⑵", "上篇甲㈡"), ("上篇乙", "上篇"), ("下篇", ""),
                          ("下篇甲", "下篇")]


def test_annex_numbers_stand_alone_and_nest_like_decimals() -> None:
    assert _labels("A1 Survey Method") == [("letter_number", "A1", 1)]
    assert is_self_contained("A2") and is_self_contained("A2.1")
    text = ("1. Scope\n\nText.\n\nAnnex A: Survey\n\nA1 Method\n\nWe asked riders.\n\nA2 Findings\n\nIn brief.\n\n"
            "A2.1 Devices\n\nMost use bicycles.\n\nA2.2 Accidents\n\nFew were hurt.\n")
    assert tree(text) == [("1", ""), ("Annex A: Survey", ""), ("A1", "Annex A: Survey"), ("A2", "Annex A: Survey"),
                          ("A2.1", "A2"), ("A2.2", "A2")]


def test_headers_and_footers_that_carry_the_page_number_are_page_furniture() -> None:
    pages = []
    for n in range(1, 5):
        pages += [f"Paragraph on page {n} of the submission goes on at some length here.", "",
                  f"{n} | Harbour Traders Council", "HTC | Submission on the Budget", ""]
    layout = analyse(pages)
    assert {pages[i] for i in layout.dropped} == {*(f"{n} | Harbour Traders Council" for n in range(1, 5)),
                                                  "HTC | Submission on the Budget"}
    assert layout.pages == 5
    # numbered headings repeat a shape with counting numbers too, and stay
    questions = [line for n in range(1, 5) for line in (f"Question {n}:", "Our answer is yes, for the reasons given.",
                                                        "", "More text.", "", "")]
    assert not analyse(questions).dropped
    middle_dots = [line for n in range(1, 5) for line in ("正文一段。", "", "", "", "", f"·{n}·", "")]
    assert {middle_dots[i] for i in analyse(middle_dots).dropped} == {f"·{n}·" for n in range(1, 5)}


def test_a_signed_foreword_ends_before_the_next_heading() -> None:
    text = ("HARBOUR TRADERS COUNCIL\nSubmission\n\f\nForeword\n\nWe thank our members for their views.\n\n"
            "Chan Tai Man\nChairman\nAugust 2026\n\f\nSummary of Recommendations\n\nWe propose three things.\n\n"
            "1. Finance\n\nText.\n")
    root = parse_document(text, None)
    assert tree(text, None) == [("Foreword", ""), ("Summary of Recommendations", ""), ("1", "")]
    assert "Chairman" not in " ".join(by_path(root, "Foreword").paragraphs)


def test_a_table_ends_its_block_and_a_caption_is_not_a_heading() -> None:
    text = ("1. Costs\n\nThe costs are set out below.\n\nItem                          Cost\nDesks            12\n"
            "Booths           85\nAnnex 2: Estimated Cost\n\nThe estimate is ours.\n")
    assert tree(text) == [("1", ""), ("Annex 2: Estimated Cost", "")]
    chinese = "第1章　總覽\n\n會員分佈如下。\n\n表1　會員類別\n類別　數目\n商戶　五十八\n\n1.1　問題\n\n問題有三。\n\n第2章　建議\n\n建議如下。\n"
    assert tree(chinese) == [("第1章", ""), ("1.1", "第1章"), ("第2章", "")]


def test_an_english_line_ending_on_a_function_word_goes_on_in_the_next() -> None:
    text = ("3. Standards\n\nText.\n\n3.1 Technical Standards\n\nText.\n\n3.2 Registration Marks and Insurance for Devices Used in\nCommercial Fleets\n\n"
            "3.2.1 Marks\n\nText.\n")
    root = parse_document(text, 0)
    assert tree(text) == [("3", ""), ("3.1", "3"), ("3.2", "3"), ("3.2.1", "3.2")]
    assert by_path(root, "3.2").heading == "Registration Marks and Insurance for Devices Used in Commercial Fleets"


def test_a_summary_listing_headings_with_items_under_them_is_not_the_outline() -> None:
    text = ("Summary of Recommendations\n\nIn brief:\n\nSection C: Finance\n1) Insurance – halve the premium.\n"
            "2) Guarantees – a new product.\nSection D: Markets\n1) Help desk – for small traders.\n\n"
            "Part Two – Recommendations\n\nSection C: Finance\n\nBanks are cautious.\n\n1) Insurance\n\nPremiums are high.\n\n"
            "2) Guarantees\n\nA new product.\n\nSection D: Markets\n\nMarkets are changing.\n\n1) Help desk\n\nOne desk.\n")
    assert tree(text) == [("Summary of Recommendations", ""), ("Part Two", ""), ("Part TwoSection C", "Part Two"),
                          ("Part TwoSection C1)", "Part TwoSection C"), ("Part TwoSection C2)", "Part TwoSection C"),
                          ("Part TwoSection D", "Part Two"), ("Part TwoSection D1)", "Part TwoSection D")]


def test_summaries_introductions_and_appendices_restate_the_paper() -> None:
    from rag.corpus.sections import restates

    for heading in ("APPENDIX: SUMMARY OF RECOMMENDATIONS", "Executive Summary", "Summary of Recommendations",
                    "摘要", "附錄一　會員問卷調查結果", "Conclusion", "引言"):
        assert restates(heading), heading
    for heading in ("Trade Finance", "III. CRUISE TOURISM", "產業發展"):
        assert not restates(heading), heading
