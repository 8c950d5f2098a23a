"""Root-relative links in stories and pages (``[here](/2023/05/a-story/)``),
checked against the files the build writes: a link to a page the site does
not have is an error at the link's position. They are checked once every
output is known, after the plan; links to other hosts are ``ssg check
--links``'s."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from generator.content.archive import Archive
from generator.diagnostics import Diagnostic, error
from generator.util.urls import output_file

SEARCH_BUNDLE = "pagefind/"  # written by the search stage, after this check


def site_file(target: str, prefix: str) -> str | None:
    """The output file a root-relative link leads to (``/a/b/?q#x`` →
    ``a/b/index.html``), or None for a path outside the site's base path
    (``prefix``: ``/news`` for a base URL of ``https://host/news/``)."""
    path = unquote(urlsplit(target).path)
    if prefix:
        if path != prefix and not path.startswith(prefix + "/"):
            return None
        path = path[len(prefix) :] or "/"
    return output_file(path)


def dead_rooted_links(archive: Archive, written: Iterable[str], prefix: str, search: bool) -> list[Diagnostic]:
    """Every root-relative link whose page or file the build does not write
    (``written``: the output files' paths)."""
    files = set(written)
    pages: list[str] = []  # the site's pages, for "did you mean", made at the first dead link
    found = []
    for rendered in [s.rendered for s in archive.stories] + [p.rendered for p in archive.pages]:
        for target, line, col in rendered.rooted:
            rel = site_file(target, prefix)
            if rel is None or rel in files or rel + "/index.html" in files:
                continue
            if search and rel.startswith(SEARCH_BUNDLE):
                continue
            pages = pages or sorted("/" + f.removesuffix("index.html") for f in files if f.endswith(".html"))
            close = difflib.get_close_matches("/" + rel.removesuffix("index.html"), pages, n=1, cutoff=0.8)
            hint = f" (did you mean {prefix + close[0]!r}?)" if close else ""
            message = f"link to {target!r}: the site has no page at this address{hint}"
            found.append(error(rendered.doc.file.rel, line, col, "body", message))
    return found


def rooted_targets(archive: Archive, prefix: str) -> frozenset[str]:
    """The output files that root-relative links lead to: an edit that takes
    one of them away is built the full way, which reports the link."""
    return frozenset(
        rel
        for rendered in [s.rendered for s in archive.stories] + [p.rendered for p in archive.pages]
        for target, _, _ in rendered.rooted
        if (rel := site_file(target, prefix)) is not None
    )
