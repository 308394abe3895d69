"""The page's shell in a real browser: interface language, [n] of any answer, the quote in view, dark mode, copy
answer. The app runs in a subprocess on loopback, driven through the system chromium (see test_browser.py).

A reader of Chinese only is the first member here: the browser says zh-HK, so the page opens in 繁體.
`UPDATE_SCREENSHOTS=1` writes the README's pictures (docs/ui-zh.png, docs/ui-dark.png); otherwise they go to
test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.apprunner import START_TIMEOUT_S, running_app
from tests.ui.test_browser import ANSWER_TIMEOUT_MS, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FOOD_PARK_ZH

ROOT = Path(__file__).resolve().parents[2]
LOW_ALTITUDE_ZH = "經民聯對低空經濟有甚麼建議？"
PICTURES = ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else ARTIFACTS
# Latin words a Chinese page may show: language and file-format names, and the bodies' codes (upper case).
ALLOWED_LATIN = {"English", "Markdown", "Word", "DOCX", "txt", "pdf", "docx"}

pytestmark = [pytest.mark.browser, pytest.mark.corpus]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("ui-shell"), log_copy=ARTIFACTS / "app-shell.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (Debian chromium and fonts-noto-cjk).")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, locale: str = "zh-HK", dark: bool = False):
    """A new tab in a fresh browser profile (its own stored language) with the page loaded and the index ready."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale,
                                  color_scheme="dark" if dark else "light")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    page.goto(url + ("?__theme=dark" if dark else ""), wait_until="load")
    page.wait_for_selector("#index-status .ready", timeout=START_TIMEOUT_S * 1000)
    return page


@pytest.fixture(scope="module")
def chinese(browser, app_url: str) -> Iterator[object]:
    """One zh-HK tab with two Chinese answers, shared by the tests that read them."""
    page = open_page(browser, app_url)
    ask(page, FOOD_PARK_ZH)
    ask(page, LOW_ALTITUDE_ZH)
    yield page
    page.context.close()


def ask(page, question: str) -> None:
    """Ask and wait until the answer's own cards are shown."""
    answers = page.locator('#chat [data-testid="bot"]')
    count = answers.count() + 1
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#chat [data-testid=\"bot\"] button.copy-answer').length >= n"
        " && document.querySelector('#turn-pick input')?.value?.startsWith(n + '.')",
        arg=count, timeout=ANSWER_TIMEOUT_MS,
    )


def shown_labels(page) -> str:
    """The page's own texts as a member sees them (innerText, so hidden ones are left out): everything but the
    conversation, the example questions and the documents' own words in the source cards and document filter."""
    return page.evaluate("""() => {
      const skip = ['#chat [data-testid="bot"]', '#chat [data-testid="user"]', '#examples .gallery',
                    '.src-head', '.src-doc', '.src-title-en', '.src-section', '.src-text', '.src-caption',
                    '#filter-docs'];
      // hidden for the reading, then shown again (a clone of the page would share the radios' group names)
      const hidden = skip.flatMap((s) => [...document.querySelectorAll(s)]);
      const before = hidden.map((e) => e.style.display);
      hidden.forEach((e) => { e.style.display = 'none'; });
      const text = document.body.innerText;
      hidden.forEach((e, i) => { e.style.display = before[i]; });
      return text;
    }""")


