"""45 stories, 20 a page: three pages, page 1 at the list's own URL."""

import re

from conftest import story


def test_home_and_tag_pagination(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 20\n")
    for n in range(45):
        day = f"2023-{1 + n // 28:02d}-{1 + n % 28:02d}"
        site.write(f"content/articles/s{n:02d}.md", story(title=f"Story {n:02d}", date=day, extra="tags: [Pager]\n"))
    assert site.ssg("build").code == 0

    for base in ("", "tags/pager/"):
        first = site.read(f"public/{base}index.html")
        second = site.read(f"public/{base}page/2/index.html")
        third = site.read(f"public/{base}page/3/index.html")
        assert not (site.public / base / "page/1").exists()
        assert not (site.public / base / "page/4").exists()
        counts = [page.count('class="story-item"') for page in (first, second, third)]
        assert counts == [20, 20, 5]
        assert 'rel="prev"' not in first
        assert f'<a href="/{base}page/2/" rel="next">' in first
        assert f'<a href="/{base}" rel="prev">' in second
        assert f'<a href="/{base}page/3/" rel="next">' in second
        assert f'<a href="/{base}page/2/" rel="prev">' in third
        assert 'rel="next"' not in third
        assert "Page 2 of 3" in second

    titles = re.findall(r'class="story-item-title"><a href="[^"]+">([^<]+)<', site.read("public/index.html"))
    assert titles[:3] == ["Story 44", "Story 43", "Story 42"]
    last = re.findall(r'class="story-item-title"><a href="[^"]+">([^<]+)<', site.read("public/page/3/index.html"))
    assert last == ["Story 04", "Story 03", "Story 02", "Story 01", "Story 00"]


def test_same_date_is_ordered_by_url(site):
    for name in ("b", "a", "c"):
        site.write(f"content/articles/{name}.md", story(title=name.upper(), date="2023-05-05"))
    assert site.ssg("build").code == 0
    titles = re.findall(r'class="story-item-title"><a href="[^"]+">([^<]+)<', site.read("public/index.html"))
    assert titles == ["A", "B", "C"]
