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
    """Always at least one page, so an empty list still has its URL."""
    total = max(1, -(-len(items) // per_page))
    urls = tuple(href(page_url(list_url, n)) for n in range(1, total + 1))
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
        slices.append(Slice(page_url(list_url, number), chunk, pagination))
    return slices
