"""Page layout that is not content: page numbers, running headers and footers, contents lists, cover pages,
cover letters and sign-offs. The documents are invented here."""

from __future__ import annotations

import pytest

from rag.corpus.cleaning import clean_lines
from rag.corpus.sections import outline_path, parse_document


def texts(text: str) -> list[str]:
    return [line.text for line in clean_lines(text)]


def pages_of(body: list[str], footer: str, header: str = "") -> str:
    """Join pages of body lines with a numbered footer ("{n}" is the page number) and an optional header."""
    out = []
    for n, page in enumerate(body, start=1):
        out.append((f"{header}\n\n" if header and n > 1 else "") + page + "\n\n" + footer.format(n=n, total=len(body)))
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("footer", ["Page {n} of {total}", "- {n} -", "第 {n} 页 共 {total} 页", "{n} / {total}", "{n}"])
def test_page_numbers_in_their_printed_forms_are_removed(footer: str) -> None:
    text = pages_of(["1. Ports\n\nShips first.", "More ships.", "2. Airports\n\nPlanes next."], footer)
    assert texts(text) == ["1. Ports", "Ships first.", "More ships.", "2. Airports", "Planes next."]


def test_a_running_header_repeated_on_every_page_is_removed_and_a_cut_paragraph_rejoined() -> None:
    pages = [
        "1. Ports\n\nThe harbour needs deeper berths so that the largest container ships can call at\n"
        "every state of the tide, and the terminals need longer quays and more cranes for",
        "the ships that are now on order at yards in Korea and in the Mainland, which will\n"
        "arrive within the next three years and will need berths of at least sixteen metres.",
        "2. Airports\n\nThe third runway has opened and the terminal is being extended for the decade.",
    ]
    text = pages_of(pages, "Page {n} of {total}", header="Harbour Council | Position Paper")
    root = parse_document(text, 0)
    assert [s.heading for s in root.children] == ["Ports", "Airports"]
    body = " ".join(root.children[0].paragraphs)
    assert "Harbour Council" not in body
    assert "more cranes for the ships that are now on order" in body


def test_a_header_after_a_form_feed_is_removed() -> None:
    text = "Cover Title\n\fTrade Body | Paper\nI. TRADE\nTrade text.\n\fTrade Body | Paper\nII. SKILLS\nSkills text.\n"
    assert "Trade Body | Paper" not in texts(text)


def test_an_english_contents_list_with_dotted_leaders_is_not_a_second_outline() -> None:
    text = (
        "Trade Body\nPosition Paper\n\nContents\nI. Trade .................... 2\n   A. Ports ................. 2\n"
        "II. Skills ................... 3\n\f\nI. TRADE\n\nTrade matters.\n\nA. Ports\n\nMore berths.\n\n"
        "II. SKILLS\n\nSkills matter.\n"
    )
    root = parse_document(text)
    assert [outline_path(s) for s in root.walk() if s is not root] == ["I", "IA", "II"]
    assert "Contents" not in " ".join(p for s in root.walk() for p in s.paragraphs)
    assert root.heading == "Trade Body Position Paper"


def test_a_contents_list_without_page_numbers_is_removed() -> None:
    text = "目　錄\n前言 ............\n第一章　總則 ............\n\n前言\n\n本會提出建議。\n\n第一章　總則\n\n內容。\n"
    assert texts(text) == ["前言", "本會提出建議。", "第一章　總則", "內容。"]


def test_a_cover_letters_furniture_and_sign_off_are_not_text_and_its_body_is_the_preamble() -> None:
    text = (
        "Harbour Council\nSubmission on Ports\n\nPage 1 of 3\n\n1 May 2025\nThe Secretary for Transport\n"
        "Central Government Offices\n\nDear Secretary,\n\nWe enclose our views on the port. We hope they help.\n\n"
        "Yours sincerely,\n\n\nA. Chan\nChairman\n\nPage 2 of 3\n\nExecutive Summary\n\n"
        "The port can grow again if berths are deepened.\n\n1. Ports\n\nDeeper berths are needed.\n\n"
        "Harbour Council\nMay 2025\n\nPage 3 of 3\n"
    )
    root = parse_document(text)
    lines = [p for s in root.walk() for p in s.paragraphs]
    assert [s.heading for s in root.children] == ["Executive Summary", "Ports"]
    for gone in ("Dear Secretary,", "Yours sincerely,", "Chairman", "May 2025", "The Secretary for Transport"):
        assert all(gone not in p for p in lines), gone
    assert root.heading == "Harbour Council Submission on Ports"
    assert root.paragraphs == ["We enclose our views on the port. We hope they help."]  # what the letter says


def test_a_chinese_cover_letters_subject_and_text_stay_text_of_the_preamble_never_a_section() -> None:
    text = (
        "香港青嶺物流商會\n\n財政司司長\n政府總部\n\n敬啟者：\n\n二〇二七至二八年度財政預算案意見\n\n"
        "本會代表三百二十家物流企業，現謹提交對新一份預算案的意見。\n會員去年合共僱用約八千名員工。\n\n"
        "此致\n財政司司長\n\n香港青嶺物流商會\n主席 陳大文\n\f"
        "一、港口\n\n建議加深葵青貨櫃碼頭的航道。\n\n二、機場\n\n建議擴建空運貨站。\n"
    )
    root = parse_document(text)
    assert [outline_path(s) for s in root.walk() if s is not root] == ["一", "二"]
    assert root.paragraphs == ["二〇二七至二八年度財政預算案意見",
                               "本會代表三百二十家物流企業，現謹提交對新一份預算案的意見。", "會員去年合共僱用約八千名員工。"]
    assert all("敬啟者" not in p and "此致" not in p and "陳大文" not in p for s in root.walk() for p in s.paragraphs)


def test_repeated_body_lines_far_from_page_breaks_are_kept() -> None:
    text = pages_of(["1. Trade\n\nSource: our survey.\n\nMore text here.", "2. Skills\n\nSource: our survey.\n\nEnd."],
                    "- {n} -")
    assert texts(text).count("Source: our survey.") == 2


@pytest.mark.parametrize("dated", ["Date: 6 August 2026", "Dated 6 August 2026", "日期：2026年8月6日"])
def test_a_title_block_ending_in_a_labelled_date_is_front_matter_and_the_summary_after_it_a_section(
        dated: str) -> None:
    text = (
        "HONG KONG EXAMPLE COUNCIL OF TRAINING PROVIDERS\n\nLearning City, Talent Hub\n"
        "Submission on the 2026 Policy Address\n\n"
        "To: The Chief Executive of the Hong Kong Special Administrative Region\n"
        f"{dated}\n\nExecutive Summary\n\n"
        "The Council speaks for 186 self-financing institutions, which together teach about 210,000\n"
        "learners a year. Our recommendations are:\n\n"
        "  1. Let self-financing institutions admit more non-local students.\n"
        "  2. Turn idle hotels into student hostels.\n\n"
        "1. A Regional Hub for Learning\n\nThe publicly funded universities cannot meet the demand alone.\n\n"
        "2. Student Housing\n\nA hub for learning needs beds.\n"
    )
    root = parse_document(text)
    assert "Learning City, Talent Hub" in root.heading
    assert [outline_path(s) for s in root.walk() if s is not root] == ["Executive Summary", "1", "2"]
