"""Bar charts of stories per month for the year pages and the archive overview."""

from __future__ import annotations

from generator.content.archive import Year
from generator.plan.charts import Bar, Chart
from generator.plan.views import ViewBuilder
from generator.theme.strings import Strings
from generator.util.urls import Links, period_url


def _chart(chart_id: str, title: str, counts: dict[tuple[int, int], int], first: int, last: int, every_month: bool,
           views: ViewBuilder, links: Links, strings: Strings) -> Chart:  # fmt: skip
    """Bars for month indexes ``first..last`` (year * 12 + month - 1), oldest first."""
    bars = []
    for index in range(first, last + 1):
        year, month = divmod(index, 12)
        month += 1
        name = views.month_name(year, month)
        count = counts.get((year, month), 0)
        url = links.href(period_url(year, month)) if count else None
        if every_month:
            short = strings.months()[month - 1][:3]
        else:
            short = str(year) if month == 1 or index == first else ""
        label = strings.plain("chart_bar", month=name, stories=strings.count("stories", count))
        bars.append(Bar(name, short, count, url, label))
    total = strings.count("stories", sum(counts.values()))
    description = strings.plain("chart_description", stories=total, months=len(bars))
    return Chart(chart_id, title, description, tuple(bars))


def _counts(years: tuple[Year, ...]) -> dict[tuple[int, int], int]:
    return {(m.year, m.month): len(m.stories) for y in years for m in y.months}


def archive_chart(years: tuple[Year, ...], views: ViewBuilder, links: Links, strings: Strings) -> Chart:
    """Every month from the first story's to the last one's."""
    counts = _counts(years)
    if not counts:
        return Chart("chart-all", strings.plain("chart_title_all"), "", ())
    (y0, m0), (y1, m1) = min(counts), max(counts)
    return _chart("chart-all", strings.plain("chart_title_all"), counts, y0 * 12 + m0 - 1, y1 * 12 + m1 - 1,
                  False, views, links, strings)  # fmt: skip


def year_chart(year: Year, views: ViewBuilder, links: Links, strings: Strings) -> Chart:
    """January to December of one year."""
    title = strings.plain("chart_title_year", year=year.year)
    return _chart(f"chart-{year.year}", title, _counts((year,)), year.year * 12, year.year * 12 + 11, True,
                  views, links, strings)  # fmt: skip
