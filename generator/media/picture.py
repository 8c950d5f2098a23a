"""What a processed image is to the pages that show it: the size it shows at
and its variant files, planned from the original's header alone (so that
planning pages needs no encoding)."""

from __future__ import annotations

from dataclasses import dataclass
from posixpath import splitext

from generator.config.images import ImagesConfig

CARD_WIDTH, CARD_HEIGHT = 1200, 628  # 1.91:1, what Open Graph and large Twitter cards show
MIN_CARD_WIDTH = 600  # narrower, a share card would be blurred: the site's default image is used
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}
EXTENSION = {"webp": ".webp", "jpeg": ".jpg", "png": ".png", "svg": ".svg", "gif": ".gif"}


@dataclass(frozen=True)
class Variant:
    file: str  # relative to the page's folder, e.g. "picket-lines-960.webp"
    width: int
    height: int
    format: str  # "webp", "jpeg", "png" or "svg"

    @property
    def type(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Probed:
    """An original as its header describes it."""

    format: str  # "jpeg", "png", "webp", "gif", "tiff", "svg"
    width: int  # as shown: its EXIF orientation applied
    height: int
    alpha: bool = False  # it has transparency: the fallback is a PNG
    frames: int = 1


@dataclass(frozen=True)
class Picture:
    width: int  # the size the original shows at
    height: int
    variants: tuple[Variant, ...]  # the srcset candidates, narrowest first
    fallback: Variant  # ``<img src>``: for browsers without WebP, feeds and structured data
    card: Variant | None = None  # the share card (Open Graph, Twitter), when the original is wide enough
    original: Variant | None = None  # a full-size copy under the original's name (images.publish_original)

    @property
    def files(self) -> tuple[Variant, ...]:
        """Every file of it to publish, each once."""
        found = {v.file: v for v in (*self.variants, self.fallback, self.card, self.original) if v is not None}
        return tuple(found.values())


def scaled(probed: Probed, width: int) -> tuple[int, int]:
    return width, max(1, round(probed.height * width / probed.width))


def plan_picture(target: str, probed: Probed, settings: ImagesConfig) -> Picture:
    """The picture of the original at ``target`` (its path beside the page):
    a WebP file per configured width narrower than it (and one at its own
    width when it is narrower than the widest), never enlarged."""
    stem = splitext(target)[0]
    if probed.format == "svg":
        svg = Variant(target, probed.width, probed.height, "svg")
        return Picture(probed.width, probed.height, (), svg)
    widths = [w for w in settings.widths if w < probed.width]
    if probed.width <= settings.widths[-1]:
        widths.append(probed.width)
    variants = tuple(Variant(f"{stem}-{w}.webp", *scaled(probed, w), "webp") for w in widths)
    still = "png" if probed.alpha else "jpeg"
    width = min(settings.fallback_width, probed.width)
    fallback = Variant(f"{stem}-{width}{EXTENSION[still]}", *scaled(probed, width), still)
    card = None
    if probed.width >= MIN_CARD_WIDTH and probed.height * 2 >= MIN_CARD_WIDTH:
        width = min(CARD_WIDTH, probed.width)
        card = Variant(f"{stem}-card.jpg", width, round(width * CARD_HEIGHT / CARD_WIDTH), "jpeg")
    original = None
    if settings.publish_original:
        same = probed.format in ("jpeg", "png", "webp")  # else (a GIF, a TIFF) a still of it
        kept = probed.format if same else still
        original = Variant(target if same else f"{stem}{EXTENSION[kept]}", probed.width, probed.height, kept)
    return Picture(probed.width, probed.height, variants, fallback, card, original)
