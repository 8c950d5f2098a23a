"""Text from front matter is escaped on every page where it appears."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import story

PAYLOAD = "<script>alert(1)</script>"


def test_payload_escaped_everywhere(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nper_page: 5\n")
    image = "tests-pic.svg"
    site.write(f"content/articles/{image}", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    extra = f"""\
tags: ["{PAYLOAD}", Normal]
credit: "Photo: {PAYLOAD}"
image:
  src: {image}
  alt: "alt {PAYLOAD}"
  caption: "caption {PAYLOAD}"
  credit: "credit {PAYLOAD}"
"""
    text = story(title=f"Title {PAYLOAD}", extra=extra, name=f"Outlet {PAYLOAD}")
    site.write("content/articles/evil.md", text)
    site.write("content/pages/about.md", f'---\ntitle: "About {PAYLOAD}"\nslug: about\n---\nHi {PAYLOAD}\n')
    result = site.ssg("build")
    assert result.code == 0, result.err

    pages = sorted(site.public.rglob("*.html"))
    assert len(pages) >= 10
    seen = 0
    for page in pages:
        html = page.read_text()
        assert "<script>" not in html, page
        seen += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    article = next(site.public.glob("20*/*/title-script-alert-1-script/index.html")).read_text()
    for needle in ("Title ", "Photo: ", "alt ", "caption ", "credit ", "Outlet "):
        assert needle + "&lt;script&gt;alert(1)&lt;/script&gt;" in article, needle
    assert seen >= 15


def test_raw_html_in_body_is_text_unless_allowed(site):
    body = '<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1))'
    site.write("content/articles/a.md", story(title="A", body=body))
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/a/index.html")
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert 'href="javascript:' not in html

    site.write("site.yml", "title: T\nbase_url: https://example.org/\nmarkdown: {html: true}\n")
    assert site.ssg("build").code == 0
    html = site.read("public/2023/07/a/index.html")
    assert '<img src=x onerror="alert(1)">' in html
    assert 'href="javascript:' not in html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab&<>\"'\n\r\t\x00\x0b\ufffeé ", max_size=20))
def test_xml_escaping_matches_the_standard_library(value):
    """xmltext escapes as xml.sax.saxutils does (without importing it), after dropping forbidden characters."""
    from xml.sax.saxutils import escape, quoteattr

    from generator.util.xmltext import _INVALID_XML, attr, text

    allowed = _INVALID_XML.sub("", value)
    assert text(value) == escape(allowed)
    assert attr(value) == quoteattr(allowed)
