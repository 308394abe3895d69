"""One test per outline rule added for the layouts of eval/unseen2: word labels (Part, Chapter, Section), labels
printed alone above their titles, numbered headings with unnumbered translations, unnumbered headings inside
numbered sections, and contents lists with neither leaders nor page numbers. Documents invented here."""

from __future__ import annotations

from rag.corpus.blocks import make_blocks
from rag.corpus.cleaning import clean_lines
from rag.corpus.numbering import is_self_contained, readings
from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree


def test_chapter_and_section_words_are_labels_and_a_section_number_stands_alone() -> None:
    assert [(r.family, r.number, r.rest) for r in readings("Chapter 2: Rail Capacity")] == [
        ("word_chapter", "Chapter 2", "Rail Capacity")]
    assert [(r.family, r.number) for r in readings("Section 2.1 The Northern Link")] == [("section2", "Section 2.1")]
    assert is_self_contained("Section 2.1") and is_self_contained("1.2") and not is_self_contained("Chapter 2")
    text = ("Chapter 1: Roads\n\nText.\n\nSection 1.1 Pricing\n\nText.\n\nA. Zones\n\nText.\n\n"
            "Section 1.2 Kerbs\n\nText.\n\nChapter 2: Rail\n\nText.\n\nSection 2.1 Links\n\nText.\n")
    assert tree(text) == [("Chapter 1", ""), ("Section 1.1", "Chapter 1"), ("Section 1.1A", "Section 1.1"),
                          ("Section 1.2", "Chapter 1"), ("Chapter 2", ""), ("Section 2.1", "Chapter 2")]


def test_a_section_word_that_starts_a_running_sentence_is_text() -> None:
    text = "1. Law\n\nText.\n\nSection 3 of the Ordinance applies to every operator in the territory.\n\n2. Data\n\nText.\n"
    assert tree(text) == [("1", ""), ("2", "")]


def test_a_label_alone_on_its_line_takes_the_next_line_as_its_title() -> None:
    text = ("PART I\nROADS AND RAIL\n\nChapter 1: Roads\n\nText.\n\nPART II\nPEOPLE\n\nChapter 2: Skills\n\nText.\n")
    root = parse_document(text, 0)
    assert tree(text) == [("PART I", ""), ("PART IChapter 1", "PART I"), ("PART II", ""),
                          ("PART IIChapter 2", "PART II")]
    assert by_path(root, "PART II").heading == "PEOPLE"
    chinese = "第一章\n總則\n\n本章說明目的。\n\n第一節\n適用範圍\n\n本節說明範圍。\n\n第二章\n措施\n\n措施如下。\n"
    assert tree(chinese) == [("第一章", ""), ("第一章第一節", "第一章"), ("第二章", "")]
    assert by_path(parse_document(chinese, 0), "第二章").heading == "措施"


def test_a_sentence_citing_an_article_at_a_paragraph_start_is_text() -> None:
    text = "第一章 總則\n\n本章說明目的。\n\n第三條的規定不適用於小型企業。\n\n第二章 措施\n\n措施如下。\n"
    assert tree(text) == [("第一章", ""), ("第二章", "")]


def test_a_numbered_heading_and_its_unnumbered_translation_on_the_next_line_are_one_section() -> None:
    text = ("1. Manpower\n安老院舍人手\n\nHomes are short of staff.\n\n院舍人手不足。\n\n"
            "1.1 Importing Workers\n輸入護理員\n\nRaise the quota.\n\n提高配額。\n\n"
            "2. Community Care\n社區照顧\n\nAge at home.\n\n居家安老。\n")
    root = parse_document(text, 0)
    assert tree(text) == [("1", ""), ("1.1", "1"), ("2", "")]
    assert (by_path(root, "1.1").heading, by_path(root, "1.1").heading_en) == ("輸入護理員", "Importing Workers")
    chinese_first = "一、人手短缺\nManpower Shortage\n\n人手不足。\n\n二、培訓\nTraining\n\n加強培訓。\n"
    assert tree(chinese_first) == [("一", ""), ("二", "")]
    assert by_path(parse_document(chinese_first, 0), "二").heading_en == "Training"


