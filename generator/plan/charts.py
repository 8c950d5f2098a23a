"""A bar chart of stories per month, drawn as SVG at build time (no JavaScript).

The SVG is labelled by its ``<title>`` and ``<desc>``; each bar with stories
is a link to its month page with an accessible name ("July 2023: 3
stories"). Templates should also show the same numbers as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    label: str  # "July 2023"
    short: str  # axis label, or "" for none
    count: int
    url: str | None  # month page, when it has stories
    name: str  # accessible name: "July 2023: 3 stories"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]

    @property
    def svg(self) -> Markup:
        return render_svg(self)


HEIGHT = 150
AXIS = 22
TOP = 14


def render_svg(chart: Chart) -> Markup:
    bars = chart.bars
    n = max(1, len(bars))
    width = 720 if n > 12 else n * 48
    step = width / n
    gap = max(0.5, step / 6)
    largest = max((bar.count for bar in bars), default=0) or 1
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT + AXIS}" '
        f'width="{width}" height="{HEIGHT + AXIS}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
        f'<line class="axis" x1="0" y1="{HEIGHT}" x2="{width}" y2="{HEIGHT}"/>',
    ]
    for index, bar in enumerate(bars):
        x = round(index * step + gap / 2, 2)
        h = round((HEIGHT - TOP) * bar.count / largest, 1)
        bar_width = round(step - gap, 2)
        rect = f'<rect x="{x:g}" y="{HEIGHT - h:g}" width="{bar_width:g}" height="{h:g}"/>'
        if bar.count and step >= 24:
            value = f'<text class="value" x="{x + bar_width / 2:g}" y="{HEIGHT - h - 3:g}">{bar.count}</text>'
        else:
            value = ""
        if bar.url:
            parts.append(f'<a href="{escape(bar.url)}" aria-label="{escape(bar.name)}">'
                         f"<title>{escape(bar.name)}</title>{rect}{value}</a>")  # fmt: skip
        else:
            parts.append(f'<g class="empty" aria-hidden="true">{rect}</g>')
        if bar.short:
            label = escape(bar.short)
            parts.append(f'<text class="label" x="{x:g}" y="{HEIGHT + 15}" aria-hidden="true">{label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
