"""Split a list into pages: page 1 at the list's own URL, then ``page/N/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.plan.views import Pagination


@dataclass(frozen=True)
class Slice:
    url: str  # site-internal
    items: tuple[Any, ...]
    pagination: Pagination


def page_url(list_url: str, number: int) -> str:
    return list_url if number == 1 else f"{list_url}page/{number}/"


def page_count(items: int, per_page: int) -> int:
    """How many pages a list of ``items`` takes: always at least one, so an empty list still has its URL."""
    return max(1, -(-items // per_page))


def page_urls(list_url: str, items: int, per_page: int) -> list[str]:
    """The URLs of a list's pages, first page first."""
    return [page_url(list_url, number) for number in range(1, page_count(items, per_page) + 1)]


def window(number: int, total: int, urls: tuple[str, ...], around: int = 2):
    """The page numbers worth a link: the first, the last, and ``around`` on
    either side of the current one, with ``None`` where numbers are skipped.
    (Linking every page would make a 500-page list quadratic in size.)"""
    shown = sorted({1, total, *range(max(1, number - around), min(total, number + around) + 1)})
    out: list[tuple[int, str] | None] = []
    for page in shown:
        if out and out[-1] is not None and page - out[-1][0] > 1:
            out.append(None)
        out.append((page, urls[page - 1]))
    return tuple(out)


def paginate(items: Sequence, per_page: int, list_url: str, href: Callable[[str], str]) -> list[Slice]:
    """The list's pages (:func:`page_count`)."""
    pages = page_urls(list_url, len(items), per_page)
    total = len(pages)
    urls = tuple(href(url) for url in pages)
    slices = []
    for number in range(1, total + 1):
        chunk = tuple(items[(number - 1) * per_page : number * per_page])
        pagination = Pagination(
            number=number,
            total=total,
            first_url=urls[0],
            prev_url=urls[number - 2] if number > 1 else None,
            next_url=urls[number] if number < total else None,
            urls=urls,
            window=window(number, total, urls),
            last_url=urls[-1],
        )
        slices.append(Slice(pages[number - 1], chunk, pagination))
    return slices
