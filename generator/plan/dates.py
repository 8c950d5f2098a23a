"""The date archives' pages: the overview, one page per year and one per
month, each with its chart; planned by :class:`DatesPlan`, a part of the
planner (``routes.py``) that uses its ``add``, ``scope`` and views."""

from __future__ import annotations

from dataclasses import dataclass

from generator.plan.datecharts import archive_chart, year_chart
from generator.plan.head import Head
from generator.plan.views import MonthView, StoryView, ViewBuilder, YearRef, YearView
from generator.util.urls import Links, period_url


@dataclass(frozen=True)
class MonthGroup:
    """Stories of one list page that fall in the same month."""

    name: str
    url: str
    stories: tuple[StoryView, ...]


def month_groups(stories: tuple[StoryView, ...], views: ViewBuilder, links: Links) -> tuple[MonthGroup, ...]:
    groups: list[MonthGroup] = []
    for view in stories:
        year, month = view.date.year, view.date.month
        name = views.month_name(year, month)
        if groups and groups[-1].name == name:
            groups[-1] = MonthGroup(name, groups[-1].url, groups[-1].stories + (view,))
        else:
            groups.append(MonthGroup(name, links.href(period_url(year, month)), (view,)))
    return tuple(groups)


class DatesPlan:
    """The date archive part of the planner."""

    def month_view(self, month, with_stories: bool = True) -> MonthView:
        views, links = self.views, self.links
        stories = tuple(views.story(s) for s in month.stories) if with_stories else ()
        return MonthView(month.year, month.month, views.month_name(month.year, month.month),
                         links.href(period_url(month.year, month.month)), len(month.stories), stories)  # fmt: skip

    def year_ref(self, year) -> YearRef | None:
        return YearRef(year.year, self.links.href(period_url(year.year)), year.count) if year else None

    def year_view(self, year, with_stories: bool = True) -> YearView:
        months = tuple(self.month_view(m, with_stories) for m in year.months)
        return YearView(year.year, self.links.href(period_url(year.year)), year.count, months)

    def plan_dates(self):
        archive, digests = self.archive, self.digests
        title = self.s("archive")

        def make_archive():
            head = Head(trail=((title, "/archive/"),), collection=True)
            chart = archive_chart(archive.years, self.views, self.links, self.strings)
            years = tuple(self.year_view(y, with_stories=False) for y in archive.years)
            return title, self.s("archive_description"), head, {"years": years, "chart": chart}

        # The overview shows counts, not stories: an edited story does not change it,
        # but a re-dated one may change its last change (the sitemap's entry).
        counts = tuple((y.year, tuple((m.month, len(m.stories)) for m in y.months)) for y in archive.years)
        if self.scope.full or self.scope.dated():
            self.add("/archive/", ("archive.html",), "archive", counts, make_archive,
                     lastmod=self.lastmod(archive.stories))  # fmt: skip
        years = archive.years
        for index, year in enumerate(years):
            newer = years[index - 1] if index > 0 else None
            older = years[index + 1] if index + 1 < len(years) else None
            year_url = period_url(year.year)
            year_stories = [s for m in year.months for s in m.stories]

            def make_year(year=year, newer=newer, older=older, year_url=year_url):
                head = Head(trail=((str(year.year), year_url),), collection=True)
                chart = year_chart(year, self.views, self.links, self.strings)
                context = {"year": self.year_view(year), "chart": chart,
                           "newer": self.year_ref(newer), "older": self.year_ref(older)}  # fmt: skip
                return str(year.year), self.s("period_description", period=year.year), head, context

            refs = tuple(y and (y.year, y.count) for y in (newer, older))
            if self.scope.period(year.year) or not self.scope.skip_stories(year_stories):
                key = (year.year, tuple(digests[s.url].card for s in year_stories), refs)
                self.add(year_url, ("year.html",), "year", key, make_year, lastmod=self.lastmod(year_stories),
                         shows=tuple(year_stories))  # fmt: skip
            for month in year.months:
                month_url = period_url(month.year, month.month)
                if not self.scope.period(month.year, month.month) and self.scope.skip_stories(month.stories):
                    continue

                def make_month(year=year, month=month, month_url=month_url, year_url=year_url):
                    view = self.month_view(month)
                    head = Head(trail=((str(year.year), year_url), (view.name, month_url)), collection=True)
                    context = {"month": view, "year": self.year_ref(year),
                               "groups": month_groups(view.stories, self.views, self.links)}  # fmt: skip
                    return view.name, self.s("period_description", period=view.name), head, context

                key = (month.year, month.month, (year.year, year.count),
                       tuple(digests[s.url].card for s in month.stories))  # fmt: skip
                self.add(month_url, ("month.html",), "month", key, make_month, lastmod=self.lastmod(month.stories),
                         shows=month.stories)  # fmt: skip
