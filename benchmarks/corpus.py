"""A deterministic synthetic news archive for benchmarks.

    python3 benchmarks/corpus.py OUT_DIR --stories 10000 [--seed 1] [--hugo] [--photos]

Writes ``OUT_DIR/site.yml`` and ``OUT_DIR/content/articles/YYYY/*.md``: N
stories of about 750 words (paragraphs with links and emphasis, a quote,
sometimes a list, sometimes a co-located image with a credit), 2–6 tags drawn
from a 300-tag vocabulary with a Zipf distribution, dates spread over 20
years, 60 source outlets. With ``--hugo`` it also writes ``OUT_DIR/hugo/``:
the same stories as a Hugo site with two themes: a minimal one (article
pages, paginated home, tag and source lists, term indexes) and, with
``parity.toml``, one that makes the same kinds of output as ssg (feeds,
related stories, JSON-LD, date archives; see ``HUGO_PARITY_CONFIG``).
With ``--photos`` the stories with an image (one in five) have a camera's
JPEG instead of a small SVG (``camera_files.py``: 3000-4000 px wide, 2-5 MB, with
the EXIF a camera writes), and their Hugo copies are page bundles whose
templates make the same variants as ssg (``HUGO_PICTURE``).
With ``--shape`` the archive has another shape (``SHAPES``): no co-located
images, short briefs of about 150 words, long features of about 3,000 words,
heavy inline Markdown (a link and emphasis in every sentence, a quote and a
list after every paragraph) or many tags (10-16) a story.
The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from camera_files import photo, pool

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ben", "cor", "dal", "fen", "gar", "hol", "jun",
             "kel", "lam", "mor", "nor", "pel", "quin", "ros", "sil", "tam", "ul", "ver", "wen", "yar", "zo"]
START = datetime(2005, 1, 1, 8, 0)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#ccc"/></svg>\n'


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 1, 2, 2, 3))))


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(_word(rng) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int, heavy: bool = False) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 20))
        sentence = _sentence(rng, n)
        if heavy:  # a link, emphasis and strong emphasis in every sentence
            parts = sentence[:-1].split(" ")
            parts[0] = f"[{parts[0]}](https://example.com/{_word(rng)})"
            if len(parts) > 2:
                parts[-2], parts[-1] = f"*{parts[-2]}*", f"**{parts[-1]}**"
            out.append(" ".join(parts) + ".")
            left -= n
            continue
        elif rng.random() < 0.15:
            sentence = sentence.replace(" ", f" [{_word(rng)}](https://example.com/{_word(rng)}) ", 1)
        elif rng.random() < 0.1:
            sentence = sentence.replace(" ", f" *{_word(rng)}* ", 1)
        out.append(sentence)
        left -= n
    return " ".join(out)


class Vocabulary:
    def __init__(self, rng: random.Random):
        names = set()
        while len(names) < 300:
            names.add(" ".join(_word(rng).capitalize() for _ in range(rng.choice((1, 1, 2)))))
        self.tags = sorted(names)
        rng.shuffle(self.tags)
        self.weights = [1 / (rank + 1) for rank in range(len(self.tags))]  # Zipf, s = 1
        outlets = set()
        while len(outlets) < 60:
            outlets.add("The " + _word(rng).capitalize() + " " + rng.choice(["Times", "Post", "Herald", "Wire"]))
        self.outlets = sorted(outlets)

    def pick_tags(self, rng: random.Random) -> list[str]:
        chosen: list[str] = []
        want = rng.randint(2, 6)
        while len(chosen) < want:
            tag = rng.choices(self.tags, self.weights)[0]
            if tag not in chosen:
                chosen.append(tag)
        return chosen


SHAPES = ("standard", "no-images", "briefs", "features", "inline", "many-tags")


def _body(rng: random.Random, shape: str) -> list[str]:
    """A story's paragraphs, by the archive's shape."""
    if shape == "briefs":
        return [_paragraph(rng, rng.randint(60, 90)) for _ in range(2)]
    if shape == "inline":
        paragraphs = []
        for _ in range(8):
            paragraphs += [_paragraph(rng, rng.randint(60, 110), heavy=True), "> " + _sentence(rng, 14),
                           "\n".join(f"- {_sentence(rng, 5)} *{_word(rng)}*" for _ in range(3))]  # fmt: skip
        return paragraphs
    count = 32 if shape == "features" else 8
    paragraphs = [_paragraph(rng, rng.randint(60, 110)) for _ in range(count)]
    paragraphs.insert(3, "> " + _sentence(rng, 18))
    if rng.random() < 0.3:
        paragraphs.insert(5, "\n".join(f"- {_sentence(rng, 6)}" for _ in range(4)))
    return paragraphs


def story(rng: random.Random, vocab: Vocabulary, index: int, stories: int, photo: bool = False,
          shape: str = "standard"):  # fmt: skip
    minutes = int(index * (20 * 365 * 24 * 60) / stories) + rng.randint(0, 600)
    date = START + timedelta(minutes=minutes)
    title = _sentence(rng, rng.randint(5, 10))[:-1]
    outlet = rng.choice(vocab.outlets)
    tags = vocab.pick_tags(rng)
    if shape == "many-tags":
        want = rng.randint(10, 16)
        while len(tags) < want:
            tag = rng.choices(vocab.tags, vocab.weights)[0]
            if tag not in tags:
                tags.append(tag)
    paragraphs = _body(rng, shape)
    image = rng.random() < 0.2 and shape not in ("no-images", "briefs")
    slug = f"story-{index:06d}"
    front = [
        "---",
        f'title: "{title}"',
        f"date: {date:%Y-%m-%dT%H:%M:%S}",
        "source:",
        f"  name: {outlet}",
        f"  url: https://news.example.org/{slug}",
        f"  author: {_word(rng).capitalize()} {_word(rng).capitalize()}",
        f"tags: [{', '.join(tags)}]",
        f"slug: {slug}",
    ]
    if image:
        front += ["image:", f"  src: {slug}.{'jpg' if photo else 'svg'}", f'  alt: "An illustration for story {index}"',
                  f"  credit: {_word(rng).capitalize()} / Agency"]  # fmt: skip
    front.append("---")
    body = "\n\n".join(paragraphs)
    return date, slug, title, outlet, tags, image, "\n".join(front) + "\n" + body + "\n"


SITE_YML = """title: Benchmark Archive
base_url: https://bench.example.org/
timezone: UTC
per_page: 20
"""

HUGO_CONFIG = """baseURL = "https://bench.example.org/"
title = "Benchmark Archive"
disableKinds = ["RSS"]
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  source = "sources"
[permalinks]
  articles = "/:year/:month/:slug/"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    '<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ .Site.Title }}</a>'
    '<a href="/tags/">Tags</a><a href="/sources/">Sources</a></header><main>{{ block "main" . }}{{ end }}</main>'
    "</body></html>",
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January'
    ' 2006" }}</time></p><aside><p>Originally reported for {{ .Params.source_name }}</p><a href="{{ .Params.'
    'source_url }}">Read the original</a></aside>{{ with .Params.image }}<figure><img src="{{ . }}" alt="">'
    "</figure>{{ end }}{{ .Content }}<p>{{ range .Params.tags }}<a href=\"{{ \"/tags/\" | relURL }}{{ . | "
    'urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">'
    "{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}"
    "{{ end }}",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>'
    '<a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Date.Format "2 January 2006" }}</p><p>'
    "{{ .Summary | plainify | truncate 240 }}</p></article>{{ end }}{{ with .Paginator.Prev }}<a href=\"{{ .URL }}\">"
    'Newer</a>{{ end }}{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}',
    "_default/terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
    '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}',
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ range (.Paginate (where .Site.RegularPages '
    '"Section" "articles")).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>'
    "{{ .Summary | plainify | truncate 240 }}</p></article>{{ end }}{{ end }}",
}


# The same kinds of output ssg makes, for a like-for-like timing (run.py's
# "hugo same pages"): feeds with full content for the site and for every tag
# and outlet, a JSON feed, related stories and JSON-LD on article pages, head
# metadata, story cards with outlet and tags on list pages, and paginated year
# and month archives (an "archives" taxonomy: Hugo has no date archives).
# Hugo's own /articles/ section list is left out, as ssg has none.
# parity-norelated.toml is the same without related stories: Hugo's .Related
# compares a story with every story sharing a tag with it, where ssg looks at
# the 12 nearest in time in each tag, and took most of that build's time.
HUGO_PARITY_CONFIG = """baseURL = "https://bench.example.org/"
title = "Benchmark Archive"
disableKinds = ["section"]
[params]
  related = true
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  source = "sources"
  archive = "archives"
[permalinks]
  articles = "/:year/:month/:slug/"
[services.rss]
  limit = 20
[outputs]
  home = ["HTML", "RSS", "JSONFeed"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
[outputFormats.JSONFeed]
  mediaType = "application/json"
  baseName = "feed"
  isPlainText = true
[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "date"
    weight = 10
[module]
  [[module.mounts]]
    source = "content"
    target = "content"
  [[module.mounts]]
    source = "static"
    target = "static"
  [[module.mounts]]
    source = "layouts-parity"
    target = "layouts"
"""

_CARD = ('<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p><time datetime="{{ .Date.Format '
         '"2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.source_name }}</p>'
         "<p>{{ .Summary | plainify | truncate 240 }}</p><p>{{ range .Params.tags }}<a href=\"{{ \"/tags/\" | relURL }}"
         '{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>')  # fmt: skip
_PAGER = ('{{ with .Paginator.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}{{ with .Paginator.Next }}'
          '<a href="{{ .URL }}">Older</a>{{ end }}')  # fmt: skip
HUGO_PARITY_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="canonical" href="{{ .Permalink }}">'
    '<meta name="description" content="{{ with .Summary }}{{ . | plainify | truncate 160 }}{{ else }}{{ .Site.Title }}'
    '{{ end }}"><meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">'
    '<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}">'
    '<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ .Site.Title }}</a>'
    '<a href="/tags/">Tags</a><a href="/sources/">Sources</a><a href="/archives/">Archive</a></header>'
    '<main>{{ block "main" . }}{{ end }}</main></body></html>',
    "_default/single.html": '{{ define "main" }}<script type="application/ld+json">{{ dict "@context" '
    '"https://schema.org" "@type" "NewsArticle" "headline" .Title "url" .Permalink "datePublished" (.Date.Format '
    '"2006-01-02T15:04:05Z07:00") "isBasedOn" .Params.source_url "keywords" .Params.tags "publisher" (dict "@type" '
    '"Organization" "name" .Params.source_name) | jsonify | safeJS }}</script><article data-pagefind-body>'
    '<h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January 2006" }}</time></p><aside>'
    '<p>Originally reported for {{ .Params.source_name }}</p>'
    '<a href="{{ .Params.source_url }}">Read the original</a></aside>{{ with .Params.image }}<figure><img src="{{ . }}"'
    ' alt=""></figure>{{ end }}{{ .Content }}<p>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize'
    ' }}/">{{ . }}</a> {{ end }}</p></article>{{ if site.Params.related }}{{ with first 5 (.Site.RegularPages.Related'
    ' .) }}<aside><h2>Related</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.'
    'Format "2 January 2006" }}</time> · {{ .Params.source_name }}</li>{{ end }}</ul></aside>{{ end }}{{ end }}'
    '{{ with .PrevInSection }}<a href="'
    '{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}'
    "</a>{{ end }}{{ end }}",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}' + _CARD + "{{ end }}"
    + _PAGER + "{{ end }}",
    "_default/terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
    '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}',
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ range (.Paginate .Site.RegularPages).Pages }}'
    + _CARD + "{{ end }}" + _PAGER + "{{ end }}",
    "_default/rss.xml": '{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}<rss version="2.0">'
    "<channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>{{ if ne .Data.Plural \"archives\" }}{{ $pages :="
    ' .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}{{ range first 20 $pages }}<item>'
    "<title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format"
    ' "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate><author>{{ .Params.source_name }}</author>{{ range .Params.tags }}'
    "<category>{{ . }}</category>{{ end }}<description>{{ .Content | transform.XMLEscape | safeHTML }}</description>"
    "</item>{{ end }}{{ end }}</channel></rss>",
    "index.jsonfeed.json": '{{- $items := slice -}}{{- range first 20 .Site.RegularPages -}}{{- $items = $items | '
    'append (dict "id" .Permalink "url" .Permalink "title" .Title "content_html" .Content "date_published" '
    '(.Date.Format "2006-01-02T15:04:05Z07:00") "tags" .Params.tags) -}}{{- end -}}{{- dict "version" '
    '"https://jsonfeed.org/version/1.1" "title" .Site.Title "home_page_url" .Site.BaseURL "items" $items | jsonify -}}',
}

