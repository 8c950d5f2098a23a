"""What the write stage is handed, for a full build and a quick one alike:
the renderer with the site's key and the template digests, the files to copy
beside the pages (theme static files and stories' own files) as outputs, and
the small machine files (sitemaps, robots.txt) made anew on every build."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from markupsafe import Markup, escape

from generator.config.site import SiteConfig
from generator.content.archive import Archive
from generator.content.frontmatter import is_image
from generator.diagnostics import error
from generator.media.process import NO_MEDIA, Media
from generator.output.publish import WriteContext
from generator.output.render import Renderer
from generator.output.write import Output, copy_output
from generator.plan.policy import headers_file
from generator.plan.sitemaps import news_sitemaps, robots, sitemaps
from generator.store.cache import VERSION
from generator.store.files import Record, holds
from generator.theme.themes import StaticFiles, TemplateDigests, make_environment
from generator.util.digest import digest
from generator.util.urls import Links


def rendering(site: WriteContext, chain, links: Links, strings, static: StaticFiles, archive: Archive):
    """The renderer, the site's key and the template digests."""
    env = make_environment(chain, _template_globals(links, static, strings), site.compiled)
    key = site_key(site.config, strings, static, archive)
    return Renderer(env, site.config.root), key, TemplateDigests(env, site.cache.manifest("templates"))


def site_key(config: SiteConfig, strings, static: StaticFiles, archive: Archive) -> str:
    """What every page shows besides its own content."""
    # Every page shows the site's navigation: the standalone pages' titles and URLs.
    nav = tuple((p.url, p.page.title) for p in archive.pages)
    return digest(repr((VERSION, config, strings.table, sorted(static.names.items()), nav)).encode())


def _template_globals(links: Links, static: StaticFiles, strings) -> dict:
    def static_url(path: str) -> str:
        """The fingerprinted link of a file in the theme's static/ folder."""
        name = path.lstrip("/")
        if name not in static.names:
            raise KeyError(f"no file {name!r} in the theme's static/ folder")
        return links.href("/" + static.names[name])

    def time_element(date) -> Markup:
        """``<time datetime="…">26 July 2023</time>`` for a DateView."""
        return Markup(f'<time datetime="{escape(date.iso)}">{escape(date.text)}</time>')

    return {"static": static_url, "t": strings.text, "count": strings.count, "time": time_element}


def machine_files(archive: Archive, entries: dict, config: SiteConfig, links: Links, now: datetime):
    """Sitemaps, robots.txt and ``_headers`` (with ``headers: true``): small,
    rebuilt every time. ``entries``: URL -> last modified."""
    maps = sitemaps(entries, config, links)
    if config.news_sitemap:
        maps += news_sitemaps(archive.stories, config, links, now)
    files = maps + [robots(maps, links)]
    made = [(f.path.lstrip("/"), f.data) for f in files]
    return made + [("_headers", headers_file(config))] if config.headers else made


def copy_of(rel: str, source: Path, static: StaticFiles, copied: dict[str, Record | None]) -> Output:
    """A theme's static file or a story's, keyed by what it holds (``copied``:
    the file records of stories' files); raises OSError when it is gone."""
    held = static.digests.get(rel)
    if held is None:
        record = copied.get(str(source))
        if record is None:
            raise FileNotFoundError(source)
        held = holds(record)
    return copy_output(rel, source, held)


def media_outputs(media: Media) -> list[Output]:
    """The images' variant files, copied from the store (``generator/media/``)."""
    return [copy_output(rel, path, key) for rel, (path, key) in sorted(media.files.items())]


def copies(archive: Archive, static: StaticFiles, page_files: set[str], media: Media = NO_MEDIA):
    """Every file to copy: theme static files, then each story's assets (but
    images: they are published as their variants, which no file may overwrite)."""
    found: dict[str, Path] = dict(static.files)
    diagnostics = []
    made = media.files
    for rel in made.keys() & (page_files | found.keys()):
        diagnostics.append(error("site.yml", 1, 1, "images", f"an image's variant would overwrite {rel}"))
    items = [(s.url, s.rendered) for s in archive.stories] + [(p.url, p.rendered) for p in archive.pages]
    for url, rendered in items:
        for asset in rendered.assets:
            if is_image(asset.target):
                continue
            rel = url.lstrip("/") + asset.target
            if rel in page_files or rel in found or rel in made:
                doc = rendered.doc
                diagnostics.append(error(doc.file.rel, 1, 1, "", f"file {asset.target!r} would overwrite {rel}"))
                continue
            found[rel] = asset.source
    return found, diagnostics
