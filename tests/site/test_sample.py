"""The sample archive in content/ builds cleanly into every page type."""


import pytest

from conftest import Site, sample_copy


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    sample_copy(root)
    site = Site(root)
    result = site.ssg_process("build", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.err
    assert result.err == ""  # no warnings
    assert result.out.startswith("Built 15 stories, ")
    return site


def test_every_page_type_exists(sample):
    expected = [
        "index.html", "page/2/index.html", "404.html", "about/index.html",
        "tags/index.html", "tags/ai/index.html", "tags/ai/page/2/index.html",
        "sources/index.html", "sources/the-intercept/index.html",
        "2023/index.html", "2023/07/index.html", "2023/07/netflix-ai-job/index.html",
        "2023/07/netflix-ai-job/netflix-ai-job.svg", "archive/index.html", ".ssg-output",
    ]  # fmt: skip
    for rel in expected:
        assert (sample.public / rel).is_file(), rel


def test_article_page_credits_the_original(sample):
    html = sample.read("public/2023/07/netflix-ai-job/index.html")
    original = "https://theintercept.com/2023/07/25/strike-hollywood-ai-disney-netflix/"
    assert f'<a class="original-link" href="{original}"' in html
    assert "Read the original at The Intercept" in html
    assert "Originally reported by Ken Klippenstein for" in html
    assert '<img src="/2023/07/netflix-ai-job/netflix-ai-job.svg" alt="A drawing of a picket sign' in html
    assert "<figcaption>A picket sign in front of a television, drawn for this archive." in html
    assert "Illustration: The Strike Desk Archive" in html
    assert 'Updated <time datetime="2023-07-27">27 July 2023</time>' in html
    assert 'href="/tags/ai/" rel="tag" data-pagefind-filter="tag">AI</a>' in html
    assert 'rel="prev">' in html and 'rel="next">' in html
    related = html.split('<aside class="related"', 1)[1].split("</aside>", 1)[0]
    assert related.count("<li>") == 5


def test_mixed_tag_spellings_are_folded(sample):
    tags = sample.read("public/tags/index.html")
    assert tags.count('href="/tags/ai/"') == 1
    assert tags.count('href="/tags/sag-aftra/"') == 1
    assert '<a href="/tags/ai/">AI</a> <span class="count">12</span>' in tags


def test_check_on_sample_exits_0_and_writes_nothing(tmp_path):
    sample_copy(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = Site(tmp_path).ssg_process("check")
    assert result.code == 0, result.err
    assert result.out.startswith("Checked 15 stories and ")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
