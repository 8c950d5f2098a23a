"""Front matter splitting, fields, Markdown, assets and archives."""

import re

from conftest import story


def test_bom_and_crlf_are_accepted(site):
    text = story(title="Windows", extra="tags: [A]\n").replace("\n", "\r\n")
    site.write("content/articles/w.md", b"\xef\xbb\xbf" + text.encode())
    assert site.ssg("build").code == 0, site.ssg("check").err
    assert "Windows" in site.read("public/2023/07/windows/index.html")


def test_positions_below_the_fence_with_crlf(site):
    site.write("content/articles/w.md", b"---\r\ntitle: W\r\ndate: 2023-07-01\r\nsource: nope\r\n---\r\n")
    result = site.ssg("check")
    assert result.err.splitlines()[0] == (
        "content/articles/w.md:4:9: error: source: must be an absolute http(s) URL (scheme is 'none')"
    )


def test_bare_source_url_names_the_host(site):
    site.write("content/articles/a.md", "---\ntitle: A\ndate: 2023-07-01\nsource: https://www.bbc.com/news/x\n---\n")
    assert site.ssg("build").code == 0
    assert "Read the original at bbc.com" in site.read("public/2023/07/a/index.html")
    assert (site.public / "sources/bbccom/index.html").exists()


def test_full_source_block(site):
    extra = """\
credit: ["Photo: A", "Video: B"]
summary: Our own short summary.
"""
    text = (
        "---\ntitle: Full\ndate: 2023-07-26T09:30:00+01:00\nsource:\n  name: The Outlet\n"
        "  url: https://outlet.example/full\n  author: [Jane Doe, John Roe]\n  published: 2023-07-25\n"
        "  archived: https://web.archive.org/web/2023/https://outlet.example/full\n" + extra + "---\nFirst para.\n"
    )
    site.write("content/articles/full.md", text)
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/full/index.html")
    assert "Originally reported by Jane Doe, John Roe for" in html
    assert '<time datetime="2023-07-25">25 July 2023</time>' in html
    assert 'href="https://web.archive.org/web/2023/https://outlet.example/full"' in html
    assert '<time datetime="2023-07-26T08:30:00+00:00">26 July 2023, 08:30</time>' in html
    assert "Photo: A; Video: B</p>" in html
    assert '<p class="dek">Our own short summary.</p>' in html


def test_timezone_places_a_story_in_its_local_month(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\ntimezone: America/Los_Angeles\n")
    site.write("content/articles/a.md", story(title="Late", date="2023-08-01T03:00:00Z"))
    site.write("content/articles/b.md", story(title="Local", date="2023-08-01T03:00:00"))
    assert site.ssg("build").code == 0
    assert (site.public / "2023/07/late/index.html").exists()
    assert (site.public / "2023/08/local/index.html").exists()


def test_markdown_features(site):
    body = """\
First *paragraph* with `code`
over two lines.

## A heading

## A heading

| a | b |
|---|---|
| 1 | 2 |

~~gone~~ and a note[^1].

[^1]: The note.
"""
    site.write("content/articles/m.md", story(title="M", body=body))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/m/index.html")
    assert '<h2 id="a-heading">A heading</h2>' in html
    assert '<h2 id="a-heading-1">A heading</h2>' in html
    assert "<table>" in html and "<s>gone</s>" in html
    assert 'class="footnotes"' in html
    assert '<meta name="description" content="First paragraph with code over two lines.">' in html


def test_co_located_files_are_published_beside_the_page_and_a_missing_image_is_an_error(site):
    from photos import png

    png(site.root / "content/articles/2023/pic.png", (600, 400))
    site.write("content/articles/2023/data.csv", "year,count\n2023,1\n")
    site.write("content/articles/2023/a.md", story(title="A", body="Look: ![chart](pic.png), [data](data.csv)"))
    assert site.ssg("build").code == 0
    assert (site.public / "2023/07/a/data.csv").read_text() == "year,count\n2023,1\n"  # copied as it is
    assert (site.public / "2023/07/a/pic-480.webp").is_file()  # an image: its variants (tests/media/)
    site.write("content/articles/2023/b.md", story(title="B", body="Intro.\n\nSee ![x](missing.png) here."))
    result = site.ssg("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/articles/2023/b.md:10:10: error: body: image file 'missing.png' not found beside b.md"
    )


def test_image_src_may_not_leave_the_story_folder(site):
    extra = "image:\n  src: ../../site.yml\n  alt: x\n"
    site.write("content/articles/a.md", story(title="A", extra=extra))
    result = site.ssg("check")
    assert "a.md:8:8: error: image.src: '../../site.yml' must be a file beside the story" in result.err


def test_page_that_collides_with_a_generated_page(site):
    site.write("content/articles/a.md", story(title="A"))
    site.write("content/pages/tags.md", "---\ntitle: Tags\n---\nx\n")
    site.write("content/pages/y.md", "---\ntitle: Y\nslug: '2023'\n---\nx\n")
    result = site.ssg("check")
    assert result.err.splitlines()[:2] == [
        "content/pages/tags.md:2:8: error: title: URL /tags/ is also used by the tags page",
        "content/pages/y.md:3:7: error: slug: URL /2023/ is also used by the year page",
    ]


def test_extra_front_matter_keys_reach_templates(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nextra_front_matter: [mood]\n")
    site.write("content/articles/a.md", story(title="A", extra="mood: hopeful\n"))
    assert site.ssg("build").code == 0


def test_archives_and_sources(site):
    site.write("content/articles/a.md", story(title="A", date="2022-03-01", name="Outlet One"))
    site.write("content/articles/b.md", story(title="B", date="2023-03-01", name="Outlet One"))
    site.write("content/articles/c.md", story(title="C", date="2023-04-01", name="outlet one"))
    assert site.ssg("build").code == 0
    year = site.read("public/2023/index.html")
    assert re.findall(r'class="month-heading"><a href="(/2023/\d\d/)">', year) == ["/2023/04/", "/2023/03/"]
    assert '<a href="/2022/" rel="next"><span class="label">Older year</span> 2022</a>' in year
    assert site.read("public/2023/03/index.html").count('class="story-item"') == 1
    sources = site.read("public/sources/index.html")
    assert '<a href="/sources/outlet-one/">Outlet One</a> <span class="count">3 stories</span>' in sources
