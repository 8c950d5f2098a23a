"""Follow every link of a built site, as a visitor (or a crawler) would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value and ((name == "href" and tag in ("a", "link", "area")) or (name == "src" and tag != "script")
                          or (name == "action" and tag == "form")):  # fmt: skip
                self.links.append(value)


@dataclass
class Crawl:
    visited: set[Path] = field(default_factory=set)
    broken: list[tuple[str, str]] = field(default_factory=list)  # (page, link)
    escaped: list[tuple[str, str]] = field(default_factory=list)  # links outside the base URL
    checked: int = 0


def page_url(public: Path, file: Path, base: str) -> str:
    rel = file.relative_to(public).as_posix()
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def crawl(public: Path, base: str = "https://example.org/") -> Crawl:
    """Start at the home page; follow every internal link; check every anchor."""
    host = urlsplit(base).hostname
    result = Crawl()
    parsed: dict[Path, _Page] = {}

    def load(file: Path) -> _Page:
        if file not in parsed:
            page = _Page()
            page.feed(file.read_text(encoding="utf-8"))
            parsed[file] = page
        return parsed[file]

    def target(url: str) -> Path | None:
        if not url.startswith(base):
            return None
        rel = unquote(url[len(base) :])
        path = public / rel
        return path / "index.html" if rel == "" or rel.endswith("/") else path

    queue = [public / "index.html"]
    pending: list[tuple[str, str, Path, str]] = []  # (page, link, file, fragment)
    while queue:
        file = queue.pop()
        if file in result.visited:
            continue
        result.visited.add(file)
        here = page_url(public, file, base)
        for link in load(file).links:
            absolute, fragment = urldefrag(urljoin(here, link))
            if urlsplit(absolute).hostname != host:
                continue
            result.checked += 1
            dest = target(absolute)
            if dest is None:
                result.escaped.append((here, link))
            elif not dest.is_file():
                result.broken.append((here, link))
            else:
                if dest.suffix == ".html":
                    queue.append(dest)
                if fragment:
                    pending.append((here, link, dest, fragment))
    for here, link, dest, fragment in pending:
        if fragment not in load(dest).ids:
            result.broken.append((here, link))
    return result
