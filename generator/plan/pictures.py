"""Images as templates and bodies show them: each picture's variants as
URLs with their sizes (:class:`ImageView`), and the ``<picture>`` markup of
a body image (WebP ``srcset`` with a JPEG or PNG fallback, ``width`` and
``height`` so that nothing moves when it loads, lazy loading)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from generator.content.model import BodyImage, Image
from generator.media.picture import Picture, Variant
from generator.util.urls import Links


@dataclass(frozen=True)
class VariantView:
    url: str  # as pages link it
    abs_url: str  # for feeds, Open Graph and structured data
    width: int
    height: int
    type: str  # MIME type


@dataclass(frozen=True)
class ImageView:
    """A story's lead image (``story.image``) or a body image."""

    src: str  # the fallback's URL (JPEG or PNG), or a remote image's own URL
    abs_src: str
    alt: str
    credit: str
    caption: str
    width: int | None = None  # the fallback's size; None for a remote image (not known)
    height: int | None = None
    type: str = ""  # the fallback's MIME type
    srcset: str = ""  # the WebP variants: "a-480.webp 480w, a-960.webp 960w"
    sizes: str = ""  # images.sizes: how wide the theme shows it
    variants: tuple[VariantView, ...] = ()  # the WebP variants, narrowest first
    card: VariantView | None = None  # the 1.91:1 share card, when the original is wide enough
    remote: bool = False  # images.allow_remote: shown as it is, from its own site


def variant_view(variant: Variant, page_url: str, links: Links) -> VariantView:
    path = page_url + variant.file
    return VariantView(links.href(path), links.absolute(path), variant.width, variant.height, variant.type)


def image_view(image: Image, picture: Picture | None, page_url: str, links: Links, sizes: str) -> ImageView:
    """The view of a front-matter image shown on the page at ``page_url`` (``picture`` None: a remote image)."""
    if picture is None:
        return ImageView(image.src, image.src, image.alt, image.credit, image.caption, remote=True)
    return picture_view(picture, page_url, links, sizes, image.alt, image.credit, image.caption)


def picture_view(picture: Picture, page_url: str, links: Links, sizes: str, alt: str = "", credit: str = "",
                 caption: str = "") -> ImageView:  # fmt: skip
    fallback = variant_view(picture.fallback, page_url, links)
    variants = tuple(variant_view(v, page_url, links) for v in picture.variants)
    srcset = ", ".join(f"{v.url} {v.width}w" for v in variants)
    card = variant_view(picture.card, page_url, links) if picture.card is not None else None
    return ImageView(fallback.url, fallback.abs_url, alt, credit, caption, fallback.width, fallback.height,
                     fallback.type, srcset, sizes if variants else "", variants, card)  # fmt: skip


def picture_html(view: ImageView, attributes: str, lazy: bool = True) -> str:
    """``<picture>`` for a body image; ``attributes``: its ``alt`` and
    ``title`` as Markdown rendered them (escaped)."""
    loading = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high" decoding="async"'
    img = (f'<img src="{escape(view.src)}"{attributes} width="{view.width}" height="{view.height}"{loading}>')
    if not view.srcset:
        return img
    source = f'<source type="image/webp" srcset="{escape(view.srcset)}" sizes="{escape(view.sizes)}">'
    return f"<picture>{source}{img}</picture>"


def feed_image_html(view: ImageView, attributes: str) -> str:
    """A body image in a feed: the fallback, by its absolute URL, sized."""
    return f'<img src="{escape(view.abs_src)}"{attributes} width="{view.width}" height="{view.height}">'


class Pictures:
    """The media stage's pictures as the pages at their URLs show them."""

    def __init__(self, media, links: Links, sizes: str, default: Image | None = None):
        self.media, self.links, self.sizes = media, links, sizes
        self._default = default  # images.default, as an image of the home page

    def default(self) -> ImageView | None:
        """The share image of pages without one of their own (``images.default``)."""
        if self._default is None or self.media.picture(self._default.asset) is None:
            return None
        return self.lead(self._default, "/")

    def lead(self, image: Image, page_url: str) -> ImageView:
        picture = self.media.picture(image.asset) if image.asset is not None else None
        return image_view(image, picture, page_url, self.links, self.sizes)

    def in_body(self, page_url: str, feed: bool = False):
        """``image_of`` for :func:`generator.content.markdown.convert.finished_body`:
        a body image's markup, or the URL a link to it leads to (its largest file)."""
        links = self.links

        def image_of(image: BodyImage, attributes: str | None) -> str:
            picture = self.media.picture(image.asset)
            if attributes is None:
                largest = max((v for v in picture.files if v is not picture.card), key=lambda v: v.width)
                path = page_url + largest.file
                return escape(links.absolute(path) if feed else links.href(path))
            view = picture_view(picture, page_url, links, self.sizes)
            return feed_image_html(view, attributes) if feed else picture_html(view, attributes)

        return image_of
