"""The one digest every key of the build is made with (blake2b, 16 bytes, hex)."""

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
