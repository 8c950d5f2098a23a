"""A story with a camera photo in Chromium, as a phone shows it: nothing
moves while the page loads, and the whole page weighs little."""

from __future__ import annotations

import shutil

import pytest
from photos import LEAD, camera_jpeg, png
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import story

pytestmark = pytest.mark.browser

SHIFTS = """() => new Promise(resolve => {
  const values = [];
  new PerformanceObserver(list => values.push(...list.getEntries().map(e => e.value)))
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(values), 300);
})"""


def test_a_phone_gets_a_small_page_that_does_not_shift(site, tmp_path):
    shutil.copyfile(camera_jpeg(tmp_path / "camera.jpg"), site.root / "content/articles/picket-lines.jpg")
    png(site.root / "content/articles/placard.png", (1200, 800))
    body = "\n\n".join(["A paragraph of the summary, in our own words."] * 12 + ["![A placard](placard.png)"])
    site.write("content/articles/strike.md", story(extra=LEAD, body=body))
    result = site.ssg("build")
    assert result.code == 0, result.err
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        page = context.new_page()
        sizes: dict[str, int] = {}
        page.on("requestfinished", lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]))
        page.goto(origin + "/2023/07/a-story/")
        page.wait_for_load_state("load")
        shifts = page.evaluate(SHIFTS)
        chosen = page.evaluate("document.querySelector('.lead-image img').currentSrc")
        browser.close()
    assert shifts == [], f"layout shifts: {shifts}"
    assert chosen.endswith("picket-lines-960.webp")  # 328 CSS px at a device pixel ratio of 2
    assert sum(sizes.values()) < 150_000, sizes  # the body image too, which Chromium loads this near the fold
    print(f"transferred {sum(sizes.values())} bytes in {len(sizes)} requests")
