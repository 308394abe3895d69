"""Saved conversations, the briefing builder and thumbs up/down, as a member uses them in chromium.

The app runs as `rag ui` does (tests/ui/apprunner.py), lexical so it starts in seconds: these flows are about the
workspace, not retrieval. Its workspace file is in the test's folder, read back here to check what was stored.
`SCREENSHOTS=1` also writes docs/briefing.png and docs/history.png (benchmarks/screenshots_workspace.py does).
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.apprunner import START_TIMEOUT_S, running_app
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, Browser, ask

pytestmark = [pytest.mark.browser, pytest.mark.corpus]

FOOD_PARK = "Which bodies propose a food industrial park?"
LOW_ALTITUDE = "經民聯對低空經濟有甚麼建議？"
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def workspace_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-workspace")


@pytest.fixture(scope="module")
def ui(workspace_dir: Path) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (`make test` does it for you).")
    from playwright.sync_api import sync_playwright

    env = {"RAG_MODE": "lexical", "RAG_DATA_DIR": str(workspace_dir / "data")}
    with running_app(workspace_dir, env=env, log_copy=ARTIFACTS / "app-briefing.log") as url, \
            sync_playwright() as playwright:
        ARTIFACTS.mkdir(exist_ok=True)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True,
                                      locale="zh-TW")  # the interface in Traditional Chinese, as most members read it
        session = Browser(page=context.new_page())
        session.page.goto(url, wait_until="load")
        session.page.wait_for_selector("#index-status .ready", timeout=START_TIMEOUT_S * 1000)
        yield session
        context.close()
        browser.close()


def stored(workspace_dir: Path, query: str) -> list[tuple]:
    with sqlite3.connect(workspace_dir / "data" / "workspace.sqlite3") as con:
        return con.execute(query).fetchall()


def reload(ui: Browser) -> None:
    ui.page.reload(wait_until="load")
    ui.page.wait_for_selector("#index-status .ready", timeout=60_000)


def open_history(ui: Browser) -> None:
    if not ui.page.locator("#history-list").is_visible():
        ui.page.locator("#history").get_by_text("對話紀錄").first.click()
    ui.page.locator("#history-list").wait_for()


def bot_messages(ui: Browser):
    return ui.page.locator('#chat [data-testid="bot"]')


def brief_items(ui: Browser):
    return ui.page.locator("#briefing .brief-item")


def download(ui: Browser, button: str, target: Path) -> Path:
    from playwright.sync_api import expect

    page = ui.page
    before = page.locator("#briefing-file a").first.get_attribute("href") if page.locator(
        "#briefing-file a").count() else None
    page.locator(button).click()
    expect(page.locator("#briefing-file a").first).not_to_have_attribute("href", before or "-", timeout=30_000)
    with page.expect_download() as done:
        page.locator("#briefing-file a").first.click()
    done.value.save_as(target)
    return target


def test_a_reload_reopens_the_conversation(ui: Browser) -> None:
    from playwright.sync_api import expect

    ask(ui, FOOD_PARK)
    ask(ui, LOW_ALTITUDE)
    reload(ui)
    expect(bot_messages(ui)).to_have_count(2, timeout=30_000)
    expect(ui.page.locator('#chat [data-testid="user"]').first).to_contain_text(FOOD_PARK)
    expect(ui.page.locator("#sources .src-card").first).to_be_visible()  # the last answer's sources are back
    open_history(ui)
    expect(ui.page.locator("#history-list label")).to_have_count(1)
    expect(ui.page.locator("#history-list")).to_contain_text("2 問")


def test_pin_quotes_from_two_answers_reorder_note_and_export(ui: Browser, workspace_dir: Path,
                                                             tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = ui.page
    page.locator("#sources .pin-quote").first.click()  # the second answer's first card
    expect(brief_items(ui)).to_have_count(1, timeout=30_000)
    page.locator("#turn-pick input").click()  # an earlier answer's cards
    page.locator('[role="option"]').filter(has_text=FOOD_PARK).click()
    expect(page.locator("#sources .src-caption")).to_contain_text(FOOD_PARK, timeout=30_000)
    page.locator("#sources .pin-quote").first.click()
    expect(brief_items(ui)).to_have_count(2, timeout=30_000)
    first_quote = brief_items(ui).nth(0).locator(".brief-quote").inner_text()
    second_quote = brief_items(ui).nth(1).locator(".brief-quote").inner_text()
    brief_items(ui).nth(1).locator('[data-act="up"]').click()
    expect(brief_items(ui).nth(0).locator(".brief-quote")).to_have_text(second_quote, timeout=30_000)
    note = brief_items(ui).nth(0).locator("textarea.brief-note")
    note.fill("Lead with the food park")
    note.press("Tab")  # a note is saved when the member leaves its box
    for _ in range(50):
        if stored(workspace_dir, "SELECT note FROM pins WHERE note != ''"):
            break
        page.wait_for_timeout(200)
    reload(ui)  # the briefing, its order and its note survive a reload
    expect(brief_items(ui)).to_have_count(2, timeout=30_000)
    expect(brief_items(ui).nth(0).locator(".brief-quote")).to_have_text(second_quote)
    expect(brief_items(ui).nth(0).locator("textarea.brief-note")).to_have_value("Lead with the food park")
    if os.environ.get("SCREENSHOTS"):
        page.locator("#briefing-box").screenshot(path=str(DOCS / "briefing.png"))

    markdown = download(ui, "#briefing-md", tmp_path / "briefing.md").read_text(encoding="utf-8")
    assert markdown.index(second_quote.strip("「」")[:20]) < markdown.index(first_quote.strip("「」")[:20])
    assert "[^1]" in markdown and "[^2]:" in markdown and "**備註：** Lead with the food park" in markdown
    docx = download(ui, "#briefing-docx", tmp_path / "briefing.docx")
    with zipfile.ZipFile(docx) as archive:
        footnotes = archive.read("word/footnotes.xml").decode()
        document = archive.read("word/document.xml").decode()
    assert document.count("<w:footnoteReference") == 2 and 'w:id="2"' in footnotes
    assert "香港中華廠商聯合會" in footnotes and "經民聯" in footnotes


def test_thumbs_down_with_a_comment_is_stored(ui: Browser, workspace_dir: Path) -> None:
    from playwright.sync_api import expect

    page = ui.page
    bot_messages(ui).first.hover()
    page.locator('#chat button[aria-label="不讚"]').first.click()  # Gradio's own label for "Dislike" in zh-TW
    expect(page.locator("#feedback-comment")).to_be_visible(timeout=30_000)
    expect(page.locator("#feedback-comment")).to_contain_text("對答案 1 的意見")
    page.locator("#feedback-comment textarea").fill("FHKI's proposal is missing")
    page.locator("#feedback-send").click()
    expect(page.locator("#feedback-comment")).to_be_hidden(timeout=30_000)
    rows = stored(workspace_dir, "SELECT seq, rating, comment, json_extract(answer, '$.question') FROM feedback")
    assert rows == [(0, "down", "FHKI's proposal is missing", FOOD_PARK)]


def test_history_reopens_renames_and_deletes(ui: Browser) -> None:
    from playwright.sync_api import expect

    page = ui.page
    page.locator("#clear").click()  # a new conversation
    expect(bot_messages(ui)).to_have_count(0, timeout=30_000)
    ask(ui, "哪些机构建议发展银发经济？")
    open_history(ui)
    entries = page.locator("#history-list label")
    expect(entries).to_have_count(2, timeout=30_000)
    expect(entries.first).to_contain_text("银发经济")  # newest first
    entries.nth(1).click()
    page.locator("#history-open").click()
    expect(bot_messages(ui)).to_have_count(2, timeout=30_000)
    expect(page.locator('#chat [data-testid="user"]').first).to_contain_text(FOOD_PARK)
    page.locator("#history-title textarea, #history-title input").first.fill("Food park briefing")
    page.locator("#history-rename").click()
    expect(page.locator("#history-list")).to_contain_text("Food park briefing", timeout=30_000)
    reload(ui)  # the reopened conversation is the one a reload shows
    expect(page.locator('#chat [data-testid="user"]').first).to_contain_text(FOOD_PARK, timeout=30_000)
    open_history(ui)
    if os.environ.get("SCREENSHOTS"):
        page.locator("#history").screenshot(path=str(DOCS / "history.png"))
    page.locator("#history-list label").filter(has_text="银发经济").click()
    page.locator("#history-delete").click()
    expect(page.locator("#history-list label")).to_have_count(1, timeout=30_000)
    expect(page.locator("#history-list")).not_to_contain_text("银发经济")
    expect(bot_messages(ui)).to_have_count(2)  # deleting another conversation leaves the open one alone