def test_a_title_block_dated_in_both_languages_ends_after_both_dates() -> None:
    text = ("CARING FOR A CITY\n照顧城市\n\nFebruary 2026\n二〇二六年二月\n\nIntroduction\n引言\n\n"
            "We run care homes.\n\n我們營辦院舍。\n\n1. Manpower\n人手\n\nStaff are short.\n")
    root = parse_document(text)
    assert root.heading.endswith("二〇二六年二月")
    assert tree(text, None) == [("引言", ""), ("1", "")]


def test_a_blank_line_after_a_full_stop_ends_a_hard_wrapped_chinese_paragraph() -> None:
    full = "本會認為應該堅持三個原則並且以人才為根本以應用場景帶動發展"  # 30 characters, 60 columns
    text = f"{full}\n{full[:29]}。\n\n產業發展\n\n{full}\n{full}\n"
    blocks = make_blocks(clean_lines(text), wrap=60)
    assert [b.text for b in blocks][1] == "產業發展"


def test_a_colon_line_introducing_clauses_is_a_lead_in_not_a_label_heading() -> None:
    text = ("第一条 发展低空经济\n\n本会建议从三方面入手：\n一是增加航线；\n二是简化审批；\n三是预留土地。\n\n"
            "第二条 建设产业链\n\n扩建中试线。\n")
    assert tree(text) == [("第一条", ""), ("第二条", "")]


def test_unnumbered_headings_divide_a_list_and_also_sit_inside_its_sections() -> None:
    text = ("产业发展\n\n第一条 发展低空经济\n\n现状与问题\n\n航线有限。\n\n具体建议\n\n增加航线。\n\n"
            "第二条 建设产业链\n\n现状与问题\n\n产能有限。\n\n配套措施\n\n扩建中试线。\n\n"
            "人才与资金\n\n第三条 吸引人才\n\n增加配额。\n")
    assert tree(text) == [("产业发展", ""), ("第一条", "产业发展"), ("现状与问题", "第一条"), ("具体建议", "第一条"),
                          ("第二条", "产业发展"), ("现状与问题", "第二条"), ("配套措施", "第二条"),
                          ("人才与资金", ""), ("第三条", "人才与资金")]


def test_a_contents_list_under_its_title_without_leaders_or_page_numbers_is_dropped() -> None:
    text = ("目錄\n\n前言\n第一部分　數碼轉型\n一、數據平台\n附件一：調查摘要\n\n前言\n\n本會成立多年。\n\n"
            "第一部分　數碼轉型\n\n一、數據平台\n\n統一標準。\n\n附件一：調查摘要\n\n結果如下。\n")
    assert [line.text for line in clean_lines(text)][0] == "前言"
    assert tree(text) == [("前言", ""), ("第一部分", ""), ("第一部分一", "第一部分"), ("附件一：調查摘要", "")]


def test_heavenly_stems_full_width_dots_and_bu_fen_variants_are_labels() -> None:
    assert [r.family for r in readings("甲、現況")] == ["stem_dun"]
    assert [r.number for r in readings("1．服務內容")] == ["1"]
    assert [r.number for r in readings("二．建議")] == ["二"]
    assert [r.family for r in readings("第一部份　現況")] == ["chapter部份"]
    text = ("甲、現況\n\n一、人手\n\n人手不足。\n\n乙、建議\n\n一、擴大角色\n\n（一）藥物覆核\n\n"
            "1．服務內容\n\n覆核用藥。\n\n2．資助安排\n\n每次三百元。\n\n丙、總結\n\n期望採納。\n")
    assert tree(text) == [("甲", ""), ("甲一", "甲"), ("乙", ""), ("乙一", "乙"), ("乙一（一）", "乙一"),
                          ("乙一（一）1", "乙一（一）"), ("乙一（一）2", "乙一（一）"), ("丙", "")]


def test_an_english_numbered_title_wrapped_onto_an_indented_line_is_one_heading() -> None:
    text = ("I. LICENSING\n\n1. A Single Licence for Tokenised Securities and Digital Asset Custody\n"
            "   Services Provided to Professional Investors\n\nFirms now need three licences.\n\n"
            "2. Capital Rules\n\nRules weigh heavily on small platforms.\n")
    root = parse_document(text, 0)
    assert tree(text) == [("I", ""), ("I1", "I"), ("I2", "I")]
    assert by_path(root, "I1").heading.endswith("Services Provided to Professional Investors")


