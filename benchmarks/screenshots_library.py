"""Screenshots of the source viewer and the document library for the README: docs/viewer.png, docs/library.png.

Starts the app as a member would (over a copy of the corpus, tests/ui/apprunner.py), in a Traditional Chinese
browser; asks which bodies propose a food industrial park, opens the first source in its document, then shows the
library. Needs the system chromium (`make browser-deps`). Run: `.venv/bin/python benchmarks/screenshots_library.py`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.apprunner import START_TIMEOUT_S, running_app  # noqa: E402
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUESTION = "哪些機構建議設立食品產業園？"
TIMEOUT_MS = 180_000


def main() -> int:
    from playwright.sync_api import sync_playwright

    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as work, running_app(Path(work)) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-HK").new_page()
        page.goto(url, wait_until="load")
        page.wait_for_selector("#index-status .ready", timeout=START_TIMEOUT_S * 1000)
        page.locator("#question textarea").fill(QUESTION)
        page.locator("#ask").click()
        page.wait_for_selector("#sources .src-card .view-doc", timeout=TIMEOUT_MS)
        page.locator("#sources .src-card .view-doc").first.click()
        page.wait_for_selector("#doc-viewer #vw-quote", timeout=TIMEOUT_MS)
        time.sleep(1.0)  # the viewer scrolls to the quote after it renders
        page.screenshot(path=str(docs / "viewer.png"))
        page.locator("#doc-viewer-close").click()
        page.locator("#doc-viewer").wait_for(state="hidden")
        page.locator("#library > button").first.click()
        page.wait_for_selector('#library-table .lib-count[data-documents]', timeout=30_000)
        library = page.locator("#library")
        library.scroll_into_view_if_needed()
        time.sleep(0.5)
        library.screenshot(path=str(docs / "library.png"))
        browser.close()
    print(f"wrote {docs / 'viewer.png'} and {docs / 'library.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
