"""The source viewer and the document library as members use them, in the system chromium (see test_browser.py).

One app over a copy of the corpus; page A reads Traditional Chinese (a member who reads only Chinese), page B is a
second tab in English that must follow every library change A makes. The flows run in order: view in document
from a card, jump with the outline, open from a marker [n]; then add a document under a new body, replace it and
remove it, B's list, status and filters following each time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.apprunner import START_TIMEOUT_S, running_app
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FOOD_PARK_EN, Browser, ask

pytestmark = [pytest.mark.browser, pytest.mark.corpus]

CHANGE_TIMEOUT_MS = 180_000  # a library change rebuilds the index (new passages embedded) on 2 shared cores
CHAMBER = (
    "香港總商會對2026年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立月球芝士研究基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。\n\n"
    "二、鞏固金融中心地位\n\n"
    "本會建議擴大人民幣業務，發展綠色金融，並推動家族辦公室在港落戶。\n"
)
REVISED = CHAMBER + "\n三、發展低空經濟\n\n本會建議開放更多試飛空域，資助無人機物流的試點計劃。\n"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Browser, Browser]]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (`make test` does it for you).")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    work = tmp_path_factory.mktemp("library-app")
    with running_app(work, log_copy=ARTIFACTS / "app-library.log") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        opened = []
        for locale in ("zh-HK", "en-US"):
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
            session = Browser(page=context.new_page())
            session.page.goto(url, wait_until="load")
            session.page.wait_for_selector("#index-status .ready", timeout=START_TIMEOUT_S * 1000)
            opened.append(session)
        yield opened[0], opened[1]
        browser.close()


def viewer_quote_in_view(ui: Browser) -> bool:
    """The marked quote lies inside the visible part of the viewer's text."""
    return ui.page.evaluate("""() => {
      const box = document.querySelector('#doc-viewer .vw-text'), mark = document.querySelector('#vw-quote');
      if (!box || !mark) return false;
      const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
      return m.top >= b.top - 1 && m.top < b.bottom && b.height > 200;
    }""")


def close_viewer(ui: Browser) -> None:
    from playwright.sync_api import expect

    ui.page.locator("#doc-viewer-close").click()
    expect(ui.page.locator("#doc-viewer")).to_be_hidden(timeout=10_000)


def test_view_in_document_from_a_card_opens_the_whole_document_at_the_quote(pages) -> None:
    ui, _ = pages
    page = ui.page
    ask(ui, FOOD_PARK_EN)
    card = page.locator("#sources .src-card").first
    quote, doc_id = card.locator("mark").inner_text(), card.get_attribute("data-doc")
    card.locator(".view-doc").click()
    page.wait_for_selector("#doc-viewer #vw-quote", timeout=30_000)
    page.wait_for_function("() => document.querySelector('#doc-viewer .vw-text').scrollTop > 0", timeout=10_000)
    assert page.locator("#doc-viewer .vw").get_attribute("data-doc") == doc_id
    assert page.locator("#vw-quote").inner_text() == quote
    assert page.locator("#doc-viewer .vw-piece").count() > 10  # the whole document, not the passage
    assert page.locator("#doc-viewer-close").inner_text() == "關閉"
    assert viewer_quote_in_view(ui)
    ui.shot("viewer")


def test_the_outline_jumps_to_a_section(pages) -> None:
    ui, _ = pages
    page = ui.page
    link = page.locator("#doc-viewer a.vw-jump").nth(2)
    target = link.get_attribute("data-target")
    link.click()
    page.wait_for_function("""id => {
      const box = document.querySelector('#doc-viewer .vw-text'), heading = document.getElementById(id);
      return Math.abs(heading.getBoundingClientRect().top - box.getBoundingClientRect().top) < 4;
    }""", arg=target, timeout=5_000)
    assert page.locator(f"#{target}").inner_text() == link.inner_text()
    close_viewer(ui)


@pytest.mark.parametrize("how", ["shift-click", "double-click"])
def test_a_marker_opens_its_source_in_the_document_with_shift_or_a_double_click(pages, how: str) -> None:
    ui, _ = pages
    page = ui.page
    marker = page.locator('#chat [data-testid="bot"]').last.locator("a.cite").last
    card = page.locator(f"#{marker.get_attribute('href').lstrip('#')}")
    if how == "shift-click":
        marker.click(modifiers=["Shift"])
    else:
        marker.dblclick()
    page.wait_for_selector("#doc-viewer #vw-quote", timeout=30_000)
    assert page.locator("#doc-viewer .vw").get_attribute("data-doc") == card.get_attribute("data-doc")
    assert page.locator("#vw-quote").inner_text() == card.locator("mark").inner_text()
    close_viewer(ui)


