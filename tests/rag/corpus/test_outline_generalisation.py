"""One test per rule added when the parser met layouts it was not developed on. Documents invented here."""

from __future__ import annotations

from rag.corpus.cleaning import clean_lines
from rag.corpus.numbering import readings
from rag.corpus.sections import Section, outline_path, parse_document


def tree(text: str, front_matter_lines: int | None = 0) -> list[tuple[str, str]]:
    """(path, parent path) of every section."""
    root = parse_document(text, front_matter_lines)
    return [(outline_path(s), outline_path(s.parent) if s.parent is not root else "")
            for s in root.walk() if s is not root]


def by_path(root: Section, path: str) -> Section:
    return next(s for s in root.walk() if s is not root and outline_path(s) == path)


def test_an_english_heading_followed_by_its_chinese_translation_is_one_section() -> None:
    text = ("Introduction\n引言\n\nWe build homes.\n\n我們興建房屋。\n\n"
            "A. Water\nA. 用水\n\nWater matters.\n\n用水很重要。\n\n"
            "A.1 Grey Water Systems\nA.1 中水系統\n\nReuse it.\n\n循環再用。\n")
    root = parse_document(text, 0)
    assert tree(text) == [("引言", ""), ("A", ""), ("A.1", "A")]
    section = by_path(root, "A.1")
    assert (section.heading, section.heading_en) == ("中水系統", "Grey Water Systems")
    assert by_path(root, "引言").heading_en == "Introduction"


def test_a_decimal_under_a_letter_heading_stands_alone_and_nests_under_its_letter() -> None:
    assert [r.family for r in readings("B.2 Recycled Aggregates")] == ["decimal2"]
    text = "A. Water\n\nText.\n\nA.1 Grey\n\nText.\n\nA.2 Rain\n\nText.\n\nB. Waste\n\nText.\n\nB.1 Fill\n\nText.\n"
    assert tree(text) == [("A", ""), ("A.1", "A"), ("A.2", "A"), ("B", ""), ("B.1", "B")]


def test_part_labels_keep_their_word_and_chapters_numbered_across_parts_nest_under_them() -> None:
    assert [(r.family, r.number, r.rest) for r in readings("Part A — Keeping Cargo Moving")] == [
        ("division", "Part A", "Keeping Cargo Moving")]
    assert [r.ordinal for r in readings("PART II: SKILLS")] == [2]
    assert readings("Part of the plan is cheap.") == []
    text = ("Part A — Cargo\n\n1. Air Cargo\n\nText.\n\n2. Sea Freight\n\nText.\n\n"
            "Part B — People\n\n3. Customs\n\n(a) A single window\n\nText.\n")
    assert tree(text) == [("Part A", ""), ("Part A1", "Part A"), ("Part A2", "Part A"), ("Part B", ""),
                          ("Part B3", "Part B"), ("Part B3(a)", "Part B3")]


def test_a_contents_list_without_leaders_is_dropped_when_its_titles_are_printed_again() -> None:
    text = ("Contents\n\nForeword    2\nPart A — Cargo    2\n1. Air Cargo    3\nClosing Remarks    4\n\n"
            "Foreword\n\nWe move cargo.\n\nPart A — Cargo\n\n1. Air Cargo\n\nPlanes.\n\nClosing Remarks\n\nThanks.\n")
    lines = [line.text for line in clean_lines(text)]
    assert lines[0] == "Foreword"
    assert tree(text) == [("Foreword", ""), ("Part A", ""), ("Part A1", "Part A"), ("Closing Remarks", "")]


def test_a_run_of_lines_ending_in_numbers_whose_titles_do_not_recur_is_kept() -> None:
    text = "Members by district:\n\nKowloon    35\nNew Territories    41\nIslands    52\n\nThat is all.\n"
    assert [line.text for line in clean_lines(text)][1:4] == ["Kowloon 35", "New Territories 41", "Islands 52"]


def test_superscript_footnote_markers_are_removed_and_notes_under_a_rule_kept_as_footnotes() -> None:
    text = ("1. Ports\n\nThroughput fell.¹ Ships left for other ports.²\n\n______________\n"
            "¹ Port statistics, 2025.\n² Member survey.\n\nPage 1\n")
    lines = clean_lines(text)
    assert [line.text for line in lines if not line.footnote] == ["1. Ports", "Throughput fell. Ships left for other ports."]
    assert [(line.footnote, line.text) for line in lines if line.footnote] == [
        (1, "Port statistics, 2025."), (2, "Member survey.")]


