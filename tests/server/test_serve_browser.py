"""Live reload in a real browser: edit, break and fix a story while a page is open."""

import time

import pytest
from playwright.sync_api import sync_playwright

from browser import launch
from conftest import sample_copy
from servekit import serving

pytestmark = pytest.mark.browser


def test_edit_break_and_fix_with_the_page_open(tmp_path):
    sample_copy(tmp_path)
    story = tmp_path / "content/articles/2023/netflix-ai-job.md"
    original = story.read_text()
    with serving(tmp_path) as session, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(session.url + "2023/07/netflix-ai-job/")
        page.wait_for_function("() => document.readyState === 'complete'")
        time.sleep(0.3)  # let the event stream connect

        started = time.monotonic()
        story.write_text(original.replace('title: "Netflix lists', 'title: "Live: Netflix lists'))
        page.wait_for_function("() => document.querySelector('h1').textContent.startsWith('Live: ')", timeout=2000)
        assert time.monotonic() - started < 2.0

        story.write_text(original.replace("date: 2023-07-26T09:30:00", "date: 2023-07-26T25:99:00"))
        overlay = page.locator("#ssg-error-overlay")
        overlay.wait_for(state="visible", timeout=5000)
        text = overlay.inner_text()
        assert "content/articles/2023/netflix-ai-job.md:3:7: error: date: invalid date" in text
        assert page.locator("h1").first.inner_text().startswith("Live: ")  # the last good page stays

        story.write_text(original.replace('title: "Netflix lists', 'title: "Fixed: Netflix lists'))
        page.wait_for_function("() => document.querySelector('h1').textContent.startsWith('Fixed: ')", timeout=5000)
        assert page.locator("#ssg-error-overlay").count() == 0
        browser.close()
