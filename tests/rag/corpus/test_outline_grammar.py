"""The section parser on small invented documents, one per numbering family and layout trap.

Each document is written here, in our own words; the outline convention is that of eval/unseen/README.md
(`outline_path`: self-contained decimals stand alone, other labels append to the enclosing path).
"""

from __future__ import annotations

from rag.corpus.sections import Section, outline_path, parse_document


def outline(text: str, front_matter_lines: int | None = 0) -> list[tuple[str, str]]:
    root = parse_document(text, front_matter_lines)
    return [(outline_path(s), s.heading) for s in root.walk() if s is not root]


def paths(text: str, front_matter_lines: int | None = 0) -> list[str]:
    return [p for p, _ in outline(text, front_matter_lines)]


def all_text(root: Section) -> str:
    return "\n".join(p for s in root.walk() for p in s.paragraphs)


def by_path(root: Section, path: str) -> Section:
    return next(s for s in root.walk() if s is not root and outline_path(s) == path)


DECIMAL = """\
1. Harbour Works

The port needs deeper berths.

1.1 Dredging

Dredging should start next year.

1.1.1 Sediment disposal

A new disposal pit is needed.

1.2 Breakwaters

Two breakwaters should be raised.

2. Airport Links

Rail links come first.

2.1 Express rail

A faster train to the airport.
"""


def test_decimal_outline_nests_by_prefix_and_stands_alone_as_a_path() -> None:
    root = parse_document(DECIMAL, 0)
    assert paths(DECIMAL) == ["1", "1.1", "1.1.1", "1.2", "2", "2.1"]
    assert outline_path(by_path(root, "1.2").parent) == "1"
    assert by_path(root, "1.1.1").number_path == "1.1.1"


def test_a_decimal_number_at_a_line_start_is_not_a_heading() -> None:
    text = "1. Visitors\n\nArrivals rose sharply last year, reaching\n1.5 million visitors in the first quarter alone.\n"
    assert paths(text) == ["1"]


CHAPTERS = """\
第一章　總則

本章說明適用範圍。

第一條　目的

本條例旨在扶助小店。

第二條　定義

本條例所稱小店，指僱員少於十人的商號。

第二章　資助

第一節　租金

壹、基本資助

一、申請資格

①　經營滿一年

申請者須已經營滿一年。

②　持有商業登記

申請者須持有有效商業登記。

二、資助額

每月上限五千元。

貳、額外資助

位於偏遠地區者另加一成。

第二節　人手

本節說明人手支援。
"""


def test_chapter_article_section_formal_and_circled_levels_nest() -> None:
    assert paths(CHAPTERS) == [
        "第一章", "第一章第一條", "第一章第二條",
        "第二章", "第二章第一節", "第二章第一節壹", "第二章第一節壹一", "第二章第一節壹一①", "第二章第一節壹一②",
        "第二章第一節壹二", "第二章第一節貳", "第二章第二節",
    ]


def test_levels_may_be_skipped() -> None:
    text = "第一章　甲\n\n第一節　乙\n\n一、丙項\n\n內容。\n\n二、丁項\n\n內容。\n\n第二節　戊\n\n內容。\n"
    assert paths(text) == ["第一章", "第一章第一節", "第一章第一節一", "第一章第一節二", "第一章第二節"]


def test_simplified_chinese_levels_with_fullwidth_brackets() -> None:
    text = "一、总体方向\n\n引言。\n\n（一）培训\n\n说明。\n\n1. 课程\n\n内容。\n\n2. 津贴\n\n内容。\n\n（二）就业\n\n说明。\n\n二、配套\n\n内容。\n"
    assert paths(text) == ["一", "一（一）", "一（一）1", "一（一）2", "一（二）", "二"]


LETTERS_AND_ROMANS = """\
A. Trade

Trade matters most.

(a) Export credit

More cover for small exporters.

(b) Trade fairs

More booths abroad.

B. Skills

People matter too.

(i) Apprenticeships

Longer training.

(ii) Adult learning

Evening classes.
"""


def test_letters_at_the_top_and_letter_and_roman_headings_below() -> None:
    assert paths(LETTERS_AND_ROMANS) == ["A", "A(a)", "A(b)", "B", "B(i)", "B(ii)"]


