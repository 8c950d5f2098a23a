"""Camera-sized JPEGs for the benchmark corpus (``corpus.py --photos``).

Each photo is 3000-4000 px wide and 2-5 MB, with the EXIF a camera writes
(make, model, serial number, GPS position, artist). Encoding a 12-megapixel
JPEG takes Pillow about half a second, so a few pictures are drawn once
(``POOL``) and every story's photo is one of them with its own number in the
EXIF description: a file of its own (its own bytes and digest, so no tool
can take it for another), decoded and resized in full by each tool, made in
the time it takes to write it.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZES = ((4000, 3000), (3840, 2560), (3600, 2400), (3264, 2448))  # 12, 10, 9 and 8 megapixels
POOL = 12
MARK = b"bench photo 00000000"  # the EXIF description, numbered per story


def pool(seed: int) -> list[bytes]:
    """The pictures every photo of the corpus is made from."""
    rng = random.Random(seed)
    return [_picture(rng, *SIZES[number % len(SIZES)]) for number in range(POOL)]


def photo(pictures: list[bytes], index: int) -> bytes:
    """Story ``index``'s photo: a picture of the pool with the story's number in its EXIF."""
    data = pictures[index % len(pictures)]
    return data.replace(MARK, MARK[: -8] + b"%08d" % index, 1)


def _picture(rng: random.Random, width: int, height: int) -> bytes:
    """A street scene with the grain of a photo, so that it weighs what a camera's file does."""
    image = Image.new("RGB", (width, height), tuple(rng.randint(90, 210) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(90, 90, 95))
    for _ in range(40):
        x, y, r = rng.randint(0, width), rng.randint(height // 4, height), rng.randint(width // 80, width // 12)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(20, 240) for _ in range(3)))
    grain = Image.effect_noise((width, height), rng.randint(30, 40)).convert("RGB")
    exif = Image.Exif()
    exif[0x010E] = MARK.decode()  # ImageDescription
    exif[0x010F], exif[0x0110], exif[0x013B] = "Canon", "EOS R5", "Bench Photographer"
    exif.get_ifd(0x8769).update({0xA431: "SER-0000-BENCH"})  # the body's serial number
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 5.0, 30.0), 3: "W", 4: (118.0, 20.0, 15.0)})
    buffer = io.BytesIO()
    Image.blend(image, grain, 0.16).save(buffer, "JPEG", quality=94, exif=exif.tobytes())
    return buffer.getvalue()
