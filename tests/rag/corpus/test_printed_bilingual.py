"""A bilingual paper as a PDF prints it: each section in Chinese and then in English under the same decimal label,
labels set apart with an em space, English lines broken by proportional type (not by a count of characters)."""

from __future__ import annotations

from rag.corpus.numbering import readings
from rag.corpus.sections import outline_path, parse_document

PAPER = """\
香港柏溪眼鏡業商會
對《2026年施政報告》的建議

第一部分\u2003零售
Part 1 — Retail
本會會員經營眼鏡零售店約四百間，近年租金及人手成本持續上升，不少店舖已縮短營業時間。
Our members run about 400 optical shops; rents and wages keep rising, and many shops have cut their hours.
1.1\u2003視光檢查券
本會建議政府向六十五歲以上長者發放每年五百元的視光檢查券，可於任何註冊視光師使用，以及早發現白內障及青光眼。
1.1 Eye Examination Vouchers
We propose that the Government give everyone aged 65 or over an annual voucher of HK$500 for an eye
examination by any registered optometrist, so that cataract and glaucoma are found early. Members at
Tsim Sha Tsui and Mong Kok report long queues at public clinics, and a voucher would shorten them.
1.2\u2003鏡片回收
本會建議在公共屋邨設置鏡片及鏡框回收箱，由商會會員負責清運。
1.2 Recycling Lenses and Frames
We propose collection boxes for lenses and frames in public housing estates, emptied by our members
at no cost to the Government, with the frames given to two charities based in Sham Shui
Po and Kwun Tong, which work with low-income families.
第二部分\u2003人才
Part 2 — People
2.1\u2003視光師培訓
本會建議增加大學視光學學額至每年八十個。
2.1 Training Optometrists
We propose raising the number of university places in optometry to 80 a year, from about 40 today, with
Hong Kong Polytechnic University and a second institution sharing the intake.
"""


def test_a_label_set_apart_by_an_em_or_no_break_space_is_read() -> None:
    for line in ("1.1\u2003視光檢查券", "1.1\u00a0Eye Examination Vouchers", "第一部分\u2002零售"):
        assert readings(line), line


def test_each_section_in_chinese_then_english_under_the_same_label_is_one_section() -> None:
    root = parse_document(PAPER)
    sections = [s for s in root.walk() if s is not root]
    assert [(outline_path(s), s.heading, s.heading_en) for s in sections] == [
        ("第一部分", "零售", "Retail"),
        ("1.1", "視光檢查券", "Eye Examination Vouchers"),
        ("1.2", "鏡片回收", "Recycling Lenses and Frames"),
        ("第二部分", "人才", "People"),
        ("2.1", "視光師培訓", "Training Optometrists"),
    ]


def test_english_lines_broken_mid_sentence_by_proportional_type_are_one_paragraph() -> None:
    root = parse_document(PAPER)
    recycling = next(s for s in root.walk() if s.heading_en == "Recycling Lenses and Frames")
    assert "two charities based in Sham Shui Po and Kwun Tong, which work" in recycling.paragraphs[-1]
    voucher = next(s for s in root.walk() if s.heading_en == "Eye Examination Vouchers")
    assert voucher.paragraphs[-1].startswith("We propose that the Government")
    assert "registered optometrist, so that cataract and glaucoma are found early. Members at Tsim Sha Tsui" in (
        voucher.paragraphs[-1])