# With --photos: a story's photo (a page bundle's resource) in the variants ssg makes of it by default
# (WebP 480, 960 and 1600 px wide at quality 78, a 960 px JPEG fallback and a 1200x628 share card at 82), with
# Hugo's own default filter; the share card's crop is centred, as ssg's is (Hugo's "Smart" anchor looks for
# the interesting part, which ssg leaves to the editor's image.focus).
HUGO_PICTURE = (
    '{{ with .page.Resources.Get .src }}{{ $s := .Resize "480x webp q78" }}{{ $m := .Resize "960x webp q78" }}'
    '{{ $l := .Resize "1600x webp q78" }}{{ $f := .Resize "960x jpg q82" }}{{ $card := .Fill "1200x628 jpg q82 '
    'Center" }}<figure><picture><source type="image/webp" srcset="{{ $s.RelPermalink }} 480w, {{ $m.RelPermalink }}'
    ' 960w, {{ $l.RelPermalink }} 1600w" sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)"><img src="'
    '{{ $f.RelPermalink }}" width="{{ $f.Width }}" height="{{ $f.Height }}" alt="" fetchpriority="high"></picture>'
    '<figcaption>{{ $card.RelPermalink }}</figcaption></figure>{{ end }}'
)
_PHOTO = '{{ with .Params.photo }}{{ partial "picture.html" (dict "page" $ "src" .) }}{{ end }}'