def test_a_title_block_ending_with_its_date_is_front_matter() -> None:
    text = ("THE OPEN PORT\nA Freight Agenda for Hong Kong\n\nSubmission of the Hong Kong Council of Freight Forwarders\n\n"
            "November 2025\n\nForeword\n\nWe move cargo for the city.\n\n1. Air Cargo\n\nPlanes.\n")
    root = parse_document(text)
    assert root.heading.endswith("November 2025")
    assert tree(text, None) == [("Foreword", ""), ("1", "")]


def wrapped_paragraph(lines: int) -> str:
    """A Chinese paragraph hard-wrapped at 30 characters, every line full and none ending a sentence."""
    filler = "本會建議政府推行下列各項措施，以協助業界應對成本上升及人手不足的問題，"
    text = (filler * lines)[: 30 * lines]
    return "\n".join(text[k : k + 30] for k in range(0, len(text), 30))


def test_a_numbered_label_starting_a_wrapped_line_mid_sentence_is_a_cross_reference() -> None:
    text = f"第一條　租金\n\n{wrapped_paragraph(24)}\n第三條的各項措施才能收效。\n\n第二條　電費\n\n電費補貼。\n"
    root = parse_document(text, 0)
    assert [p for p, _ in tree(text)] == ["第一條", "第二條"]
    assert by_path(root, "第一條").paragraphs[-1].endswith("第三條的各項措施才能收效。")


def test_after_a_bullet_a_numbered_line_is_a_heading_even_when_the_bullet_fills_the_line() -> None:
    bullet = "● 建造符合環保產業需求的先進工業大廈，協助中小型環保科技企業開展業"
    text = f"一、租金\n\n{wrapped_paragraph(24)}。\n\n{bullet}\n二、電費\n\n電費補貼。\n"
    assert [p for p, _ in tree(text)] == ["一", "二"]


ROMAN_WITH_SUB_HEADINGS = """\
i. Cross-border Data

Firms worry about data.

Data Flows Within the Bay Area

The standard contract is little used.

Reform of the Privacy Law

The ordinance is old.

ii. Payments

Cash still rules.

Merchant Adoption

Stalls avoid fees.

Conclusion

We look forward to working together.

Appendix: Survey Method

The survey had 163 answers.
"""


def test_unnumbered_sub_headings_nest_inside_the_numbered_section_the_next_title_continues() -> None:
    assert tree(ROMAN_WITH_SUB_HEADINGS) == [
        ("i", ""), ("Data Flows Within the Bay Area", "i"), ("Reform of the Privacy Law", "i"),
        ("ii", ""), ("Merchant Adoption", "ii"), ("Conclusion", ""), ("Appendix: Survey Method", "")]


def test_unnumbered_headings_that_divide_a_numbered_list_stay_dividers() -> None:
    text = ("對外聯繫\n\n香港要加強聯繫。\n\n1. 深化定位\n\n建議一。\n\n2. 南向合作\n\n建議二。\n\n"
            "國家發展\n\n香港要對接國家。\n\n3. 參與規劃\n\n建議三。\n")
    assert tree(text) == [("對外聯繫", ""), ("1", "對外聯繫"), ("2", "對外聯繫"), ("國家發展", ""), ("3", "國家發展")]


def test_markdown_heading_marks_are_layout_and_background_does_not_parent_the_sections() -> None:
    text = ("## Background\n\nThe Alliance has 900 shops.\n\n## 1. Street Shopping\n\nText.\n\n"
            "### 1.1 Pedestrian Zones\n\nText.\n\n**2. Costs**\n\nText.\n\n## Conclusion\n\nThanks.\n")
    assert tree(text) == [("Background", ""), ("1", ""), ("1.1", "1"), ("2", ""), ("Conclusion", "")]


def test_an_english_lead_in_with_a_colon_before_bullets_is_text_not_a_heading() -> None:
    text = "1. Fees\n\nFees are high.\n\nWe ask the Government to:\n- waive renewal fees;\n- accept forms online.\n"
    root = parse_document(text, 0)
    assert tree(text) == [("1", "")]
    assert "We ask the Government to:" in by_path(root, "1").paragraphs


def test_chinese_parts_numbered_with_bu_fen_keep_their_whole_label() -> None:
    assert [(r.family, r.number, r.rest) for r in readings("第一部分　經濟發展")] == [
        ("chapter部分", "第一部分", "經濟發展")]
    text = "第一部分　經濟\n\n一、金融\n\n內容。\n\n第二部分　民生\n\n一、房屋\n\n內容。\n"
    assert tree(text) == [("第一部分", ""), ("第一部分一", "第一部分"), ("第二部分", ""), ("第二部分一", "第二部分")]