def test_lower_roman_dot_headings_and_restarting_letters() -> None:
    text = (
        "I. SHIPPING\n\nShips first.\n\nA. Registry\n\nA cheaper registry.\n\nB. Fuels\n\nCleaner fuels.\n\n"
        "II. AVIATION\n\nPlanes next.\n\nA. Cargo\n\nMore cargo.\n\ni. Sheds\n\nBigger sheds.\n\nii. Trucks\n\nMore trucks.\n"
    )
    assert paths(text) == ["I", "IA", "IB", "II", "IIA", "IIAi", "IIAii"]


def test_english_run_in_items_stay_text_of_their_section() -> None:
    text = (
        "1. Training\n\nWe propose:\n\n(i) a certificate course on commercial law for in-house lawyers from the\n"
        "region, with 200 places a year;\n\n(ii) an annual law week; and\n\n(iii) a secondment scheme.\n\n2. Housing\n\n"
        "More flats.\n"
    )
    root = parse_document(text, 0)
    assert paths(text) == ["1", "2"]
    assert "(i) a certificate course on commercial law for in-house lawyers from the region, with 200 places a year;" \
        in by_path(root, "1").paragraphs


def test_chinese_items_introduced_by_a_colon_stay_text() -> None:
    text = (
        "一、人才\n\n（一）培訓\n\n培訓按學員的程度分為三個層次：\n\n(1) 初級：為中學生提供兩周課程；\n\n(2) 中級：與大學合辦證書課程；\n\n"
        "(3) 高級：選派學員到海外實習。\n\n（二）就業\n\n內容。\n"
    )
    root = parse_document(text, 0)
    assert paths(text) == ["一", "一（一）", "一（二）"]
    assert "(2)中級：與大學合辦證書課程；" in by_path(root, "一（一）").paragraphs


def test_bullets_are_items_of_their_section_and_their_wrapped_lines_join() -> None:
    text = (
        "A. Ports\n\nWe recommend:\n• a lower registry fee for ships that meet the\nnew efficiency standard;\n"
        "• regional desks abroad.\n\nB. Airports\n\nMore flights.\n"
    )
    root = parse_document(text, 0)
    assert paths(text) == ["A", "B"]
    assert "a lower registry fee for ships that meet the new efficiency standard;" in by_path(root, "A").paragraphs


def test_english_unnumbered_headings_are_title_case_or_capitals_not_lead_ins() -> None:
    text = (
        "Executive Summary\n\nThis paper sets out our views on trade and skills in some detail.\n\n"
        "We recommend:\n\n1. Trade\n\nTrade text follows here.\n\nAPPENDIX: FIGURES\n\nShipping lines\n"
        "• Two more berths\n\nConclusion\n\nWe look forward to the discussion.\n"
    )
    assert [h for _, h in outline(text)] == ["Executive Summary", "Trade", "APPENDIX: FIGURES", "Conclusion"]


def test_a_summary_list_repeating_the_headings_is_not_a_second_set_of_sections() -> None:
    text = (
        "Executive Summary\n\nWe group our proposals under two headings:\n\n1. Trade and Logistics\n"
        "2. Skills for the Future\n\nThe main figures follow below.\n\n1. Trade and Logistics\n\nTrade text.\n\n"
        "2. Skills for the Future\n\nSkills text.\n"
    )
    root = parse_document(text, 0)
    assert paths(text) == ["Executive Summary", "1", "2"]
    assert by_path(root, "1").parent is root, "the summary does not parent what it summarises"
    assert "1. Trade and Logistics" in by_path(root, "Executive Summary").paragraphs


def test_a_chinese_summary_list_in_any_order_of_families_is_text() -> None:
    text = "摘要\n\n本文建議如下：\n\n一、推動貿易\n二、培育人才\n\n一、推動貿易\n\n貿易內容。\n\n二、培育人才\n\n人才內容。\n"
    root = parse_document(text, 0)
    assert paths(text) == ["摘要", "一", "二"]
    assert by_path(root, "一").parent is root


def test_an_introduction_does_not_parent_the_numbered_sections() -> None:
    text = "前言\n\n本會提出以下建議。\n\n1. 貿易\n\n內容。\n\n2. 人才\n\n內容。\n\n結語\n\n謝謝。\n"
    root = parse_document(text, 0)
    assert [s.heading for s in root.children] == ["前言", "貿易", "人才", "結語"]


BILINGUAL = """\
引言
Introduction

本會成立於二〇一〇年。

The Institute was founded in 2010.

1. 推動仲裁
1. Promoting Arbitration

本會建議設立資助計劃。

The Institute proposes a subsidy scheme.

1.1 網上平台
1.1 An Online Platform

建議擴大網上平台。

2
\f
We propose a larger online platform.
"""