def write(out: Path, stories: int, seed: int, hugo: bool, photos: bool = False, shape: str = "standard") -> None:
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    articles = out / "content" / "articles"
    if out.exists():
        shutil.rmtree(out)
    articles.mkdir(parents=True)
    (out / "site.yml").write_text(SITE_YML)
    hugo_articles = out / "hugo" / "content" / "articles"
    if hugo:
        hugo_articles.mkdir(parents=True)
        (out / "hugo" / "hugo.toml").write_text(HUGO_CONFIG)
        (out / "hugo" / "parity.toml").write_text(HUGO_PARITY_CONFIG)
        without_related = HUGO_PARITY_CONFIG.replace("related = true", "related = false")
        (out / "hugo" / "parity-norelated.toml").write_text(without_related)
        for folder, layouts in (("layouts", HUGO_LAYOUTS), ("layouts-parity", HUGO_PARITY_LAYOUTS)):
            layouts = {**layouts, "partials/picture.html": HUGO_PICTURE}
            lead = "{{ with .Params.image }}"
            layouts["_default/single.html"] = layouts["_default/single.html"].replace(lead, _PHOTO + lead)
            for rel, text in layouts.items():
                path = out / "hugo" / folder / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
        (out / "hugo" / "static").mkdir()
        (out / "hugo" / "static" / "style.css").write_text("body{font-family:serif}\n")
    pictures = pool(seed) if photos else []
    for index in range(stories):
        date, slug, title, outlet, tags, image, text = story(rng, vocab, index, stories, photos, shape)
        folder = articles / f"{date:%Y}"
        folder.mkdir(exist_ok=True)
        (folder / f"{slug}.md").write_text(text)
        if image and photos:
            (folder / f"{slug}.jpg").write_bytes(photo(pictures, index))
        elif image:
            (folder / f"{slug}.svg").write_text(SVG)
        if hugo:
            body = text.split("\n---\n", 1)[1]
            tag_list = ", ".join(f'"{t}"' for t in tags)
            front = (f'---\ntitle: "{title}"\ndate: {date:%Y-%m-%dT%H:%M:%S}Z\nslug: {slug}\ntags: [{tag_list}]\n'
                     f'sources: ["{outlet}"]\narchives: ["{date:%Y}", "{date:%Y-%m}"]\nsource_name: "{outlet}"\n'
                     f"source_url: https://news.example.org/{slug}\n"
                     + (f"image: https://img.example.org/{slug}.svg\n" if image and not photos else "")
                     + (f"photo: {slug}.jpg\n" if image and photos else "") + "---\n")  # fmt: skip
            if image and photos:  # a page bundle: the same file, linked, not copied
                (hugo_articles / slug).mkdir()
                (hugo_articles / slug / "index.md").write_text(front + body)
                os.link(folder / f"{slug}.jpg", hugo_articles / slug / f"{slug}.jpg")
            else:
                (hugo_articles / f"{slug}.md").write_text(front + body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", action="store_true", help="also write the same corpus as a Hugo site")
    parser.add_argument("--photos", action="store_true", help="a camera's JPEG in one story in five")
    parser.add_argument("--shape", choices=SHAPES, default="standard")
    args = parser.parse_args()
    write(args.out, args.stories, args.seed, args.hugo, args.photos, args.shape)
    print(f"wrote {args.stories} stories to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
