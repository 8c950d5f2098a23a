"""What one search costs a reader: bytes transferred, measured in Chromium.

    python3 benchmarks/search_weight.py SITE_DIR WORD [WORD ...]

Serves SITE_DIR/public on 127.0.0.1, opens /search/?q=WORD in headless
Chromium (Debian's, driven by Playwright) and adds up the bodies of every
response the query needed: Pagefind's library, its WebAssembly, the index
chunks and the result fragments (the page itself, its CSS and search.js are
listed apart). Also prints the index's size on disk.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch, static_server  # noqa: E402


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str]) -> int:
    site, words = Path(argv[1]), argv[2:]
    public = site / "public"
    count, size = folder_size(public / "pagefind")
    print(f"index: {count} files, {size / 1e6:.1f} MB on disk")
    with static_server(public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        for word in words:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}
            def finished(request, sizes=sizes):
                try:
                    sizes[request.url] = request.sizes()["responseBodySize"]
                except Exception:  # noqa: BLE001 - the page closed first
                    pass

            page.on("requestfinished", finished)
            page.goto(f"{origin}/search/?q={word}")
            page.wait_for_function("() => /result|No stories/.test(document.getElementById('search-status')"
                                   ".textContent)", timeout=60000)  # fmt: skip
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            search = sum(v for k, v in sizes.items() if "/pagefind/" in k)
            page_bytes = sum(v for k, v in sizes.items() if "/pagefind/" not in k)
            status = page.locator("#search-status").inner_text()
            print(f"'{word}': {status}; Pagefind {search / 1024:.0f} KB in "
                  f"{sum(1 for k in sizes if '/pagefind/' in k)} requests; page, CSS and search.js "
                  f"{page_bytes / 1024:.0f} KB")  # fmt: skip
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
