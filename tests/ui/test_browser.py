"""The UI as a member uses it: the app in a subprocess on loopback, driven through the system chromium.

`make test` installs chromium (`make browser-deps`); without it these tests fail, they do not skip.
Screenshots go to test-artifacts/. Gradio pages never reach network idle: wait for load, then for elements.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.ui.apprunner import START_TIMEOUT_S, running_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER_TIMEOUT_MS = 120_000
FOOD_PARK_EN = "Which bodies propose a food industrial park?"
FOOD_PARK_ZH = "哪些機構建議設立食品產業園？"

pytestmark = [pytest.mark.browser, pytest.mark.corpus]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("ui-app"), log_copy=ARTIFACTS / "app.log") as url:
        yield url


@dataclass
class Browser:
    page: object  # playwright.sync_api.Page
    requests: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def ui(app_url: str) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser-deps` (installs Debian chromium and fonts-noto-cjk); "
            "`make test` does it for you."
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                      locale="en-US")  # the interface in English: the texts below
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
        session = Browser(page=context.new_page())
        context.on("request", lambda request: session.requests.append(request.url))
        session.page.goto(app_url, wait_until="load")
        session.page.wait_for_selector("#index-status .ready", timeout=START_TIMEOUT_S * 1000)
        yield session
        context.close()
        browser.close()


def ask(ui: Browser, question: str) -> str:
    """Type a question, press Ask, wait for the final answer (its source cards); returns the answer text."""
    page = ui.page
    answers = page.locator('#chat [data-testid="bot"]')
    before = answers.count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    return wait_for_answer(ui, before + 1)


def wait_for_answer(ui: Browser, count: int) -> str:
    from playwright.sync_api import expect

    page = ui.page
    answers = page.locator('#chat [data-testid="bot"]')
    expect(answers).to_have_count(count, timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function(
        "n => document.querySelector('#turn-pick input')?.value?.startsWith(n + '.')",
        arg=count,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return answers.nth(count - 1).inner_text()


def names_body(text: str, *names: str) -> bool:
    """The answer attributes the proposal to the body: named before any "not found in …" list."""
    for marker in ("Not found in the submissions of", "以下團體的文件中沒有相關建議", "以下团体的文件中没有相关建议"):
        text = text.split(marker)[0]
    return any(name in text for name in names)


def test_english_food_park_question_cites_cma_2024_section_7(ui: Browser) -> None:
    answer = ask(ui, FOOD_PARK_EN)
    ui.shot("food-park-en")
    assert names_body(answer, "CMA", "香港中華廠商聯合會")
    card = ui.page.locator('#sources .src-card[data-body="CMA"][data-year="2024"][data-section="7"]').first
    assert card.is_visible()
    text = card.inner_text()
    assert "§7" in text and "香港中華廠商聯合會" in text and "Chinese Manufacturers" in text
    assert card.locator("mark").count() == 1  # the quoted sentence is highlighted
    assert "·" in ui.page.locator("#answer-status .mode-badge").inner_text()  # e.g. "hybrid · extractive"


def test_english_food_park_answer_names_fhki(ui: Browser) -> None:
    # Passes once the pipeline's answer composer attributes the proposal to every body that makes it.
    assert names_body(ask(ui, FOOD_PARK_EN), "FHKI", "香港工業總會")


def test_chinese_food_park_question_names_cma_and_fhki(ui: Browser) -> None:
    answer = ask(ui, FOOD_PARK_ZH)
    ui.shot("food-park-zh")
    assert names_body(answer, "CMA", "香港中華廠商聯合會", "廠商會")
    assert ui.page.locator("#sources .src-card").count() > 0
    assert names_body(answer, "FHKI", "香港工業總會", "工總")


def test_citation_marker_reveals_its_source_and_copies_a_citation(ui: Browser) -> None:
    page = ui.page
    ask(ui, FOOD_PARK_EN)
    marker = page.locator('#chat [data-testid="bot"]').last.locator("a.cite").first
    assert marker.get_attribute("title")  # hovering shows body, year, section and quote
    marker.click()
    card_id = marker.get_attribute("href").lstrip("#")
    page.wait_for_selector(f"#{card_id}.flash", timeout=5000)
    button = page.locator(f"#{card_id} .copy-cite")
    button.click()
    page.wait_for_function(f"document.querySelector('#{card_id} .copy-cite').dataset.copied", timeout=5000)
    copied = button.get_attribute("data-copied") or ""
    assert copied == button.get_attribute("data-cite") and "」" in copied
    assert page.evaluate("navigator.clipboard.readText()") == copied


def test_body_and_year_filters_limit_the_sources(ui: Browser) -> None:
    page = ui.page
    fhki, year = page.locator('#filter-bodies input[name="FHKI"]'), page.locator('#filter-years input[name="2023"]')
    fhki.check()
    year.check()
    try:
        ask(ui, FOOD_PARK_EN)
        ui.shot("filter-fhki-2023")
        cards = page.locator("#sources .src-card").evaluate_all(
            "cards => cards.map(c => [c.dataset.body, c.dataset.year])"
        )
        assert cards and {tuple(c) for c in cards} == {("FHKI", "2023")}
    finally:
        fhki.uncheck()
        year.uncheck()


def test_clicking_a_chinese_example_asks_it(ui: Browser) -> None:
    page = ui.page
    before = page.locator('#chat [data-testid="bot"]').count()
    page.locator("#examples").get_by_text("經民聯對低空經濟有甚麼建議？").click()
    wait_for_answer(ui, before + 1)
    bodies = page.locator("#sources .src-card").evaluate_all("cards => cards.map(c => c.dataset.body)")
    assert "BPA" in bodies


def test_hostile_question_is_shown_as_text(ui: Browser) -> None:
    page = ui.page
    question = '<img src="x-probe" onerror="window.__xss=1"><script>window.__xss=2</script> ${7*7} {{value}}'
    before = page.locator('#chat [data-testid="user"]').count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    from playwright.sync_api import expect

    expect(page.locator('#chat [data-testid="user"]')).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    time.sleep(2)
    shown = page.locator('#chat [data-testid="user"]').last.inner_text()
    assert '<img src="x-probe"' in shown and "${7*7}" in shown
    assert page.evaluate("window.__xss") is None
    assert not any("x-probe" in url for url in ui.requests)


def test_export_conversation_as_markdown(ui: Browser, tmp_path: Path) -> None:
    page = ui.page
    page.get_by_text("Export", exact=True).click()
    page.locator("#export-md").click()
    link = page.locator("#exported a").first
    link.wait_for(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    target = tmp_path / "conversation.md"
    download.value.save_as(target)
    ui.shot("export")
    text = target.read_text(encoding="utf-8")
    assert FOOD_PARK_EN in text and "CMA" in text


def test_upload_a_document_under_a_new_body_then_find_it(ui: Browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = ui.page
    upload = tmp_path / "moon.txt"
    upload.write_text(
        "月球芝士研究報告\n\n1. 設立月球芝士研究院\n本會建議設立「月球芝士研究院」，研究月壤發酵技術。\n", "utf-8"
    )
    page.locator("#library > button").first.click()  # the document library, its add form open
    page.locator('#add-doc-file input[type="file"]').set_input_files(str(upload))
    page.locator('#add-doc-file a[href*="moon.txt"]').wait_for(timeout=30_000)  # uploaded to the app
    page.locator("#new-body input").click()
    options = page.locator('#new-body [role="option"]')
    expect(options).to_have_count(4)  # every body of the catalog, then "New body…"
    options.filter(has_text="New body").click()

    def fill(elem_id: str, text: str) -> None:
        page.locator(f"#{elem_id} textarea, #{elem_id} input").first.fill(text)

    fill("body-code", "mcs")
    fill("body-name-zh", "月球芝士學會")
    fill("body-short-zh", "芝士學會")
    fill("new-title-zh", "月球芝士研究報告")
    fill("new-title-en", "Moon cheese research report")
    page.locator("#new-year input").fill("2026")
    page.locator("#add-doc").click()
    expect(page.locator("#library-result")).to_contain_text("full Chinese and English names", timeout=30_000)
    fill("body-name-en", "Lunar Cheese Society")
    page.locator("#add-doc").click()
    expect(page.locator("#library-result")).to_contain_text("Added", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#library-result")).to_contain_text("(MCS 2026)")
    expect(page.locator("#index-status")).to_contain_text("6 documents")  # the same tab, no reload
    expect(page.locator("#filter-bodies")).to_contain_text("MCS (Lunar Cheese Society)")  # an English page
    expect(page.locator("#filter-years")).to_contain_text("2026")
    ask(ui, "月球芝士研究院")
    ui.shot("added-document")
    assert page.locator('#sources .src-card[data-body="MCS"][data-year="2026"]').count() > 0


def test_no_request_left_loopback(ui: Browser) -> None:
    """Runs last: everything the page loaded during the session came from the app itself."""
    ui.page.reload(wait_until="load")
    ui.page.wait_for_selector("#index-status .ready", timeout=60_000)
    ui.shot("home")
    outside = [
        u
        for u in ui.requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != "127.0.0.1"
    ]
    assert ui.requests and not outside
