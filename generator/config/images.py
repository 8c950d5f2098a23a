"""``images:`` in site.yml: how photos are resized, encoded and stripped
(``docs/images.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.config.validate import Checker
from generator.config.yamlsource import Node

# A 45-megapixel camera's frame fits; Pillow's own limit (89 million) is a
# safety net for any use, ours is for newsroom photos.
MAX_PIXELS = 50_000_000
MIN_WIDTH, MAX_WIDTH = 16, 8192  # a variant's width


@dataclass(frozen=True)
class DefaultImage:
    """The share image of stories that have none (a file of the site, e.g. ``static/card.jpg``)."""

    src: str  # relative to the site's folder
    alt: str


@dataclass(frozen=True)
class ImagesConfig:
    widths: tuple[int, ...] = (480, 960, 1600)  # the WebP variants, never wider than the original
    quality: int = 78  # WebP; the JPEG fallback and the share card take ``quality + 4``
    sizes: str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"  # the default theme's column
    max_pixels: int = MAX_PIXELS
    keep_copyright: bool = False  # keep the Copyright and Artist fields (never the location)
    require_credit: bool = False  # a lead image without a credit is an error (else a warning)
    allow_remote: bool = False  # publish http(s) image sources as they are, unprocessed
    publish_original: bool = False  # publish a full-size copy under the file's own name (stripped too)
    default: DefaultImage | None = None

    @property
    def fallback_width(self) -> int:
        """The width of the JPEG or PNG that browsers without WebP get (``<img src>``)."""
        return self.widths[(len(self.widths) - 1) // 2]


KEYS = ["widths", "quality", "sizes", "max_pixels", "keep_copyright", "require_credit", "allow_remote",
        "publish_original", "default"]  # fmt: skip


def read_images(check: Checker, node: Node) -> ImagesConfig | None:
    """The ``images:`` mapping; None when it has problems (each reported)."""
    if not check.mapping(node, "images"):
        return None
    check.known_keys(node, KEYS, "images.")
    values: dict = {}
    before = len(check.diagnostics)
    if (widths := node.get("widths")) is not None:
        values["widths"] = _widths(check, widths)
    if (quality := check.integer(node.get("quality"), "images.quality", minimum=1)) is not None:
        if quality > 100:
            check.error(node.get("quality"), "images.quality", "must be at most 100")
        values["quality"] = quality
    if (sizes := check.string(node.get("sizes"), "images.sizes")) is not None:
        values["sizes"] = sizes
    if (limit := check.integer(node.get("max_pixels"), "images.max_pixels", minimum=1)) is not None:
        values["max_pixels"] = limit
    for key in ("keep_copyright", "require_credit", "allow_remote", "publish_original"):
        if (flag := check.boolean(node.get(key), f"images.{key}")) is not None:
            values[key] = flag
    if (default := node.get("default")) is not None:
        values["default"] = _default(check, default)
    if len(check.diagnostics) > before:
        return None
    return ImagesConfig(**values)


def _widths(check: Checker, node: Node) -> tuple[int, ...] | None:
    if node.kind != "seq" or not node.children:
        check.error(node, "images.widths", "must be a list of widths in pixels, e.g. [480, 960, 1600]")
        return None
    widths = []
    for index, child in enumerate(node.children):
        width = check.integer(child, f"images.widths[{index}]", minimum=MIN_WIDTH)
        if width is not None and width > MAX_WIDTH:
            check.error(child, f"images.widths[{index}]", f"must be at most {MAX_WIDTH}")
        elif width is not None:
            widths.append(width)
    return tuple(sorted(set(widths)))


def _default(check: Checker, node: Node) -> DefaultImage | None:
    if not check.mapping(node, "images.default"):
        return None
    check.known_keys(node, ["src", "alt"], "images.default.")
    src = check.string(check.required(node, "src", "images.default.src"), "images.default.src")
    alt = check.string(check.required(node, "alt", "images.default.alt"), "images.default.alt")
    if src is not None:
        path = PurePosixPath(src)
        if path.is_absolute() or ".." in path.parts or "\\" in src or "://" in src:
            message = "must be a file in the site's folder, e.g. static/card.jpg"
            check.error(node.get("src"), "images.default.src", message)
            return None
    return DefaultImage(src, alt.strip()) if src is not None and alt is not None else None
