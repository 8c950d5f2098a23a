"""Photos: one pipeline for lead and body images that publishes responsive,
sized variants without any private metadata, and refuses bad or hostile
files with a positioned error (real builds of real image files)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
from photos import LEAD, bomb_png, camera_jpeg, png, private_fields, published_images, truncated_jpeg
from PIL import Image

from conftest import BASIC_CONFIG, story, tree_hashes

STORY = "content/articles/strike.md"
PAGE = "2023/07/a-story"  # the story's folder in the output


@pytest.fixture(scope="module")
def camera(tmp_path_factory) -> Path:
    """The GPS-tagged 4000x3000 camera JPEG, stored sideways (orientation 6)."""
    return camera_jpeg(tmp_path_factory.mktemp("photos") / "camera.jpg")


def photo_story(site, camera: Path, extra: str = LEAD, body: str = "Body text.") -> None:
    shutil.copyfile(camera, site.root / "content/articles/picket-lines.jpg")
    site.write(STORY, story(extra=extra, body=body))


def built(site, *args: str):
    result = site.ssg("build", "-v", *args)
    assert result.code == 0, result.err
    return result


def page(site, rel: str = f"{PAGE}/index.html"):
    return lxml.html.fromstring((site.public / rel).read_bytes())


def output_file(site, url: str) -> Path:
    return site.public / url.removeprefix("https://example.org/").lstrip("/")


def test_a_camera_photo_is_published_upright_small_and_private(site, camera):
    photo_story(site, camera)
    built(site)
    files = published_images(site.public)
    assert {p.name for p in files} == {"picket-lines-480.webp", "picket-lines-960.webp", "picket-lines-1600.webp",
                                       "picket-lines-960.jpg", "picket-lines-card.jpg"}  # fmt: skip
    assert not (site.public / PAGE / "picket-lines.jpg").exists()  # the original stays in the archive
    for path in files:
        assert private_fields(path) == [], path
        assert path.stat().st_size < 1_000_000, path
        with Image.open(path) as image:
            if "card" not in path.name:
                assert image.height > image.width, f"{path.name} is not upright: {image.size}"
    with Image.open(site.public / PAGE / "picket-lines-1600.webp") as image:
        assert image.size == (1600, 2133)  # 3000x4000 once upright, never enlarged


def test_the_lead_photo_is_sized_responsive_and_a_share_card(site, camera):
    photo_story(site, camera)
    built(site)
    html = page(site)
    img = html.xpath('//figure[@class="lead-image"]//img')[0]
    assert (img.get("width"), img.get("height")) == ("960", "1280")
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert img.get("src").endswith("picket-lines-960.jpg")
    source = html.xpath('//figure[@class="lead-image"]//source')[0]
    assert source.get("type") == "image/webp" and source.get("sizes")
    candidates = [part.split() for part in source.get("srcset").split(",")]
    assert [w for _, w in candidates] == ["480w", "960w", "1600w"]
    smallest = output_file(site, "https://example.org" + candidates[0][0])
    assert smallest.stat().st_size < 120_000
    assert "Jane Photographer for Example Agency" in html.xpath('string(//figure[@class="lead-image"]/figcaption)')

    og = html.xpath('//meta[@property="og:image"]/@content')[0]
    with Image.open(output_file(site, og)) as card:
        assert card.format == "JPEG" and card.size == (1200, 628)
    assert html.xpath('//meta[@property="og:image:width"]/@content') == ["1200"]
    assert html.xpath('//meta[@name="twitter:card"]/@content') == ["summary_large_image"]
    found = [json.loads(text) for text in html.xpath('//script[@type="application/ld+json"]/text()')]
    article = next(d for d in found[0] + found[1:] if d.get("@type") == "NewsArticle")
    first = article["image"][0]
    assert first["@type"] == "ImageObject" and first["width"] == 960 and first["height"] == 1280
    assert first["creditText"] == "Jane Photographer for Example Agency"
    assert first["caption"] == "The picket line outside the studio."


def test_a_body_image_is_resized_sized_and_lazy(site):
    png(site.root / "content/articles/placard.png", (1200, 800))
    site.write(STORY, story(body='Before.\n\n![A placard, held high](placard.png "On the line")\n\nAfter.'))
    built(site)
    html = page(site)
    picture = html.xpath('//div[@class="body"]//picture')[0]
    img = picture.xpath(".//img")[0]
    assert img.get("alt") == "A placard, held high" and img.get("title") == "On the line"
    assert (img.get("width"), img.get("height"), img.get("loading"), img.get("decoding")) == (
        "960", "640", "lazy", "async")  # fmt: skip
    assert img.get("src").endswith("placard-960.jpg")  # a photo without transparency: a JPEG fallback
    srcset = picture.xpath(".//source/@srcset")[0]
    assert [part.split()[1] for part in srcset.split(",")] == ["480w", "960w", "1200w"]
    assert not (site.public / PAGE / "placard.png").exists()


def test_feeds_carry_the_image(site, camera):
    photo_story(site, camera, body="![A placard](picket-lines.jpg)")
    built(site)
    atom = feedparser.parse((site.public / "feed.xml").read_bytes())
    entry = atom.entries[0]
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.type == "image/jpeg" and enclosure.href.endswith(f"/{PAGE}/picket-lines-960.jpg")
    raw = (site.public / "feed.xml").read_text()  # (feedparser's sanitizer drops width and height)
    assert ('&lt;img src="https://example.org/2023/07/a-story/picket-lines-960.jpg" alt="A placard" '
            'width="960" height="1280"&gt;') in raw  # fmt: skip
    assert "picket-lines-960.jpg" in entry.content[0].value
    item = json.loads((site.public / "feed.json").read_text())["items"][0]
    assert item["image"] == f"https://example.org/{PAGE}/picket-lines-960.jpg"


def test_keep_copyright_keeps_the_credit_fields_and_never_the_location(site, camera):
    site.write("site.yml", BASIC_CONFIG + "images:\n  keep_copyright: true\n")
    photo_story(site, camera)
    built(site)
    variant = site.public / PAGE / "picket-lines-960.webp"
    assert private_fields(variant, keep_copyright=True) == []
    with Image.open(variant) as image:
        exif = image.getexif()
        assert exif[0x8298] == "(c) 2023 Example Agency" and exif[0x013B] == "Jane Photographer"


def test_a_text_edit_or_no_change_encodes_no_image(site, camera):
    photo_story(site, camera)
    assert "encoded 1 images" in built(site).out
    assert "encoded 0 images" in built(site).out or "Nothing changed" in built(site).out
    site.write(STORY, story(extra=LEAD, body="Body text, edited."))
    out = built(site).out
    assert "encoded 0 images" in out and "the quick way" in out
    shutil.rmtree(site.public)  # a fresh output, the cache kept (CI restores it): nothing to encode either
    assert "encoded 0 images" in built(site).out
    (site.root / "content/articles/picket-lines.jpg").write_bytes(camera_jpeg(site.root / "other.jpg",
                                                                               (2000, 1500)).read_bytes())  # fmt: skip
    out = built(site).out
    assert "encoded 1 images" in out and "the quick way" not in out
    assert [p.name for p in (site.root / ".ssg-cache/images").iterdir()].__len__() == 1  # the old variants went


BAD = {
    "damaged": (lambda path: truncated_jpeg(path), "picket-lines.jpg", "cannot be decoded"),
    "bomb": (lambda path: bomb_png(path), "picket-lines.png", "= 400,000,000 pixels, more than images.max_pixels"),
    "lying name": (lambda path: png(path), "picket-lines.jpg", "is a PNG image, not what its name (.jpg) says"),
    "not an image": (lambda path: path.write_text("<html>oops</html>"), "picket-lines.jpg", "is not an image"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_image_is_a_positioned_error_and_the_output_stays(site, camera, case):
    photo_story(site, camera)
    built(site)
    before = tree_hashes(site.public)
    make, name, message = BAD[case]
    (site.root / "content/articles/picket-lines.jpg").unlink()
    make(site.root / "content/articles" / name)
    site.write(STORY, story(extra=LEAD.replace("picket-lines.jpg", name)))
    result = site.ssg("build")
    assert result.code == 1
    line = next(i for i, text in enumerate(site.read(STORY).splitlines(), 1) if "src:" in text)
    assert re.search(rf"content/articles/strike\.md:{line}:8: error: image\.src: image '{re.escape(name)}' .*"
                     rf"{re.escape(message)}", result.err), result.err  # fmt: skip
    assert "Traceback" not in result.err
    assert tree_hashes(site.public) == before


def line_of(site, text: str) -> int:
    return next(i for i, line in enumerate(site.read(STORY).splitlines(), 1) if text in line)


def test_a_missing_body_image_is_a_positioned_error(site):
    site.write(STORY, story(body="Text.\n\n![A placard](gone.png)"))
    result = site.ssg("build")
    where = f"content/articles/strike.md:{line_of(site, 'gone.png')}:14"
    assert result.code == 1 and f"{where}: error: body: image file 'gone.png' not found" in result.err


def test_an_svg_with_a_script_is_refused_and_an_inert_one_published(site):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><rect width="300" height="150"/>{}</svg>'
    site.write("content/articles/chart.svg", svg.format('<script>alert(document.domain)</script>'))
    site.write(STORY, story(body="A chart.\n\n![The chart](chart.svg)"))
    result = site.ssg("build")
    assert result.code == 1
    where = f"content/articles/strike.md:{line_of(site, 'chart.svg')}:14"
    assert f"{where}: error: body: image 'chart.svg' has a <script> element" in result.err
    site.write("content/articles/chart.svg", svg.format('<circle onload="alert(1)" r="4"/>'))
    assert "event handler (onload=...)" in site.ssg("build").err
    site.write("content/articles/chart.svg", svg.format('<circle cx="20" cy="20" r="4"/>'))
    built(site)
    img = page(site).xpath('//div[@class="body"]//img')[0]
    assert (img.get("src"), img.get("width"), img.get("height")) == ("/2023/07/a-story/chart.svg", "300", "150")
    assert (site.public / PAGE / "chart.svg").read_bytes() == (site.root / "content/articles/chart.svg").read_bytes()


def test_remote_images_are_not_fetched_unless_allowed(site):
    remote = "image:\n  src: https://cdn.example.com/photo.jpg\n  alt: A photo\n  credit: Agency\n"
    site.write(STORY, story(extra=remote))
    result = site.ssg("build")
    assert result.code == 1
    assert "image.src: remote images are not fetched: save the file beside the story" in result.err
    site.write(STORY, story(body="![x](https://cdn.example.com/x.jpg)"))
    result = site.ssg("build")
    where = f"strike.md:{line_of(site, 'cdn.example')}:6"
    assert result.code == 1 and f"{where}: error: body: image: remote images are not fetched" in result.err
    site.write(STORY, story(extra=remote, body="![x](https://cdn.example.com/x.jpg)"))
    site.write("site.yml", BASIC_CONFIG + "images:\n  allow_remote: true\n")
    built(site)
    html = page(site)
    lead = html.xpath('//figure[@class="lead-image"]//img')[0]
    assert lead.get("src") == "https://cdn.example.com/photo.jpg" and lead.get("referrerpolicy") == "no-referrer"
    body = html.xpath('//div[@class="body"]//img')[0]
    assert (body.get("loading"), body.get("referrerpolicy")) == ("lazy", "no-referrer")


def test_credit_animation_and_size_warnings(site, tmp_path):
    png(site.root / "content/articles/tiny.png", (300, 200))
    frames = [Image.new("RGB", (800, 600), color) for color in ("red", "blue")]
    frames[0].save(site.root / "content/articles/moving.gif", save_all=True, append_images=frames[1:])
    extra = "image:\n  src: tiny.png\n  alt: A tiny picture\n"
    site.write(STORY, story(extra=extra, body="![Moving](moving.gif)"))
    result = built(site)
    assert "image.credit: a lead image needs a credit" in result.err
    assert "image 'tiny.png' is 300 px wide, narrower than the smallest width (480 px)" in result.err
    assert "image 'moving.gif' is animated: only its first frame is published" in result.err
    site.write("site.yml", BASIC_CONFIG + "images:\n  require_credit: true\n")
    result = site.ssg("build")
    assert result.code == 1 and "error: image.credit: a lead image needs a credit" in result.err


def test_image_settings_are_checked(site):
    site.write("site.yml", BASIC_CONFIG + "images:\n  widths: [10, 9000]\n  quality: 120\n  sizez: x\n")
    result = site.ssg("build")
    assert result.code == 1
    for text in ("images.widths[0]: must be at least 16", "images.widths[1]: must be at most 8192",
                 "images.quality: must be at most 100", "images.sizez: unknown key (did you mean 'sizes'?)"):
        assert text in result.err, text


def test_a_default_image_is_the_share_card_of_stories_without_one(site, camera):
    shutil.copyfile(camera, site.root / "card.jpg")
    site.write("site.yml", BASIC_CONFIG + "images:\n  default:\n    src: card.jpg\n    alt: The archive\n")
    site.write(STORY, story())
    built(site)
    html = page(site)
    assert html.xpath('//meta[@property="og:image"]/@content') == ["https://example.org/card-card.jpg"]
    assert html.xpath('//meta[@property="og:image:alt"]/@content') == ["The archive"]
    assert private_fields(site.public / "card-card.jpg") == []


def test_a_decoder_that_raises_anything_is_a_positioned_error(site, camera, monkeypatch):
    """A hostile file can make a decoder raise what no one expects: still an error at its place."""
    import generator.media.process as process

    def broken(path, max_pixels):
        raise IndexError("tile index out of range")

    monkeypatch.setattr(process, "probe", broken)
    photo_story(site, camera)
    result = site.ssg("build", "-j", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert "image.src: image 'picket-lines.jpg' cannot be decoded (IndexError: tile index out of range)" in result.err
