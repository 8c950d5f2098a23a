"""Every page of the sample build is reachable from /, and no link is broken."""


from conftest import Site, sample_copy
from sitecrawl import crawl


def _sample(tmp_path, base=None) -> Site:
    sample_copy(tmp_path)
    site = Site(tmp_path)
    args = ["build"] + (["--base-url", base] if base else [])
    result = site.ssg(*args, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.err
    return site


def test_sample_has_no_broken_link_and_no_orphan(tmp_path):
    site = _sample(tmp_path)
    result = crawl(site.public, "https://archive.example.org/")
    assert result.broken == []
    assert result.escaped == []
    pages = {p for p in site.public.rglob("*.html") if p.name != "404.html"}
    assert pages - result.visited == set()
    assert result.checked > 1000


def test_sample_under_a_sub_path_stays_inside_it(tmp_path):
    site = _sample(tmp_path, "https://example.org/strike-desk/")
    result = crawl(site.public, "https://example.org/strike-desk/")
    assert result.broken == [] and result.escaped == []
    pages = {p for p in site.public.rglob("*.html") if p.name != "404.html"}
    assert pages - result.visited == set()