def english_words(text: str) -> set[str]:
    text = re.sub(r"\b\w*\d\w*\b", " ", text)  # identifiers such as a document's id (001_71c315f4…) are no words
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    return {w for w in words if w not in ALLOWED_LATIN and not w.isupper()}


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)")."""
    lighter, darker = sorted((relative_luminance(rgb(first)), relative_luminance(rgb(second))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def test_language_switch_relabels_the_page_and_survives_a_reload(browser, app_url: str) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, app_url)
    try:
        assert page.evaluate("document.documentElement.dataset.hkpqaLang") == "zh-Hant"
        expect(page.locator("#ask")).to_have_text("提問")
        expect(page.locator("#index-status")).to_contain_text("索引已就緒")
        ask(page, FOOD_PARK_ZH)
        page.locator("#ui-language").get_by_text("简体").click()
        expect(page.locator("#ask")).to_have_text("提问")
        expect(page.locator("#clear")).to_have_text("新对话")
        expect(page.locator("#index-status")).to_contain_text("索引已就绪")
        page.locator("#ui-language").get_by_text("English").click()
        expect(page.locator("#ask")).to_have_text("Ask")
        expect(page.locator("#index-status")).to_contain_text("Index ready")
        expect(page.locator("footer")).to_contain_text("Use via API")  # Gradio's own texts follow too
        expect(page.locator("#question textarea")).to_have_attribute("placeholder", "Type a question")
        assert page.evaluate("document.documentElement.dataset.hkpqaLang") == "en"
        # an answer given in Chinese keeps its text; what the page says around it changes
        expect(page.locator("#sources .src-caption")).to_contain_text("Sources · ")
        assert page.evaluate("getComputedStyle(document.querySelector('.copy-answer'), '::after').content") \
            == '"Copy answer"'
        expect(page.locator("#answer-status .mode-badge")).to_contain_text("extractive")
        page.reload(wait_until="load")
        page.wait_for_selector("#index-status .ready", timeout=60_000)
        expect(page.locator("#ask")).to_have_text("Ask", timeout=10_000)  # the choice is kept in the browser
        page.locator("#ui-language").get_by_text("繁體").click()
        expect(page.locator("#ask")).to_have_text("提問")
        expect(page.locator("#filter-bodies")).to_contain_text("廠商會")
        expect(page.locator("footer")).to_contain_text("透過 API 使用")
    finally:
        page.context.close()


def test_a_chinese_page_shows_no_english_label(chinese) -> None:
    page = chinese
    for accordion in ("匯出", "文件庫"):  # open, so their labels are shown too (the library opens on its add form)
        page.locator("button, span, div").get_by_text(accordion, exact=True).first.click()
    page.locator("#export-scope").wait_for()
    page.locator("#new-body input").click()  # its choices: the bodies, then "New body…"
    page.wait_for_selector('#new-body [role="option"]')
    text = shown_labels(page)
    page.keyboard.press("Escape")
    assert "新增機構" in text and "匯出範圍" in text and "原文摘錄" in text
    assert english_words(text) == set(), text


def test_gradios_english_pending_texts_are_not_shown(chinese) -> None:
    """While events wait (two cores, several loads at once) Gradio writes "queue: 1/1 | 0.1/0.1s" over a component, in
    English whatever the page's language: its three text classes are hidden, so a pending moment shows no English."""
    page = chinese
    shown = page.evaluate("""() => ['progress-text', 'meta-text', 'meta-text-center'].map((name) => {
      const span = document.createElement('span');
      span.className = name;
      span.textContent = 'queue: 1/1 | 0.1/0.1s';
      document.querySelector('#index-status').appendChild(span);
      const seen = span.offsetParent !== null && span.innerText.length > 0;
      span.remove();
      return seen;
    })""")
    assert shown == [False, False, False]


def test_citation_in_an_earlier_answer_shows_that_answers_card(chinese) -> None:
    page = chinese
    assert page.locator("#sources .src-card").first.get_attribute("id").startswith("src-1-")  # the latest's cards
    marker = page.locator('#chat [data-testid="bot"]').first.locator("a.cite").first
    card_id = marker.get_attribute("href").lstrip("#")
    assert card_id.startswith("src-0-")
    marker.click()
    page.wait_for_selector(f"#{card_id}.flash", timeout=15_000)
    assert page.locator("#turn-pick input").input_value().startswith("1.")
    assert page.locator(f"#{card_id}").is_visible()
    marker = page.locator('#chat [data-testid="bot"]').nth(1).locator("a.cite").first  # and back to the latest
    marker.click()
    page.wait_for_selector(f"#{marker.get_attribute('href').lstrip('#')}.flash", timeout=15_000)


def test_the_quote_is_scrolled_into_view_inside_its_card(chinese) -> None:
    page = chinese
    page.wait_for_timeout(500)
    placements = page.locator("#sources .src-card").evaluate_all("""cards => cards.map((card) => {
      const box = card.querySelector('.src-text'), mark = box.querySelector('mark');
      if (!mark || box.scrollHeight <= box.clientHeight) return null;  // nothing to scroll
      const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
      return {scrolled: box.scrollTop, visible: m.top < b.bottom && m.bottom > b.top};
    })""")
    scrolling = [p for p in placements if p]
    assert scrolling, "no card has a passage long enough to scroll"
    assert all(p["visible"] for p in scrolling), placements


def test_copy_answer_gives_clean_text_with_citation_lines(chinese) -> None:
    page = chinese
    first = page.locator('#chat [data-testid="bot"]').first
    button = first.locator("button.copy-answer")
    button.click()
    page.wait_for_function("b => b.dataset.copied", arg=button.element_handle(), timeout=5000)
    copied = button.get_attribute("data-copied")
    assert page.evaluate("navigator.clipboard.readText()") == copied
    assert "<" not in copied and "&amp;" not in copied and "&#" not in copied and "&quot;" not in copied
    answer = first.locator(".message-content").inner_text()
    head = answer.splitlines()[0].strip()
    assert copied.startswith(head)
    lines = [line for line in copied.splitlines() if re.match(r"\[\d+\] ", line)]
    assert lines and all("「" in line for line in lines)  # body, document, year, section and the quote
    page.locator("#turn-pick input").click()
    page.locator('#turn-pick [role="option"]').first.click()  # the first answer's own copy-citation lines
    page.wait_for_selector("#src-0-1", timeout=15_000)
    cites = page.locator("#sources .copy-cite").evaluate_all("bs => bs.map(b => b.dataset.cite)")
    assert [line.split(" ", 1)[1] for line in lines] == cites


def test_dark_mode_keeps_the_highlight_badge_and_cards_readable(browser, app_url: str) -> None:
    page = open_page(browser, app_url, dark=True)
    try:
        assert page.evaluate("document.body.classList.contains('dark') || "
                             "document.documentElement.classList.contains('dark')")
        ask(page, FOOD_PARK_ZH)
        colours = page.evaluate("""() => {
          const style = (s) => getComputedStyle(document.querySelector(s));
          const mark = style('#sources mark'), badge = style('#answer-status .mode-badge');
          const card = style('#sources .src-card'), text = style('#sources .src-text');
          return {mark: [mark.color, mark.backgroundColor], badge: [badge.color, badge.backgroundColor],
                  card: [text.color, card.backgroundColor]};
        }""")
        for name, (fore, back) in colours.items():
            assert contrast(fore, back) >= 4.5, (name, fore, back)
        page.screenshot(path=str(PICTURES / "ui-dark.png"))
    finally:
        page.context.close()


def test_picture_of_the_chinese_interface(chinese) -> None:
    page = chinese
    page.evaluate("window.scrollTo(0, 0)")
    assert page.locator('#ui-language input[value="zh-Hant"]').is_checked()
    page.screenshot(path=str(PICTURES / "ui-zh.png"))
    assert (PICTURES / "ui-zh.png").stat().st_size > 10_000
