"""``aliases:``: a story's or page's old addresses become redirect pages."""

import re

from conftest import story

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def test_old_addresses_redirect_to_the_story_and_page(site):
    site.write("content/articles/a.md", story(title="A", extra="aliases: [/blog/old-a, /2019/05/03/old-a.html, "
                                                                "/caf%C3%A9/a/]\n"))  # fmt: skip
    site.write("content/pages/about.md", "---\ntitle: About\naliases: /about-us/\n---\nWho we are.\n")
    result = site.ssg("build")
    assert result.code == 0, result.err
    for old in ("blog/old-a/index.html", "2019/05/03/old-a.html", "café/a/index.html"):
        html = site.read(f"public/{old}")
        assert REFRESH.findall(html) == ["/2023/07/a/"], old
        assert CANONICAL.findall(html) == ["https://example.org/2023/07/a/"]
        assert '<meta name="robots" content="noindex">' in html
        assert 'This page has moved to <a href="/2023/07/a/">A</a>' in html  # for a browser that does not refresh
    assert REFRESH.findall(site.read("public/about-us/index.html")) == ["/about/"]
    sitemap = site.read("public/sitemap.xml")
    assert "old-a" not in sitemap and "about-us" not in sitemap
    # a story may link to an old address: it is a page of the site
    site.write("content/articles/b.md", story(title="B", body="[before](/blog/old-a/)"))
    assert site.ssg("build").code == 0


def test_aliases_follow_a_sub_path_base_url(site):
    site.write("site.yml", site.read("site.yml").replace("https://example.org/", "https://example.org/news/"))
    site.write("content/articles/a.md", story(title="A", extra="aliases: [/old-a/]\n"))
    assert site.ssg("build").code == 0
    html = site.read("public/old-a/index.html")
    assert REFRESH.findall(html) == ["/news/2023/07/a/"]
    assert CANONICAL.findall(html) == ["https://example.org/news/2023/07/a/"]


def test_bad_aliases_are_errors_at_their_place(site):
    site.write("content/articles/a.md", story(title="A", extra="aliases: [/feed.xml, old, /x?p=1, /a/../b/, "
                                                                "/static/x/, /tags/, /2023/07/a/]\n"))  # fmt: skip
    site.write("content/articles/b.md", story(title="B", extra="aliases: [/same/]\n"))
    site.write("content/articles/c.md", story(title="C", extra="aliases: [/same]\n"))
    result = site.ssg("build")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == [
        "content/articles/a.md:7:11: error: aliases: '/feed.xml' must end with '/' or '.html' "
        "(a redirect is an HTML page)",
        "content/articles/a.md:7:22: error: aliases: 'old' must be an address on this site starting with '/', "
        "like '/2019/05/old-post/'",
        "content/articles/a.md:7:27: error: aliases: '/x?p=1' must be a plain path: no query ('?'), fragment ('#'), "
        "spaces or backslashes",
        "content/articles/a.md:7:35: error: aliases: '/a/../b/' must not have '.', '..' or empty parts",
        "content/articles/a.md:7:45: error: aliases: '/static/x/' is in a folder the build writes itself "
        "(/static/, /pagefind/, /__ssg__/)",
    ]
    site.write("content/articles/a.md", story(title="A", extra="aliases: [/tags/, /2023/07/a/]\n"))
    result = site.ssg("build")
    errors = sorted(line for line in result.err.splitlines() if ": error: " in line)
    assert errors == [
        "content/articles/a.md:7:11: error: aliases: URL /tags/ is also used by the tags page",
        "content/articles/a.md:7:19: error: aliases: '/2023/07/a/' is the address of this story itself",
        "content/articles/b.md:7:11: error: aliases: URL /same/ is also used by content/articles/c.md",
        "content/articles/c.md:7:11: error: aliases: URL /same/ is also used by content/articles/b.md",
    ]
    assert not (site.root / "public").exists()


def test_an_alias_edit_is_built_like_a_clean_build(site):
    site.write("content/articles/a.md", story(title="A", extra="aliases: [/old-a/]\n"))
    assert site.ssg("build").code == 0
    site.write("content/articles/a.md", story(title="A renamed", extra="aliases: [/older-a/]\n"))
    assert site.ssg("build").code == 0
    assert not (site.root / "public/old-a").exists()
    assert "A renamed" in site.read("public/older-a/index.html")
    site.write("content/articles/a.md", story(title="A again", extra="aliases: [/older-a/]\n"))
    assert site.ssg("build").code == 0  # (a title edit: the quick way)
    assert "A again</a>" in site.read("public/older-a/index.html")
