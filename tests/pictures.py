"""Image files as members' devices send them, and as bots and accidents do: made here with
Pillow (or by hand, for the ones Pillow would not write), never downloaded."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

# EXIF tags: Orientation, the GPS block, the camera's make; GPS latitude inside the block.
ORIENTATION, GPS_IFD, MAKE, GPS_LATITUDE = 0x0112, 0x8825, 0x010F, 2


def photo(
    width: int = 640,
    height: int = 480,
    fmt: str = "JPEG",
    *,
    gps: bool = False,
    orientation: int | None = None,
    colour=(200, 120, 40),
    mode: str = "RGB",
) -> bytes:
    """A picture, optionally with what a phone writes in it: where it was taken, which way up."""
    image = Image.new(mode, (width, height), colour)
    if orientation is not None:  # left half red, right half blue: the way up can be seen
        image.paste((220, 0, 0), (0, 0, width // 2, height))
        image.paste((0, 0, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[MAKE] = "Fairphone"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD)[GPS_LATITUDE] = (45.0, 45.0, 30.0)
        exif.get_ifd(GPS_IFD)[1] = "N"
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20_000, height: int | None = None) -> bytes:
    """A PNG that says it is width × height pixels (400 million at 20,000 square) in a few
    bytes of zeros."""
    header = struct.pack(">IIBBBBB", width, height or width, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + 3 * width) * 4, 9)  # a few rows: the rest is promised
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A JPEG cut in the middle (a download or an upload that stopped)."""
    out = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(out, "JPEG", quality=90)
    whole = out.getvalue()
    return whole[: len(whole) // 2]


RENAMED_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n%%EOF\n"
