"""`ssg import SITE`: a Hugo site, a Jekyll site and a WordPress export moved
in: fields mapped, old addresses kept as redirect pages, shortcodes and Liquid
converted or kept visibly, hostile HTML made inert, a report of the rest."""

import re
import shutil

import pytest
import yaml
from playwright.sync_api import sync_playwright

from browser import launch, static_server
from conftest import FIXTURES, story

MOVING = FIXTURES / "moving"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
ACTIVE = re.compile(r"<script(?![^>]*application/ld\+json)(?! src=\"/static/share\.)|javascript:|\son[a-z]+\s*=|"
                    r"<iframe|data:text|evil\.example", re.I)  # fmt: skip


def front(site, rel: str) -> dict:
    return yaml.safe_load(site.read(rel).split("---\n")[1])


def imported(site, source, *args):
    result = site.ssg("import", str(source), "--report", "report.md", *args, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.err
    return result


def redirect(site, old: str) -> str:
    path = site.public / old.lstrip("/")
    return REFRESH.findall((path / "index.html" if old.endswith("/") else path).read_text())[0]


def built(site):
    check = site.ssg("check")
    assert check.code == 0, check.err
    result = site.ssg("build", "--drafts")
    assert result.code == 0, result.err


def test_hugo_site_with_toml_front_matter_a_page_bundle_and_shortcodes(site):
    imported(site, MOVING / "hugo-site")
    deal = front(site, "content/articles/2023/wga-tentative-deal.md")
    assert deal == {
        "title": "Writers reach a tentative deal after 146 days", "date": "2023-09-25T04:30:00+00:00",
        "updated": "2023-09-26T15:00:00+00:00",
        "source": {"name": "example-trade.com", "url": "https://www.example-trade.com/2023/09/wga-deal-reached-1235/"},
        "tags": ["WGA", "Strikes", "Labor"],
        "summary": "The writers' guild and the studios agreed on a contract; members still had to vote.",
        "slug": "wga-tentative-deal", "aliases": ["/posts/writers-deal/", "/2023/09/24/deal.html"],
    }  # fmt: skip
    body = site.read("content/articles/2023/wga-tentative-deal.md")
    assert "[Video on YouTube: dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert "[the ratification](actors-union-members-ratify-the-contract/index.md)" in body  # a ref, to its new file
    assert '`{{< newsletter-signup list="strike" >}}`' in body  # kept, visibly
    assert "```python\ndays = (end - start).days  # 146\n```" in body
    bundle = front(site, "content/articles/2023/actors-union-members-ratify-the-contract/index.md")
    assert bundle["source"] == {"name": "Example Wire", "url": "https://wire.example.com/2023/12/05/sag-aftra-ratify/"}
    assert bundle["image"] == {"src": "picket.png", "alt": "A hand-drawn picket sign on a grey background",
                               "caption": "Drawn for the desk."}  # fmt: skip
    note = front(site, "content/articles/2023/why-we-keep-this-desk.md")
    assert note["draft"] is True and note["source"]["url"] == "https://desk.example.org/2023/07/why-we-keep-this-desk/"
    assert front(site, "content/articles/2023/draft-streaming-residuals-explained.md")["draft"] is True
    assert front(site, "content/articles/2023/studios-publish-their-offer-in-full.md")["date"] == \
        "2023-08-22T17:00:00+00:00"  # JSON front matter; the Hugo site's time zone  # fmt: skip
    assert front(site, "content/pages/about.md") == {"title": "About the desk", "summary": "Who keeps this link blog.",
                                                      "slug": "about"}  # fmt: skip
    report = site.read("report.md")
    for unmapped in ("`weight` (1)", "`keywords` (1)", "`menu` (1)", "`toc` (1)", "`author` (1)"):
        assert unmapped in report
    assert '`` {{< newsletter-signup list="strike" >}} ``' in report and "_index.md: a section's list page" in report
    built(site)
    assert redirect(site, "/posts/writers-deal/") == "/2023/09/wga-tentative-deal/"
    assert redirect(site, "/2023/09/24/deal.html") == "/2023/09/wga-tentative-deal/"
    article = site.read("public/2023/12/actors-union-members-ratify-the-contract/index.html")
    assert 'href="/2023/09/wga-tentative-deal/"' in article  # an old address in the body, linked to the new page
    assert list((site.public / "2023/12/actors-union-members-ratify-the-contract").glob("chart*.webp"))


def test_hugo_import_twice_makes_nothing_new_and_a_dry_run_writes_nothing(site):
    result = site.ssg("import", str(MOVING / "hugo-site"), "--dry-run", "--report", "dry.md")
    assert result.code == 0 and not list((site.root / "content").rglob("*.md"))
    assert "would make content/articles/2023/wga-tentative-deal.md" in result.out
    assert "dry run: nothing was written" in site.read("dry.md")
    imported(site, MOVING / "hugo-site")
    files = sorted(p.relative_to(site.root) for p in (site.root / "content").rglob("*"))
    again = imported(site, MOVING / "hugo-site")
    assert again.out.splitlines()[-2].startswith("0 made (0 drafts without an original), 6 skipped")
    assert sorted(p.relative_to(site.root) for p in (site.root / "content").rglob("*")) == files


def test_jekyll_site_keeps_its_permalinks_and_converts_liquid(site):
    imported(site, MOVING / "jekyll-site")
    begins = front(site, "content/articles/2023/sag-aftra-strike-begins.md")
    assert begins["title"] == "Actors join the writers on the picket line"
    assert begins["date"] == "2023-07-14T08:15:00+00:00"
    assert begins["tags"] == ["strike", "hollywood", "Labor", "Film"]
    assert begins["source"]["url"] == "https://www.example-daily.com/2023/07/13/actors-strike-called/"
    assert begins["summary"] == "The actors' union called its first film and TV strike since 1980."
    assert begins["aliases"] == ["/labor/film/2023/07/14/sag-aftra-strike-begins.html"]
    ends = site.read("content/articles/2023/wga-strike-ends.md")
    assert "[in July](sag-aftra-strike-begins.md)" in ends  # {% post_url %}
    assert "[our about page](/about/)" in ends  # {{ site.baseurl }}
    assert "```ruby\nstrike_days = 148\n```" in ends and "Liquid like {{ page.title }} stays" in ends  # {% raw %}
    assert "`{{ page.undefined_thing }}`" in ends
    assert front(site, "content/articles/2023/wga-strike-ends.md")["date"] == "2023-09-27"  # the file name's day
    assert front(site, "content/articles/2023/box-office.md")["aliases"] == ["/news/2023/08/01/box-office.html"]
    assert front(site, "content/articles/2023/tentative-agreement.md")["aliases"] == ["/news/deal/"]
    draft = front(site, "content/articles/2023/ai-clauses.md")
    assert draft["draft"] is True and "aliases" not in draft  # a Jekyll draft had no address
    report = site.read("report.md")
    assert "`layout` (3)" in report and "`comments` (1)" in report and "`author` (1)" in report
    assert '`` {% include video.html id="abc123" %} ``' in report
    built(site)
    assert redirect(site, "/labor/film/2023/07/14/sag-aftra-strike-begins.html") == "/2023/07/sag-aftra-strike-begins/"
    assert redirect(site, "/2023/09/writers-back/") == "/2023/09/wga-strike-ends/"  # redirect_from
    assert redirect(site, "/news/deal/") == "/2023/11/tentative-agreement/"
    assert "Liquid like {{ page.title }}" in site.read("public/2023/09/wga-strike-ends/index.html")


def test_wordpress_export_with_hostile_html(site):
    site.write("content/articles/known.md", story(title="Known", url="https://trade.example.com/2023/08/01/x/"))
    result = imported(site, MOVING / "wordpress.xml", "--source-from-first-link")
    assert result.out.splitlines()[:8] == [
        "made content/articles/2023/ai-job-during-strike.md: Streaming service posts an AI job during the strike "
        "[post]",
        "made content/articles/2023/studio-chiefs-summer.md: Studio chiefs & the long summer [post]",
        "made content/articles/2023/who-we-are.md: Who we are [draft, no link to an original]",
        "made content/articles/2023/holiday.md: My holiday photos [post]",
        "made content/pages/about-us.md: About [page]",
        "skipped item 4 (post 104) (Half-written: residuals): draft on WordPress (only published posts and pages "
        "are imported)",
        "skipped item 7 (attachment 7) (picket): an attachment, "
        "https://roundup.example.com/wp-content/uploads/2023/07/picket.jpg: save it beside the story that shows it",
        "skipped item 8 (nav_menu_item 9) (Home): a nav_menu_item",
    ]
    job = front(site, "content/articles/2023/ai-job-during-strike.md")
    assert job["source"]["url"] == "https://investigates.example.org/2023/07/25/ai-jobs-strike/"  # a custom field
    assert job["tags"] == ["Link roundup", "AI", "Strikes"] and job["date"] == "2023-07-26T09:30:00+00:00"
    assert job["aliases"] == ["/2023/07/26/ai-job-during-strike/"]
    body = site.read("content/articles/2023/ai-job-during-strike.md")
    assert "## Why it matters" in body and "**AI product manager**" in body
    # a published story may not link to a draft: the link keeps its old address, and the report says so
    assert "[note on this roundup](https://roundup.example.com/2023/07/20/who-we-are/)" in body
    chiefs = site.read("content/articles/2023/studio-chiefs-summer.md")
    assert front(site, "content/articles/2023/studio-chiefs-summer.md")["source"]["url"] == \
        "https://trade.example.com/2023/08/01/studio-chiefs-earnings/"  # the first link out  # fmt: skip
    assert "\\<script\\>alert(4)\\</script\\> written as text" in chiefs  # text that was text stays text
    assert not re.search(r"<svg|<form|<style|onerror|onclick|javascript:|data:text", chiefs)
    assert "[Embedded](https://www.youtube.com/embed/xyz987)" in chiefs and '`[gallery ids="7,8,9"]`' in chiefs
    report = site.read("report.md")
    assert "- `content/articles/2023/ai-job-during-strike.md`: https://roundup.example.com/wp-content/uploads/2023/" \
           "07/picket.jpg" in report  # an image to save, never fetched  # fmt: skip
    for line in ("`custom field mood` (1)", "`comments` (1)", "`author` (3)", "1 <script> removed",
                 "embedded https://www.youtube.com/embed/xyz987 became a link", "a draft: the link keeps its old"):
        assert line in report, line
    built(site)
    for path in site.public.rglob("*.html"):
        if "pagefind" not in path.parts:
            assert ACTIVE.search(path.read_text()) is None, path
    page = site.read("public/2023/08/studio-chiefs-summer/index.html")
    article = page[page.index("<article") : page.index("</article>")]
    assert not re.search(r"<svg|<form|<style|<img|<input", article) and "Hover text stays as text." in article
    assert redirect(site, "/2023/08/02/studio-chiefs-summer/") == "/2023/08/studio-chiefs-summer/"
    assert (site.public / "about-us/index.html").is_file()


def test_wordpress_one_category_and_originals_already_archived(site):
    site.write("content/articles/known.md", story(title="Known",
                                                  url="https://investigates.example.org/2023/07/25/ai-jobs-strike"))
    result = imported(site, MOVING / "wordpress.xml", "--category", "link-roundup")
    assert "skipped item 5 (post 105) (My holiday photos): not in the category or tag 'link-roundup' (--category)" \
        in result.out  # fmt: skip
    assert "skipped item 1 (post 101) (Streaming service posts an AI job during the strike): its original " \
           "https://investigates.example.org/2023/07/25/ai-jobs-strike/ is already archived by " \
           "content/articles/known.md" in result.out  # fmt: skip
    # without --source-from-first-link, a post whose original is only a link in its text waits as a draft
    assert front(site, "content/articles/2023/studio-chiefs-summer.md")["draft"] is True


def test_fields_the_site_allows_are_kept_and_usage_errors(site, tmp_path):
    site.write("site.yml", site.read("site.yml") + "extra_front_matter: [layout]\n")
    imported(site, MOVING / "jekyll-site")
    assert front(site, "content/articles/2023/sag-aftra-strike-begins.md")["layout"] == "post"
    assert "`layout`" not in site.read("report.md")
    assert site.ssg("import", str(MOVING / "jekyll-site"), "--limit", "2").code == 2
    assert site.ssg("import", str(FIXTURES / "intake/rss2.xml"), "--report", "r.md").code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = site.ssg("import", str(empty))
    assert result.code == 1 and "neither a Hugo site" in result.err
    broken = tmp_path / "broken"
    shutil.copytree(MOVING / "hugo-site", broken)
    (broken / "content/posts/bad.md").write_text("+++\ntitle = \n+++\n")
    result = site.ssg("import", str(broken))
    assert result.code == 1 and f"{broken}/content/posts/bad.md:2:9: error: front matter: Invalid value" in result.err
    assert "nothing was written" in result.err
    assert not (site.root / "content/articles/2023/wga-tentative-deal.md").exists()


@pytest.mark.browser
def test_an_old_jekyll_and_hugo_address_lead_to_the_story_in_a_browser(site):
    imported(site, MOVING / "jekyll-site")
    imported(site, MOVING / "hugo-site")
    built(site)
    with static_server(site.public) as origin, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        for old, new, title in (
            ("/labor/film/2023/07/14/sag-aftra-strike-begins.html", "/2023/07/sag-aftra-strike-begins/",
             "Actors join the writers on the picket line"),
            ("/posts/writers-deal/", "/2023/09/wga-tentative-deal/", "Writers reach a tentative deal after 146 days"),
        ):  # fmt: skip
            page.goto(origin + old)
            page.wait_for_url(origin + new, timeout=10000)
            assert page.locator("main h1").inner_text() == title
        browser.close()


def test_source_field_names_the_original_and_its_outlet_beside_it(site, tmp_path):
    hugo = tmp_path / "hugo"
    (hugo / "content/news").mkdir(parents=True)
    (hugo / "config.yaml").write_text("baseURL: https://old.example/\ntitle: Old\n")
    (hugo / "content/news/a.md").write_text('---\ntitle: "A"\ndate: 2023-07-26\nvia_url: "https://outlet.example/a"\n'
                                            'via_name: "The Outlet Daily"\nlink: "https://else.example/b"\n---\nText.\n')
    result = site.ssg("import", str(hugo), "--source-field", "via_url", "--report", "r.md")
    assert result.code == 0, result.err
    story_front = front(site, "content/articles/2023/a.md")
    assert story_front["source"] == {"name": "The Outlet Daily", "url": "https://outlet.example/a"}
    assert story_front["aliases"] == ["/news/a/"] and story_front["date"] == "2023-07-26"
    assert "`link` (1)" in site.read("r.md")  # not the field asked for: listed


def test_an_export_with_entities_is_refused(site, tmp_path):
    text = (MOVING / "wordpress.xml").read_text()
    text = text.replace('<rss version="2.0"', '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                                              '<rss version="2.0"', 1)  # fmt: skip
    text = text.replace("<title><![CDATA[Who we are]]></title>", "<title>Who &xxe; we are</title>")
    (tmp_path / "x.xml").write_text(text)
    result = site.ssg("import", str(tmp_path / "x.xml"))
    assert result.code == 1 and "x.xml: declares a DTD" in result.err
    assert not list((site.root / "content").rglob("*.md"))
    (tmp_path / "y.xml").write_text(text.replace("</channel>", "</chanel>"))
    result = site.ssg("import", str(tmp_path / "y.xml"))
    line = text[: text.index("</channel>")].count("\n") + 1
    assert result.code == 1 and f"{tmp_path}/y.xml:{line}:" in result.err.splitlines()[0], result.err
    assert "error: not a WordPress export that parses: Opening and ending tag mismatch" in result.err


ODD_FRONT = [
    "title: 12\ndate: 5\ntags: [{a: 1}, 3]\naliases: 7\nslug: [x]\n",
    "title: [a, b]\ndate: 2023-02-30\nparams: text\ncover: {image: 5}\nlink: {url: 5}\n",
    "title: A\ndate: 2023-07-26\nsource: javascript:alert(1)\nimages: []\ncategories: 5\npermalink: 9\n",
    "date: 2023-07-26\n",
    "[broken yaml\n",
]


POSITIONED = re.compile(r"^\S+:\d+:\d+: error: ")


def test_odd_front_matter_is_read_or_refused_with_its_place(site, tmp_path):
    """Values of every type where a string, list or date is expected: never a traceback."""
    for number, odd in enumerate(ODD_FRONT):
        for kind, config, folder in (("hugo", "hugo.toml", "content/posts"), ("jekyll", "_config.yml", "_posts")):
            root = tmp_path / f"{kind}{number}"
            (root / folder).mkdir(parents=True)
            (root / "content").mkdir(exist_ok=True)
            (root / config).write_text('permalinks = "odd"\n' if kind == "hugo" else "permalink: 5\n")
            (root / folder / "2023-07-26-odd.md").write_text(f"---\n{odd}---\nBody.\n")
            result = site.ssg("import", str(root), "--dry-run")
            assert result.code in (0, 1) and "Traceback" not in result.err, (kind, odd, result.err)
            *problems, last = result.err.splitlines() or [""]
            assert result.code == 0 or (last.startswith("ssg: error: ") and last.endswith("nothing was written")
                                        and all(POSITIONED.match(line) for line in problems)), result.err  # fmt: skip
    root = tmp_path / "hugo0"
    assert site.ssg("import", str(root), "--dry-run", "--report", "odd.md").code == 0
    report = site.read("odd.md")
    for unusable in ("`date` (1)", "`slug` (1)", "`aliases` (1)", "`tags` (1)"):  # listed, not dropped
        assert unusable in report, unusable


def test_every_file_that_cannot_be_read_is_named_with_its_line_and_column(site, tmp_path):
    root = tmp_path / "old"
    (root / "content/posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('title = "Old"\n')
    files = {
        "a.md": ("---\ntitle: A\ntags: [a, b\n---\nBody.\n", "4:1: error: front matter: while parsing a flow "
                 "sequence, did not find expected ',' or ']'"),
        "b.md": ('+++\ntitle = "B"\ndate = \n+++\nBody.\n', "3:8: error: front matter: Invalid value"),
        "c.md": ('\n{"title": "C",}\nBody.\n', "2:15: error: front matter: Expecting property name"),
        "d.md": (b"---\ntitle: \xff\n---\n", "2:8: error: not UTF-8 text (byte 0xff)"),
        "e.md": ("---\n- a list\n---\n", "1:1: error: front matter: is not a mapping of keys to values"),
        "fine.md": ("---\ntitle: Fine\ndate: 2023-07-26\n---\nBody.\n", None),
    }
    for name, (text, _) in files.items():
        path = root / "content/posts" / name
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    result = site.ssg("import", str(root))
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.splitlines()
    assert lines[-1] == "ssg: error: 5 files of the site cannot be read; nothing was written"
    for name, (_, expected) in files.items():
        if expected is not None:
            assert any(line.startswith(f"{root}/content/posts/{name}:{expected}") for line in lines), (name, lines)
    assert not list((site.root / "content").rglob("*.md"))  # nothing written, the readable file neither
    (root / "hugo.toml").write_text('title = "Old\n')
    result = site.ssg("import", str(root), "--dry-run")
    assert result.err.splitlines()[0].startswith(f"{root}/hugo.toml:1:13: error: ")
