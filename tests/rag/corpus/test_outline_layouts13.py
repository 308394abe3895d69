"""One test per outline rule added for the layouts of the dev set eval/unseen13: a submission written as a letter
from its salutation to its closing (its headings are the submission's sections, its subject line is its title), and
a bilingual paper in two halves (the whole paper in Chinese, a title page, then the whole paper in English under the
same numbers). Documents invented here."""

from __future__ import annotations

from rag.corpus.sections import parse_document
from tests.rag.corpus.test_outline_generalisation import by_path, tree

LETTER = ("香港茶嶺茶藝商會\n\n二〇二七年一月八日\n\n香港添馬添美道二號\n財政司司長\n\n司長：\n\n"
          "《2027-28年度財政預算案》諮詢——本會意見\n\n"
          "本會成立於一九八六年，現有會員三百家。本會謹就來年預算案提出以下兩項建議：\n\n"
          "**減免茶葉進口費用**\n\n本會建議政府豁免茶葉進口的報關費，為期兩年。\n\n"
          "**資助茶藝培訓**\n\n本會建議政府資助茶藝師培訓，每年五百人。\n\n"
          "以上建議，敬希垂注。\n\n此致\n\n財政司司長\n\n香港茶嶺茶藝商會\n會長　梁大文　謹啟\n\n"
          "二〇二七年一月八日\n\n**附件**\n\n建議措施開支估算\n\n| 建議 | 估算開支 |\n| --- | --- |\n"
          "| 減免茶葉進口費用 | 每年約二千萬元 |\n")


def test_a_submission_written_as_a_letter_has_its_headings_as_sections() -> None:
    assert tree(LETTER, None) == [("減免茶葉進口費用", ""), ("資助茶藝培訓", ""), ("附件", "")]
    root = parse_document(LETTER)
    assert root.heading == "《2027-28年度財政預算案》諮詢——本會意見"  # its subject line, not a section
    assert root.paragraphs[0].startswith("本會成立於一九八六年")  # the letter's opening stays, as the preamble
    assert by_path(root, "資助茶藝培訓").paragraphs == ["本會建議政府資助茶藝師培訓，每年五百人。", "以上建議，敬希垂注。"]
    text = [p for s in root.walk() for p in [s.heading, *s.paragraphs]]
    for furniture in ("司長：", "此致", "會長　梁大文　謹啟", "香港添馬添美道二號"):
        assert all(furniture not in p for p in text), furniture


def test_an_english_submission_written_as_a_letter_has_its_headings_as_sections() -> None:
    text = ("Harbour Tea Council\n\nThe Financial Secretary\nCentral Government Offices\n\nDear Financial Secretary,\n\n"
            "The 2027-28 Budget: our views\n\nWe represent 300 tea traders and make two proposals.\n\n"
            "Tea Import Charges\n\nWe propose that declaration charges on tea be waived for two years.\n\n"
            "Training Tea Masters\n\nWe propose a grant for 500 trainees a year.\n\n"
            "Yours sincerely,\n\nA. Chan\nChairman\n")
    assert tree(text, None) == [("Tea Import Charges", ""), ("Training Tea Masters", "")]
    assert parse_document(text).heading == "The 2027-28 Budget: our views"


def test_a_letter_covering_a_longer_paper_is_still_its_preamble() -> None:
    # the paper that follows is no annex: the letter covers it, however short the paper
    text = ("香港青嶺物流商會\n\n敬啟者：\n\n本會現謹提交對新一份預算案的意見，敬希垂注。\n\n此致\n財政司司長\n\n"
            "香港青嶺物流商會\n\f一、港口\n\n建議加深航道。\n")
    assert tree(text, None) == [("一", "")]
    assert parse_document(text).paragraphs == ["本會現謹提交對新一份預算案的意見，敬希垂注。"]


HALVES = ("香港風嶺能源協會\n對《2025年施政報告》的建議\n二〇二五年八月二十五日\n\n"
          "前言\n\n本會會員經營充電站。\n\n1. 擴大充電網絡\n\n1.1 舊屋苑充電\n\n本會建議資助舊屋苑安裝充電器。\n\n"
          "1.2 快速充電站\n\n本會建議預留十幅土地。\n\n2. 發展太陽能\n\n本會建議延續上網電價。\n\n"
          "結語\n\n本會期望政府採納上述建議。\n\n香港風嶺能源協會\n主席　鄭大文\n\f"
          "English Version\n\nHong Kong Fengling Energy Association\n\nSubmission on the 2025 Policy Address\n\n"
          "25 August 2025\n\f"
          "Foreword\n\nOur members run charging stations.\n\n1. Expanding the Charging Network\n\n"
          "1.1 Charging in Older Estates\n\nWe propose grants for chargers in older estates.\n\n"
          "1.2 Quick-Charging Stations\n\nWe propose ten sites.\n\n2. Growing Solar Power\n\n"
          "We propose that the feed-in tariff continue.\n\n"
          "Conclusion\n\nWe hope the Government will adopt these proposals.\n")


def test_a_paper_in_two_language_halves_is_one_outline_each_section_in_both_languages() -> None:
    assert tree(HALVES, None) == [("前言", ""), ("1", ""), ("1.1", "1"), ("1.2", "1"), ("2", ""), ("結語", "")]
    root = parse_document(HALVES)
    first = by_path(root, "1.1")
    assert (first.heading, first.heading_en) == ("舊屋苑充電", "Charging in Older Estates")
    assert first.paragraphs == ["本會建議資助舊屋苑安裝充電器。", "We propose grants for chargers in older estates."]
    assert by_path(root, "結語").heading_en == "Conclusion"
    text = [p for s in root.walk() for p in [s.heading, *s.paragraphs]]
    for furniture in ("English Version", "主席　鄭大文", "25 August 2025"):  # the second title page, the sign-off
        assert all(furniture not in p for p in text), furniture


def test_halves_that_do_not_pair_off_are_left_as_they_are() -> None:
    # the English half has one section fewer: nothing is joined, nothing lost
    text = HALVES.replace("2. Growing Solar Power\n\nWe propose that the feed-in tariff continue.\n\n", "")
    paths = [path for path, _ in tree(text, None)]
    assert paths.count("1") == 2 and "Foreword" in paths
    root = parse_document(text)
    assert any("We propose ten sites." in p for s in root.walk() for p in s.paragraphs)


def test_a_divider_page_without_a_date_is_no_title_page() -> None:
    text = ("1. Trade\n\nWe propose a fund of HK$1 billion for exporters.\n\f"
            "PART II\nRECOMMENDATIONS ON SKILLS\n\f2. Skills\n\nWe propose 500 apprenticeships.\n")
    root = parse_document(text)
    assert any("RECOMMENDATIONS ON SKILLS" in p for s in root.walk() for p in [s.heading, *s.paragraphs])



def test_each_row_of_a_drawn_table_stays_a_line_of_its_own_however_wide() -> None:
    rows = ["| 建議 | 估算開支 | 年期 |", "| --- | --- | --- |",
            "| 減免排污費及工商業污水附加費 | 每年約三億二千萬元（政府收入減少） | 兩年 |",
            "| 推出飲食業輸入勞工計劃 | 由勞工處現有資源承擔 | 不適用 |"]
    text = "一、開支\n\n本會估算各項建議的開支如下。\n\n" + "\n".join(rows) + "\n"
    root = parse_document(text, 0)
    assert by_path(root, "一").paragraphs[1:] == rows