def open_library(ui: Browser) -> None:
    page = ui.page
    if not page.locator("#library-table").is_visible():
        page.locator("#library > button").first.click()
    page.wait_for_selector("#library-table .lib-count", timeout=10_000)


def choose(ui: Browser, dropdown: str, option: str) -> None:
    ui.page.locator(f"{dropdown} input").click()
    ui.page.get_by_role("option", name=option).first.click()


def upload(ui: Browser, box: str, path: Path) -> None:
    """Waits for the uploaded file's download link, there only once the upload is done. (The name as one text is
    there only while it uploads: the finished row shows stem and extension apart, so a wait for the whole name
    races the upload and loses on a fast one.)"""
    ui.page.locator(f"{box} input[type=file]").set_input_files(str(path))
    ui.page.locator(f'{box} a[download="{path.name}"]').first.wait_for(timeout=30_000)


def field(ui: Browser, elem_id: str):
    return ui.page.locator(f"#{elem_id}").locator("textarea, input").first


def document_count(ui: Browser) -> int:
    return int(ui.page.locator("#library-table .lib-count").get_attribute("data-documents"))


def wait_for_documents(ui: Browser, count: int) -> None:
    ui.page.wait_for_selector(f'#library-table .lib-count[data-documents="{count}"]', timeout=30_000)


def result(ui: Browser, starts: str) -> str:
    from playwright.sync_api import expect

    message = ui.page.locator("#library-result")
    expect(message).to_contain_text(starts, timeout=CHANGE_TIMEOUT_MS)
    return message.inner_text()


def test_adding_a_document_under_a_new_body_reaches_every_open_page(pages, tmp_path: Path) -> None:
    ui, other = pages
    open_library(ui)
    open_library(other)
    before = document_count(ui)
    assert before == document_count(other) == 5
    path = tmp_path / "總商會建議書.txt"
    path.write_text(CHAMBER, encoding="utf-8")
    upload(ui, "#add-doc-file", path)
    choose(ui, "#new-body", "新增機構…")
    field(ui, "body-code").fill("HKGCC")
    field(ui, "body-name-zh").fill("香港總商會")
    field(ui, "body-name-en").fill("Hong Kong General Chamber of Commerce")
    field(ui, "body-short-zh").fill("總商會")
    field(ui, "new-year").fill("2026")
    field(ui, "new-title-zh").fill("香港總商會對2026年施政報告的建議")
    ui.page.locator("#add-doc").click()
    message = result(ui, "已新增")
    assert "HKGCC 2026" in message
    wait_for_documents(ui, before + 1)
    row = ui.page.locator('#library-table tr[data-body="HKGCC"]')
    assert re.search(r"HKGCC 總商會\s+2026", row.inner_text()) and row.locator("td.num").first.inner_text() == "2"
    ui.shot("library-added")
    wait_for_documents(other, before + 1)  # the other tab follows by itself
    other.page.locator('#filter-bodies input[name="HKGCC"]').wait_for(timeout=10_000)
    assert f"{before + 1} documents" in other.page.locator("#index-status").inner_text()


def test_replacing_the_documents_file_keeps_it_and_updates_its_sections(pages, tmp_path: Path) -> None:
    ui, other = pages
    doc_id = ui.page.locator('#library-table tr[data-body="HKGCC"]').get_attribute("data-doc")
    path = tmp_path / "修訂本.txt"
    path.write_text(REVISED, encoding="utf-8")
    ui.page.locator("#library").get_by_text("更換文件").click()
    choose(ui, "#replace-doc", "HKGCC 2026 · 香港總商會對2026年施政報告的建議")
    upload(ui, "#replace-file", path)
    ui.page.locator("#replace-doc-button").click()
    assert doc_id in result(ui, "已更換")
    row = f'#library-table tr[data-doc="{doc_id}"] td.num'
    ui.page.wait_for_function(f"() => document.querySelector('{row}').textContent === '3'", timeout=30_000)
    other.page.wait_for_function(f"() => document.querySelector('{row}')?.textContent === '3'", timeout=30_000)
    assert document_count(ui) == document_count(other) == 6


def test_removing_the_document_reaches_every_open_page(pages) -> None:
    ui, other = pages
    ui.page.locator("#library").get_by_text("移除文件").click()
    choose(ui, "#remove-doc", "HKGCC 2026 · 香港總商會對2026年施政報告的建議")
    ui.page.locator("#remove-doc-button").click()
    result(ui, "請勾選確認")  # nothing is removed without the confirmation
    assert document_count(ui) == 6
    ui.page.locator("#remove-confirm input").check()
    ui.page.locator("#remove-doc-button").click()
    result(ui, "已移除")
    wait_for_documents(ui, 5)
    wait_for_documents(other, 5)
    assert other.page.locator('#library-table tr[data-body="HKGCC"]').count() == 0
