"""Profile pictures: what a member sends, checked by its content and drawn again.

Nothing of the file is trusted or kept: the bytes are opened by Pillow, the kind is read from
the content (a PDF renamed .jpg is refused), the size is checked from the header before a
single pixel is decoded (a 20,000 × 20,000 PNG weighs little and would take gigabytes), and
what is stored is a new image drawn from the pixels, so no metadata (EXIF, GPS, comments,
colour profiles) survives. Pure: no Flask, no database."""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# Any phone's photo fits (a 50 Mpx sensor: 8,160 × 6,120); a decompression bomb does not.
MAX_PIXELS = 60_000_000
MAX_SIDE = 12_000
ACCEPTED = frozenset({"JPEG", "PNG", "WEBP"})
# The two sizes stored, square: the profile (shown at 160 px, sharp on a 2× screen) and the
# cards, lists and pickers (shown at 48 px or less).
SIZES = {"large": 320, "small": 96}
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"


class BadImage(ValueError):
    """The file is not a picture we take. `reason`: not_image, too_big, too_large, broken."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Photo:
    """The stored sizes (size name → WebP bytes) and the digest that names them."""

    sizes: dict[str, bytes]
    digest: str


def _opened(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise BadImage("too_big")
    try:
        with warnings.catch_warnings():  # Pillow's own bomb check warns first: refuse instead
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise BadImage("too_large") from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise BadImage("not_image") from e
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE or min(width, height) < 1:
        raise BadImage("too_large")
    try:
        image.load()  # a truncated or corrupt file fails here, not half-drawn later
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
        raise BadImage("broken") from e
    return image


def process(data: bytes) -> Photo:
    """Check `data` and draw it again at each size: upright (a phone's EXIF orientation is
    applied, then dropped), cropped square on its centre, as WebP without metadata."""
    image = _opened(data)
    # An unreadable orientation: the picture stays as it came.
    with contextlib.suppress(OSError, SyntaxError, ValueError):
        image = ImageOps.exif_transpose(image)
    image = image.convert(
        "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    )
    sizes = {}
    for name, side in SIZES.items():
        square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        clean = Image.new(square.mode, square.size)  # pixels only: nothing of the file's info
        clean.paste(square)
        out = io.BytesIO()
        clean.save(out, "WEBP", quality=82, method=4)
        sizes[name] = out.getvalue()
    digest = hashlib.sha256(b"".join(sizes[n] for n in sorted(sizes))).hexdigest()[:16]
    return Photo(sizes=sizes, digest=digest)