def test_paragraphs_numbered_through_the_paper_with_a_hanging_indent_are_text_under_their_headings() -> None:
    wrap = "word " * 14  # lines wrapped near 78 columns, the paragraph's later lines indented under its number
    text = ("Housing Supply\n\n"
            "1. The Institute of Builders (the Institute) was founded in 1991 and today has\n"
            "    about 4,300 members and some of them are quantity surveyors and engineers:\n"
            "    site engineers, safety officers and project managers, who work for firms.\n\n"
            + "".join(f"{n}. {wrap.strip()} and {wrap.strip()[:20]}\n    {wrap.strip()}.\n\n" for n in range(2, 12))
            + "Summary of Recommendations\n\n"
            "12. For ease of reference, the Institute's recommendations are:\n"
            "   \u2022 a Joint Vetting Panel for large housing projects;\n"
            "   \u2022 a Digital Safety Passport for all registered workers.\n")
    root = parse_document(text, 0)
    assert tree(text) == [("Housing Supply", ""), ("Summary of Recommendations", "")]
    first = by_path(root, "Housing Supply").paragraphs[0]
    assert first.startswith("1. The Institute") and "site engineers" in first  # one paragraph, not cut at the colon


def test_a_list_of_numbered_lines_stays_a_list_and_an_annex_after_the_sign_off_is_a_part() -> None:
    text = ("Chapter 2: Skills\n\n2.1 Training\n\nWe need more vets. Recommendation 1 \u2013 The Government should\n"
            "fund more places.\n\nThe Association of Vets\nSeptember 2026\n\n\n"
            "Annex A: Summary of Recommendations\n\n"
            "Recommendation 1 \u2013 Raise the local veterinary intake from 30 to 50 a year\n"
            "Recommendation 2 \u2013 Scholarships of HK$100,000 a year for 20 local students\n"
            "Recommendation 3 \u2013 A statutory register of veterinary nurses\n")
    assert tree(text) == [("Chapter 2", ""), ("2.1", "Chapter 2"), ("Annex A: Summary of Recommendations", "")]


def test_a_first_page_with_a_wrapped_summary_paragraph_is_no_cover_page() -> None:
    # the summary's lines end mid-sentence (「……設有」 / 「業務。本會……」): none ends a sentence, yet they run on
    summary = ("本會由在港及在粵經營的工商企業組成，現有會員企業約九百二十家，其中超過六成\n"
               "同時在香港及大灣區內地城市設有業務。本會於今年五月至六月訪問了二百一十五家\n"
               "會員企業，其中百分之四十三表示未來三年計劃擴大在北部都會區的業務。本會就\n"
               "《施政報告》提出兩方面共五項建議：\n\n一、發展低空經濟\n二、打通跨境物流")
    para = ("本會建議政府在二〇二八年底前設立首批二十個無人機起降點，其中十二個位於北部\n"
            "都會區，其餘分布於機場島及大嶼山，並須預留充電及維修設施，方便業界營運。\n")
    text = (f"香港某某聯合會\n對施政報告的建議書\n\n摘要\n\n{summary}\n\n- 1 -\n\f"
            f"一、發展低空經濟\n\n{para}\n二、打通跨境物流\n\n{para}\n" + para * 8)
    root = parse_document(text, None)
    assert root.heading == "香港某某聯合會 對施政報告的建議書"
    assert tree(text, None) == [("摘要", ""), ("一", ""), ("二", "")]
    assert "百分之四十三" in "".join(by_path(root, "摘要").paragraphs)


def test_a_lone_heading_restating_the_title_above_every_numbered_section_parents_none() -> None:
    text = ("SUBMISSION ON THE 2027-28 BUDGET\n\nA. FINANCE\n\nA1 Fees\n\nWe ask for a fee waiver.\n\n"
            "B. VESSELS\n\nB1 Trial\n\nWe ask for a trial.\n\nCLOSING REMARKS\n\nWe thank you.\n")
    root = parse_document(text, 0)
    assert tree(text) == [("A", ""), ("A1", "A"), ("B", ""), ("B1", "B"), ("CLOSING REMARKS", "")]
    assert "SUBMISSION ON THE 2027-28 BUDGET" in root.paragraphs  # kept, as text


def test_headings_dividing_the_numbered_sections_between_them_stay_their_parents() -> None:
    text = ("PART ONE\n\nA. FINANCE\n\nWe ask for a fee waiver.\n\n"
            "PART TWO\n\nB. VESSELS\n\nWe ask for a trial.\n")
    assert tree(text) == [("PART ONE", ""), ("PART ONEA", "PART ONE"), ("PART TWO", ""), ("PART TWOB", "PART TWO")]
