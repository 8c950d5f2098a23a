"""Encode an original's variants: decoded once (a JPEG at the smallest scale
that still covers the widest variant), turned upright by its EXIF
orientation, converted to sRGB from its colour profile, resized, and saved
with no metadata at all (no EXIF, XMP, IPTC, GPS, maker notes or colour
profile: sRGB is what browsers assume), except the Copyright and Artist
fields when ``images.keep_copyright`` asks for them."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from generator.config.images import ImagesConfig
from generator.media.picture import CARD_HEIGHT, CARD_WIDTH, Picture, Probed, Variant
from generator.media.probe import SWAPPED, ImageProblem
from generator.util.replacing import replace_with

_DAMAGED = "cannot be decoded ({}): the file is damaged or cut short; export or save it again"
KEPT_FIELDS = (0x013B, 0x8298)  # Artist, Copyright: never the location, the camera or its serial number


def encode(source: Path, probed: Probed, picture: Picture, settings: ImagesConfig, focus: tuple[float, float],
           folder: Path) -> None:  # fmt: skip
    """Write each variant file of ``picture`` into ``folder`` (by its file
    name); raises :class:`ImageProblem` for an original that cannot be decoded."""
    from PIL import Image, ImageFile

    if probed.format == "svg":
        _write(folder / picture.fallback.file, source.read_bytes())
        return
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.MAX_IMAGE_PIXELS = settings.max_pixels  # (probed already: a second guard, as Pillow decodes)
    widest = max(v.width for v in picture.files)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                exif = image.getexif()
                kept = _kept(exif, settings)
                if image.format == "JPEG" and picture.original is None:  # (a full-size copy needs every pixel)
                    scale = widest / probed.width
                    size = (probed.width * scale, probed.height * scale)
                    if exif.get(0x0112) in SWAPPED:
                        size = (size[1], size[0])
                    image.draft("RGB", (int(size[0]) + 1, int(size[1]) + 1))
                image.load()
                pixels, orientation = _srgb(image), exif.get(0x0112)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(f"has too many pixels to decode safely ({exc})") from exc
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's words for a file cut short or damaged
        raise ImageProblem(_DAMAGED.format(exc)) from exc
    # Resized as stored, widest first, each from the one before (fewer pixels to filter each time), and
    # turned upright after: turning the whole original round cost as much as decoding it.
    turned = orientation in SWAPPED
    stills = sorted((v for v in picture.files if v is not picture.card), key=lambda v: -v.width)
    current, card_base = pixels, None
    for variant in stills:
        size = (variant.height, variant.width) if turned else (variant.width, variant.height)
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        upright = _upright(current, orientation)
        if picture.card is not None and variant.width >= picture.card.width:
            card_base = upright  # the narrowest still that is as wide as the card
        _save(upright, variant, settings, kept, folder)
    if picture.card is not None:
        base = card_base if card_base is not None else _upright(pixels, orientation)
        _save(_card(base, picture.card, focus), picture.card, settings, kept, folder)


def decoded(source: Path, probed: Probed, max_pixels: int) -> None:
    """Decode an original to check it (``ssg check``: nothing is written);
    raises :class:`ImageProblem` as :func:`encode` would."""
    if probed.format == "svg":
        return
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (image.width // 8 + 1, image.height // 8 + 1))  # every byte is read still
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(f"has too many pixels to decode safely ({exc})") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(_DAMAGED.format(exc)) from exc


def _kept(exif, settings: ImagesConfig):
    """The metadata to write into every variant: none, or the Copyright and Artist fields."""
    if not settings.keep_copyright:
        return None
    from PIL import Image

    kept = Image.Exif()
    for tag in KEPT_FIELDS:
        if isinstance(exif.get(tag), str) and exif[tag].strip():
            kept[tag] = exif[tag]
    return kept if len(kept) else None


def _srgb(image):
    """Pixels in sRGB (from the image's own ICC profile, when it has one), as RGB, RGBA or L."""
    from PIL import ImageCms

    if image.mode in ("P", "PA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
    elif image.mode in ("LA", "I;16", "I", "F", "1", "CMYK", "YCbCr", "LAB", "HSV"):
        image = image.convert("RGBA" if image.mode == "LA" else "RGB")
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    image.info.pop("icc_profile", None)
    return image


def _upright(image, orientation):
    from PIL import Image

    steps = {2: [Image.Transpose.FLIP_LEFT_RIGHT], 3: [Image.Transpose.ROTATE_180],
             4: [Image.Transpose.FLIP_TOP_BOTTOM], 5: [Image.Transpose.TRANSPOSE], 6: [Image.Transpose.ROTATE_270],
             7: [Image.Transpose.TRANSVERSE], 8: [Image.Transpose.ROTATE_90]}  # fmt: skip
    for step in steps.get(orientation, ()):
        image = image.transpose(step)
    return image


def _card(image, card: Variant, focus: tuple[float, float]):
    """The widest 1.91:1 crop of ``image`` that keeps ``focus`` (x, y from 0 to 1) as near its middle as fits."""
    from PIL import Image

    width, height = image.size
    crop_w = min(width, round(height * CARD_WIDTH / CARD_HEIGHT))
    crop_h = min(height, round(crop_w * CARD_HEIGHT / CARD_WIDTH))
    left = min(max(0, round(focus[0] * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(focus[1] * height - crop_h / 2)), height - crop_h)
    cropped = image.crop((left, top, left + crop_w, top + crop_h))
    if cropped.mode != "RGB":
        cropped = _flatten(cropped)
    return cropped.resize((card.width, card.height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _flatten(image):
    """A JPEG has no transparency: on white, as the pages show it."""
    from PIL import Image

    if image.mode == "RGBA":
        white = Image.new("RGB", image.size, (255, 255, 255))
        white.paste(image, mask=image.getchannel("A"))
        return white
    return image.convert("RGB")


def _save(image, variant: Variant, settings: ImagesConfig, kept, folder: Path) -> None:
    options: dict = {}
    if kept is not None:
        options["exif"] = kept.tobytes()
    buffer = io.BytesIO()
    if variant.format == "webp":
        # libwebp's method 2 (of 0-6) where cwebp's default is 4: on a 1600 px photo 0.07 s against 0.19 s,
        # for a file 14 % larger at the same quality (docs/images.md).
        image.save(buffer, "WEBP", quality=settings.quality, method=2, **options)
    elif variant.format == "jpeg":
        flat = _flatten(image) if image.mode not in ("RGB", "L") else image
        flat.save(buffer, "JPEG", quality=min(100, settings.quality + 4), optimize=True, progressive=True,
                  **options)  # fmt: skip
    else:
        image.save(buffer, "PNG", **options)
    _write(folder / variant.file, buffer.getvalue())


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_with(path, data)