def test_any_capitalised_word_with_a_number_and_a_separator_is_a_label_but_captions_are_not() -> None:
    assert [r.family for r in readings("Recommendation 2: Create a Skills Academy")] == ["word_recommendation"]
    assert [r.family for r in readings("QUESTION 4 — Do you agree?")] == ["word_question"]
    assert readings("Table 2: Visitor arrivals") == [] and readings("Annex 1: Members") == []
    assert readings("Phase 2 will start in 2027.") == []
    text = ("Summary\n\nRecommendation 1: Extend opening hours.\nRecommendation 2: Create an academy.\n\n"
            "Background\n\nVisitors have returned.\n\nRecommendation 1: Extend Opening Hours\n\nOpen later.\n\n"
            "Recommendation 2: Create an Academy\n\n2.1 Curriculum\n\nShort courses.\n\n2.2 Funding\n\nHK$60 million.\n")
    assert tree(text) == [("Summary", ""), ("Background", ""), ("Recommendation 1", ""), ("Recommendation 2", ""),
                          ("2.1", "Recommendation 2"), ("2.2", "Recommendation 2")]


def test_capital_letters_and_romans_in_brackets_and_numbers_with_a_closing_bracket_are_levels_of_their_own() -> None:
    assert [r.family for r in readings("(A) Ports")] == ["letter_paren_upper"]
    assert [r.family for r in readings("2）港口")] == ["arabic_close"]
    text = ("(I) Trade\n\nText.\n\n(A) Ports\n\nText.\n\n1) Berths\n\nText.\n\n2) Cranes\n\nText.\n\n"
            "(B) Air\n\nText.\n\n(II) People\n\nText.\n")
    assert tree(text) == [("(I)", ""), ("(I)(A)", "(I)"), ("(I)(A)1)", "(I)(A)"), ("(I)(A)2)", "(I)(A)"),
                          ("(I)(B)", "(I)"), ("(II)", "")]


def test_a_decimal_number_glued_to_a_chinese_title_is_a_label_but_not_one_glued_to_a_unit() -> None:
    assert [(r.number, r.rest) for r in readings("1.2推廣品牌")] == [("1.2", "推廣品牌")]
    assert readings("1.5萬人次到訪") == [] and readings("3.2億元") == []
    text = "第一章 總則\n\n本章說明。\n\n1.1加強融資\n\n內容。\n\n1.2推廣品牌\n\n內容。\n\n第二章 措施\n\n2.1培訓\n\n內容。\n"
    assert tree(text) == [("第一章", ""), ("1.1", "第一章"), ("1.2", "第一章"), ("第二章", ""), ("2.1", "第二章")]


def test_english_capitals_headings_rank_above_title_case_ones_and_one_line_numbered_sentences_are_items() -> None:
    text = ("PURPOSE\n\n1. This submission sets out our views on franchise businesses in Hong Kong.\n\n"
            "OUR PROPOSALS\n\nFinancing\n\n2. The guarantee scheme should accept franchise agreements as\n"
            "evidence of a viable plan.\n\nTraining\n\n3. Retraining courses should cover franchise management.\n\n"
            "CONCLUSION\n\n4. The Association would be pleased to meet the Panel to discuss these views.\n")
    assert tree(text) == [("PURPOSE", ""), ("OUR PROPOSALS", ""), ("Financing", "OUR PROPOSALS"),
                          ("Training", "OUR PROPOSALS"), ("CONCLUSION", "")]


def test_roman_letter_and_arabic_labels_alone_on_their_line_take_the_next_line_as_title() -> None:
    text = "I.\nTRADE\n\nText here.\n\n1.\nPorts\n\nText here.\n\n2.\nAirports\n\nText.\n\nII.\nPEOPLE\n\nText.\n"
    root = parse_document(text, 0)
    assert tree(text) == [("I", ""), ("I1", "I"), ("I2", "I"), ("II", "")]
    assert by_path(root, "I2").heading == "Airports"


def test_a_capitals_heading_with_text_of_its_own_does_not_parent_the_title_case_headings_after_it() -> None:
    text = ("Background\n\nWe run hotels.\n\nKEY FIGURES\n\nVisitors rose by ten per cent.\n\n"
            "Our Proposals\n\nWe propose three things.\n")
    assert tree(text) == [("Background", ""), ("KEY FIGURES", ""), ("Our Proposals", "")]
