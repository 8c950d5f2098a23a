"""An original's header, read without decoding its pixels, and the problems
that can be told from it: not an image, not what its name says, too many
pixels. (A file that is cut short or damaged past its header is found when
it is decoded: ``encode.py``.)"""

from __future__ import annotations

import warnings
from pathlib import Path

from generator.content.frontmatter import IMAGE_FORMATS
from generator.media.picture import Probed

PILLOW_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "TIFF": "tiff"}
SWAPPED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter


class ImageProblem(Exception):
    """What is wrong with an image, said for the editor."""


def probe(path: Path, max_pixels: int) -> Probed:
    """The original's format and shown size; raises :class:`ImageProblem`."""
    suffix = path.suffix.lower()
    expected = IMAGE_FORMATS[suffix]
    if expected == "svg":
        from generator.media.svg import svg_size

        width, height = svg_size(path.read_bytes())
        return Probed("svg", width, height)
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # the header is read, not the pixels: the size is checked below, with its numbers
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                found = PILLOW_FORMATS.get(image.format or "")
                if found is None:
                    raise ImageProblem(f"is a {image.format} image: save it as JPEG, PNG or WebP")
                if found != expected:
                    raise ImageProblem(f"is a {found.upper()} image, not what its name ({suffix}) says: rename it")
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageProblem(_too_large(width, height, max_pixels))
                if image.getexif().get(0x0112) in SWAPPED:
                    width, height = height, width
                alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                return Probed(found, width, height, alpha, getattr(image, "n_frames", 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(f"has too many pixels to decode safely ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise ImageProblem("is not an image ssg can read (damaged, or not an image at all)") from exc
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc}") from exc


def _too_large(width: int, height: int, limit: int) -> str:
    return (f"has {width}x{height} = {width * height:,} pixels, more than images.max_pixels ({limit:,}): "
            "scale it down, or raise the limit in site.yml")
