"""Real image files for the tests, made with Pillow: a camera JPEG with the
metadata a newsroom photo carries (GPS position, serial number, owner,
orientation), and the damaged and hostile files editors and feeds bring."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

GPS, EXIF_IFD = 0x8825, 0x8769
ARTIST, COPYRIGHT, MAKE, MODEL, ORIENTATION = 0x013B, 0x8298, 0x010F, 0x0110, 0x0112
OWNER, SERIAL = 0xA430, 0xA431
LEAD = """\
image:
  src: picket-lines.jpg
  alt: Writers on a picket line
  credit: Jane Photographer for Example Agency
  caption: The picket line outside the studio.
"""  # a story's lead photo, as its front matter names it
SECRETS = (b"SER-4711-XQ", b"Owner Ortega", b"Canon", b"EOS R5")  # never in a published file


def scene(width: int, height: int) -> Image.Image:
    """A picture with the texture of a photo (noise over shapes), so that it
    compresses as a photo does: a sky, a street, people with placards."""
    image = Image.new("RGB", (width, height), (120, 160, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(90, 90, 95))
    for i in range(12):
        x = width * (i + 1) // 14
        draw.ellipse((x - width // 60, height // 2 - width // 60, x + width // 60, height // 2 + width // 60),
                     fill=(200 - i * 8, 150, 120))  # fmt: skip
        draw.rectangle((x - width // 50, height // 2, x + width // 50, height * 4 // 5), fill=(40 + i * 15, 60, 90))
        draw.rectangle((x - width // 40, height // 3, x + width // 40, height // 2.4), fill=(240, 235, 220))
    noise = Image.effect_noise((width, height), 28).convert("RGB")
    return Image.blend(image, noise, 0.18)


def camera_jpeg(path: Path, size=(4000, 3000), orientation: int = 6, quality: int = 95) -> Path:
    """A camera's JPEG, stored sideways (``orientation`` 6: turn it a quarter
    clockwise to see it upright), with GPS, serial number, owner, artist and copyright."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE], exif[MODEL] = "Canon", "EOS R5"
    exif[ARTIST] = "Jane Photographer"
    exif[COPYRIGHT] = "(c) 2023 Example Agency"
    exif.get_ifd(EXIF_IFD).update({OWNER: "Owner Ortega", SERIAL: "SER-4711-XQ"})
    exif.get_ifd(GPS).update({1: "N", 2: (34.0, 5.0, 30.0), 3: "W", 4: (118.0, 20.0, 15.0)})
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description photoshop:City="Los Angeles"/>'
           b"</rdf:RDF></x:xmpmeta>")
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(*size).save(path, "JPEG", quality=quality, exif=exif.tobytes(), xmp=xmp)
    return path


def png(path: Path, size=(1200, 800), alpha: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = scene(*size)
    if alpha:
        image.putalpha(Image.new("L", size, 200))
    image.save(path, "PNG")
    return path


def truncated_jpeg(path: Path) -> Path:
    """A JPEG cut off half way, as an interrupted upload leaves it."""
    buffer = io.BytesIO()
    scene(1600, 1200).save(buffer, "JPEG", quality=90)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def bomb_png(path: Path, side: int = 20_000) -> Path:
    """A small file that decodes to ``side`` x ``side`` pixels (400 million by default)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("1", (side, side)).save(path, "PNG")
    return path


def published_images(folder: Path) -> list[Path]:
    suffixes = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif"}
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


def private_fields(path: Path, keep_copyright: bool = False) -> list[str]:
    """What a published image file gives away: EXIF fields but Artist and
    Copyright (those two only when kept), GPS, XMP, or any of the camera's secrets."""
    found = []
    data = path.read_bytes()
    with Image.open(path) as image:
        exif = image.getexif()
        allowed = {ARTIST, COPYRIGHT} if keep_copyright else set()
        found += [f"EXIF tag {tag:#06x}" for tag in exif if tag not in allowed]
        if exif.get_ifd(GPS):
            found.append("GPS")
        if "xmp" in image.info or "XML:com.adobe.xmp" in image.info:
            found.append("XMP")
    found += [secret.decode() for secret in SECRETS if secret in data]
    if b"xmpmeta" in data or b"Los Angeles" in data:
        found.append("XMP text")
    return found
