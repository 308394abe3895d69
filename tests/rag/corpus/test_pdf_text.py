"""PDF text as the page shows it: a submission printed to PDF by chromium (CJK fonts map common ideographs to
Kangxi radicals in the text layer), with a running header and a page-number footer on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.corpus.loader import read_text, repair_extracted
from rag.corpus.sections import outline_path, parse_document
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS


def test_kangxi_radicals_and_ligatures_become_the_characters_a_reader_sees() -> None:
    assert repair_extracted("第⼀部分：⼗公頃⼟地，Certiﬁcation ﬂows") == "第一部分：十公頃土地，Certification flows"
    assert repair_extracted("（一）全形標點，ＡＢ") == "（一）全形標點，ＡＢ"  # full-width forms stay as printed


FILLER = "本會認為政府應檢討現行規定，簡化申請文件，並公布審批時限，讓中小企業可以預計所需時間。" * 6

SUBMISSION = f"""<html><head><meta charset="utf-8"><style>body {{ font-family: "Noto Sans CJK TC", sans-serif;
font-size: 11pt }}</style></head><body>
<h1>香港銀灣倉儲業協會</h1><p>對《2026年施政報告》的建議</p>
<h2>第一部分　冷鏈物流</h2>
<h3>1.1 擴建冷鏈倉庫</h3>
<p>本會建議政府在北部都會區預留十公頃土地，興建第二個冷鏈倉庫。百分之六十二的會員表示現有設施不足。</p>
<h3>1.2 Cold Chain Certification</h3>
<p>We propose that the Government fund a certification scheme, with a subsidy of 50 per cent of the audit fee.</p>
{"".join(f"<h3>1.{k} 第{k}項措施</h3><p>{FILLER}</p>" for k in range(3, 13))}
<h2>第二部分　人才</h2>
<h3>2.1 輸入貨車司機</h3><p>本會建議將貨車司機納入補充勞工計劃，首批配額二千人。</p>
</body></html>"""


@pytest.mark.browser
def test_a_chromium_printed_submission_reads_with_its_outline_and_without_page_furniture(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`; `make test` does it for you.")
    from playwright.sync_api import sync_playwright

    html, pdf = tmp_path / "paper.html", tmp_path / "paper.pdf"
    html.write_text(SUBMISSION, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(html.as_uri())
        page.pdf(path=str(pdf), display_header_footer=True, margin={"top": "60px", "bottom": "60px"},
                 header_template='<div style="font-size:8pt;width:100%;text-align:center">銀灣倉儲業協會 | 施政報告建議'
                                 "</div>",
                 footer_template='<div style="font-size:8pt;width:100%;text-align:center">Page '
                                 '<span class="pageNumber"></span> of <span class="totalPages"></span></div>')
        browser.close()
    text = read_text(pdf)
    assert text.count("\f") >= 2  # three pages or more, each break kept
    assert not re.search(r"[\u2f00-\u2fd5\ufb00-\ufb06]", text)
    root = parse_document(text)
    sections = [s for s in root.walk() if s is not root]
    assert [outline_path(s) for s in sections] == ["第一部分", "1.1", "1.2", *(f"1.{k}" for k in range(3, 13)),
                                                   "第二部分", "2.1"]
    assert by_heading(sections, "擴建冷鏈倉庫").parent.heading == "冷鏈物流"
    body = "\n".join(p for s in sections for p in s.paragraphs)
    assert "十公頃土地" in body and "Page 1 of" not in body and "施政報告建議" not in body


def by_heading(sections: list, heading: str):  # noqa: ANN201 - a Section
    return next(s for s in sections if s.heading == heading)
