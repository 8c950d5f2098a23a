"""The pages' Content-Security-Policy and referrer policy: on every page, and
nothing the site itself does is blocked by them, search included (Chromium)."""

import re

import pytest
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import sample_copy, story

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'self'; form-action 'self'")  # fmt: skip
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def test_every_page_carries_the_policy(tmp_path):
    site = sample_copy(tmp_path)
    assert site.ssg("build").code == 0
    pages = sorted(site.public.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = META.findall(html)
        wasm = POLICY.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
        assert found == [wasm if path.parent.name == "search" else POLICY], path
        assert html.index("Content-Security-Policy") < html.index("<title>")  # before anything it governs
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in html
        assert "unsafe-inline" not in html
    assert not (site.public / "_headers").exists()  # only when asked for


def test_links_out_of_the_site_get_noopener_and_remote_images_widen_img_src(site):
    site.write("site.yml", site.read("site.yml") + "images:\n  allow_remote: true\n")
    site.write("content/articles/a.md", story(title="A", body="[out](https://else.example/x) [in](/tags/) "
                                                                "![remote](https://img.example/p.jpg)"))  # fmt: skip
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/a/index.html")
    assert '<a href="https://else.example/x" rel="noopener">out</a>' in html
    assert '<a href="/tags/">in</a>' in html
    assert "img-src 'self' data: https:;" in META.findall(html)[0]


def test_headers_file_for_hosts_that_read_one(site):
    site.write("site.yml", site.read("site.yml") + "headers: true\n")
    site.write("content/articles/a.md", story(title="A"))
    assert site.ssg("build").code == 0
    assert site.read("public/_headers").splitlines() == [
        "# Written by ssg (headers: true in site.yml); see docs/security.md.",
        "/*",
        "  Content-Security-Policy: frame-ancestors 'self'",
        "  X-Frame-Options: SAMEORIGIN",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: strict-origin-when-cross-origin",
        "  Strict-Transport-Security: max-age=31536000",
    ]


WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.mark.browser
def test_no_violation_on_any_kind_of_page_and_search_works(tmp_path):
    site = sample_copy(tmp_path)
    result = site.ssg("build")
    assert result.code == 0, result.err
    kinds = ["/", "/page/2/", "/2023/07/netflix-ai-job/", "/tags/", "/tags/netflix/", "/sources/",
             "/sources/the-intercept/", "/archive/", "/2023/", "/2023/07/", "/about/", "/no-such-page/"]  # fmt: skip
    kinds = [k for k in kinds if k == "/no-such-page/" or (site.public / k.strip("/") / "index.html").is_file()]
    assert len(kinds) >= 10
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.add_init_script(WATCH)
        console = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        for path in kinds:
            page.goto(origin + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__violations") == [], path
        page.goto(f"{origin}/search/?q=strike")
        page.locator("#search-results li").first.wait_for(timeout=10000)
        assert page.evaluate("window.__violations") == []
        assert console == []
        browser.close()
