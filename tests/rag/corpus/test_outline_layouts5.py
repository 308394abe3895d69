"""One test per outline rule added for the layouts of the dev sets eval/unseen5 and eval/unseen6: a text box drawn
with box-drawing characters, arrow bullets, parts lettered 甲部 / 乙部, `Part I  Title` without punctuation, a lead-in
that introduces clause items, a clause a page break cuts, a bilingual heading whose two languages number it each in
their own way, and a one-line paragraph among hard-wrapped ones. Documents invented here."""

from __future__ import annotations

from rag.corpus.cleaning import clean_lines
from rag.corpus.numbering import readings
from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree


def test_a_box_drawn_around_text_is_no_text_and_arrows_are_bullets() -> None:
    text = ("┌──────────────────────────────┐\n"
            "│  KEY POINTS                  │\n"
            "│  ▸ A fund of HK$2 billion    │\n"
            "│  ▸ Vouchers for 3,000 SMEs   │\n"
            "└──────────────────────────────┘\n\n"
            "About the Council\n\nWe represent traders.\n\n1. Funding\n\nWe propose a fund.\n")
    assert [line.text for line in clean_lines(text)][:3] == ["KEY POINTS", "▸ A fund of HK$2 billion",
                                                             "▸ Vouchers for 3,000 SMEs"]
    assert tree(text) == [("KEY POINTS", ""), ("About the Council", ""), ("1", "About the Council")]
    # a rule of ─ alone is no border: the footnote under it is still read as one
    noted = "We propose a fund.1\n\n──────────\n1 See the survey of 2025.\n"
    assert [line.footnote for line in clean_lines(noted)] == [0, 1]


def test_parts_lettered_by_the_heavenly_stems_hold_their_sections() -> None:
    assert [(r.family, r.number) for r in readings("甲部　振興旅遊業")] == [("stem_part", "甲部")]
    text = ("甲部　旅遊\n\n一、海島旅遊\n\n增加船班。\n\n二、夜市\n\n舉辦夜市。\n\n乙部　體育\n\n三、場地\n\n開放學校場地。\n")
    assert tree(text) == [("甲部", ""), ("甲部一", "甲部"), ("甲部二", "甲部"), ("乙部", ""), ("乙部三", "乙部")]


def test_a_part_label_and_a_capitalised_title_after_spaces_are_a_heading() -> None:
    assert [r.number for r in readings("Part II  Protection for an Ageing Population")] == ["Part II"]
    assert [r.number for r in readings("Part A Reinforcing Established Engines")] == ["Part A"]
    assert readings("Part of the cost falls on employers.") == []
    text = ("Part I  Building a Centre\n\n1.1 Captives\n\nWe propose a desk.\n\n"
            "Part II  Protection\n\n2.1 Care\n\nWe propose a deduction.\n")
    assert tree(text) == [("Part I", ""), ("1.1", "Part I"), ("Part II", ""), ("2.1", "Part II")]


def test_a_lead_in_to_clause_items_is_no_heading() -> None:
    text = ("一、零售\n\n1.1 轉型\n\n本會建議：\n\n(a) 推出電子平台，整合商戶優惠；\n\n(b) 資助員工培訓，每人上限八千元；\n\n"
            "1.2 夜市\n\n舉辦夜市。\n")
    assert tree(text) == [("一", ""), ("1.1", "一"), ("1.2", "一")]


def test_a_label_naming_part_of_a_section_is_a_heading_though_clause_items_follow() -> None:
    # (eval/unseen7: 「政策建議：」 names a part; 「本會建議：」 is the body speaking, a lead-in)
    text = ("一、樓宇維修\n\n（一）審批\n\n背景：\n\n法團等候審批需時甚久，工程一再延誤。\n\n"
            "政策建議：\n\n1. 設立預審通道，四十五個工作天內回覆；\n\n2. 公布審批時間表，按季檢討。\n\n"
            "（二）人手\n\n本會建議：\n\n(a) 資助學徒培訓，每人上限八千元；\n\n(b) 推行技術評核。\n")
    assert tree(text) == [("一", ""), ("一（一）", "一"), ("背景", "一（一）"), ("政策建議", "一（一）"),
                          ("一（二）", "一")]


def test_a_clause_a_page_break_cuts_goes_on_after_the_page_furniture() -> None:
    text = ("一、海島旅遊\n\n本會提出以下建議：\n\n(a) 增開往塔門及吉澳的船班，每年資助約三千萬元；\n\n"
            "(b) 放寬離島民宿的發牌要求，容許村屋以\n\n～ 4 ～\n\n鷺嶼總會意見書\n\n"
            "「特色民宿」形式經營，每間最多提供六個房間；\n\n(c) 設立導賞員資歷，三年內培訓五百名導賞員。\n\n"
            "二、夜市\n\n舉辦夜市。\n\n～ 5 ～\n\n鷺嶼總會意見書\n\n三、體育\n\n開放場地。\n\n～ 6 ～\n\n鷺嶼總會意見書\n")
    root = parse_document(text, 0)
    assert tree(text) == [("一", ""), ("二", ""), ("三", "")]
    assert any("容許村屋以「特色民宿」形式經營" in p for p in by_path(root, "一").paragraphs)


def test_a_bilingual_heading_numbered_in_each_language_is_one_section() -> None:
    text = ("一、推動綠色轉型\nI. A Green Transition\n\n（一）廚餘減量\n(a) Cutting Food Waste\n\n本聯盟建議資助食肆。\n\n"
            "The Alliance proposes a subsidy.\n\n（二）綠色貸款\n(b) Green Loans\n\n本聯盟建議補貼利息。\n\n"
            "The Alliance proposes an interest subsidy.\n\n二、發展美食旅遊\nII. Food Tourism\n\n本聯盟建議推出套票。\n")
    root = parse_document(text, 0)
    assert tree(text) == [("一", ""), ("一（一）", "一"), ("一（二）", "一"), ("二", "")]
    assert by_path(root, "一（一）").heading_en == "Cutting Food Waste"
    # English first, its decimal number and the Chinese bracketed one (eval/unseen7)
    english_first = ("1. Skills\n一、技能\n\nWe train riggers.\n\n我們培訓技術員。\n\n"
                     "1.1 A Licensing Scheme for Riggers\n（一）為吊掛技術員設立發牌制度\n\nWe propose a licence.\n\n"
                     "本會建議設立牌照。\n\n1.2 Safety Training\n（二）安全培訓\n\nWe propose courses.\n\n本會建議開辦課程。\n")
    assert [path for path, _ in tree(english_first)] == ["一", "一（一）", "一（二）"]


def test_a_paragraph_on_one_line_ends_where_its_sentence_does_among_wrapped_ones() -> None:
    wrapped = ("1.1  Many of our members want to automate but cannot carry the upfront\n"
               "     cost of robotics, machine vision and production software today.\n")
    long_line = ("Our members see real momentum, and visitor arrivals have recovered while the new industrialisation "
                 "agenda has begun to draw investment into the city.")
    text = (f"About the Council\n\n{long_line}\n\nPage 1 of 2\n\nIndustry and Innovation\n\n"
            f"Recommendation 1: Smart Lines\n\n{wrapped}\n1.2  The Council proposes a fund for firms that\n"
            "     automate their lines in Hong Kong.\n")
    # (the numbered paragraphs 1.1 and 1.2 are paragraphs of Recommendation 1, not headings)
    assert tree(text) == [("About the Council", ""), ("Industry and Innovation", ""),
                          ("Recommendation 1", "Industry and Innovation")]