def test_a_bilingual_heading_pair_is_one_section_with_its_english_heading() -> None:
    root = parse_document(BILINGUAL, 0)
    assert [(outline_path(s), s.heading, s.heading_en) for s in root.walk() if s is not root] == [
        ("引言", "引言", "Introduction"),
        ("1", "推動仲裁", "Promoting Arbitration"),
        ("1.1", "網上平台", "An Online Platform"),
    ]
    assert by_path(root, "1.1").paragraphs == ["建議擴大網上平台。", "We propose a larger online platform."]


def test_a_bilingual_pair_split_by_a_page_break_is_still_one_section() -> None:
    text = "1. 推動仲裁\n\n3\n\f\n1. Promoting Arbitration\n\n本會建議。\n\nWe propose.\n"
    root = parse_document(text, 0)
    assert [(s.heading, s.heading_en) for s in root.children] == [("推動仲裁", "Promoting Arbitration")]


def test_a_chinese_paragraph_is_never_joined_to_an_english_one() -> None:
    text = "1. 貿易\n\n本會建議增加展覽攤位，並資助中小企參展，以協助\nThe Chamber proposes more booths.\n"
    root = parse_document(text, 0)
    assert root.children[0].paragraphs == ["本會建議增加展覽攤位，並資助中小企參展，以協助", "The Chamber proposes more booths."]


def test_unrecognised_lines_stay_text() -> None:
    text = "1. Trade\n\n~~ a stray line of symbols ~~\n\n| a | table | row |\n\nplain words without end\n"
    root = parse_document(text, 0)
    body = all_text(root)
    for piece in ("~~ a stray line of symbols ~~", "| a | table | row |", "plain words without end"):
        assert piece in body


def test_an_english_contents_list_without_leaders_but_with_page_numbers_is_text() -> None:
    text = (
        "Contents\n\nI. Trade 2\nII. Skills 3\n\nI. TRADE\n\nTrade matters for the port.\n\n"
        "II. SKILLS\n\nSkills matter for the port.\n"
    )
    root = parse_document(text, 0)
    assert [outline_path(s) for s in root.walk() if s.number] == ["I", "II"]
    assert [s.heading for s in root.walk() if s.number] == ["TRADE", "SKILLS"]


def test_the_same_sub_heading_in_two_chapters_is_a_heading_both_times() -> None:
    text = "第一章　貿易\n\n一、背景\n\n內容。\n\n二、建議\n\n內容。\n\n第二章　人才\n\n一、背景\n\n內容。\n\n二、建議\n\n內容。\n"
    assert paths(text) == ["第一章", "第一章一", "第一章二", "第二章", "第二章一", "第二章二"]


def test_a_summary_of_long_titles_is_text_even_when_the_first_section_has_subsections() -> None:
    first = "Strengthening the Harbour as a Regional Centre for Ship Finance and Insurance"
    second = "Bringing Visitors Back Through Cruise Calls and International Sports Events"
    text = (
        f"Executive Summary\n\nOur proposals fall under two headings:\n\n1. {first}\n2. {second}\n\n"
        f"The figures follow below.\n\n1. {first}\n\nFinance text.\n\n1.1 Ship Leasing\n\nLeasing text.\n\n"
        f"1.2 Marine Insurance\n\nInsurance text.\n\n2. {second}\n\nVisitor text.\n"
    )
    assert paths(text) == ["Executive Summary", "1", "1.1", "1.2", "2"]


def test_an_english_summary_list_of_long_items_after_the_body_is_text() -> None:
    # Lettered items with nothing between them, each longer than a Chinese title may be, repeat the proposals:
    # a list, not eleven sections.
    items = "\n".join(f"  ({letter}) Extend the guarantee scheme's interest-only option by one more year (para. {n})"
                      for n, letter in enumerate("abcd", start=4))
    text = ("Support for Small Businesses\n\n4. We recommend extending the interest-only option by a year.\n\n"
            f"Summary of Recommendations\n\n{items}\n\n5. We would welcome the opportunity to discuss them.\n")
    root = parse_document(text, 0)
    assert paths(text) == ["Support for Small Businesses", "Summary of Recommendations"]
    assert any(p.startswith("(c) Extend the guarantee") for p in by_path(root, "Summary of Recommendations").paragraphs)
