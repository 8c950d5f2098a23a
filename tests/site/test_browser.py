"""The default theme in a real browser: accessible, responsive, self-contained."""

import json

import pytest
from playwright.sync_api import sync_playwright

from browser import ARTIFACTS, AXE, launch, static_server
from conftest import Site, sample_copy

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "article": "/2023/07/netflix-ai-job/",
    "tag": "/tags/ai/",
    "tag-index": "/tags/",
    "source": "/sources/the-intercept/",
    "year": "/2023/",
    "archive": "/archive/",
    "404": "/no-such-page/",
    "search": "/search/?q=strike",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    sample_copy(root)
    site = Site(root)
    result = site.ssg("build", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.err
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        yield origin, browser
        browser.close()


def _visit(browser, origin, path, width, scheme="light", javascript=True):
    """Open ``path``; the search page is visited once its results are shown."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                  java_script_enabled=javascript, bypass_csp=True)  # fmt: skip
    # (bypass_csp: axe-core is put into the page as an inline script; tests/output/test_policy.py checks the policy)
    page = context.new_page()
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failures.append((r.url, r.status)) if r.status >= 400 and r.url != origin + path
            else None)  # fmt: skip
    response = page.goto(origin + path)
    page.wait_for_load_state("load")
    if path.startswith("/search/") and javascript:
        page.locator("#search-results li").first.wait_for(timeout=10000)
    return context, page, response, requests, failures


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations(served, name, scheme):
    origin, browser = served
    context, page, _, _, _ = _visit(browser, origin, PAGES[name], 1280, scheme)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    context.close()
    assert violations == [], json.dumps(violations, indent=1)


@pytest.mark.parametrize("name", PAGES)
def test_touch_targets_are_large_enough_on_a_phone(served, name):
    """WCAG 2.2's target size (2.5.8, what Lighthouse checks): axe's rule, which is off by default."""
    origin, browser = served
    context, page, _, _, _ = _visit(browser, origin, PAGES[name], 360)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'rule', values: ['target-size']}})")
    small = [n["target"] for v in result["violations"] for n in v["nodes"]]
    context.close()
    assert small == []


@pytest.mark.parametrize("name", PAGES)
def test_layout_requests_and_screenshots(served, name):
    origin, browser = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context, page, response, requests, failures = _visit(browser, origin, PAGES[name], width)
        assert response.status == (404 if name == "404" else 200)
        assert requests and all(url.startswith(origin + "/") for url in requests), requests
        assert failures == []
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{name} scrolls sideways at {width}px ({scroll} > {client})"
        box = page.locator("main").bounding_box()
        if width == 1280:
            assert 560 <= box["width"] <= 720 and box["x"] > 200  # a centred reading column
        else:
            assert box["width"] >= 320
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_usable_without_javascript(served, name):
    origin, browser = served
    context, page, _, _, _ = _visit(browser, origin, PAGES[name], 360, javascript=False)
    assert page.locator("h1").first.is_visible()
    assert page.locator("nav a", has_text="Tags").first.is_visible()
    if name == "article":
        original = page.get_by_role("link", name="Read the original at The Intercept")
        assert original.is_visible()
        assert original.get_attribute("href").startswith("https://theintercept.com/")
        page.locator("a[rel=tag]", has_text="AI").click()
        page.wait_for_url("**/tags/ai/")
        assert page.locator("h1").inner_text() == "AI"
    if name == "year":
        page.locator("summary").click()  # <details> opens without scripts
        assert page.locator(".chart-table table").is_visible()
    context.close()


def test_keyboard_reaches_the_original_link(served):
    origin, browser = served
    context, page, _, _, _ = _visit(browser, origin, PAGES["article"], 1280)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if "Read the original" in page.evaluate("document.activeElement.textContent"):
            break
    else:
        pytest.fail("the link to the original is not reachable by keyboard after the skip link")
    context.close()
