"""Profile pictures for some of the demo's members: drawn here (a landscape each, as many
people choose), so the demo shows what pictures look like without a photo of anybody."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

from exchange.services.community import photos

SIDE = 480
# (sky at the top, sky at the horizon, sun, the hills from far to near): a few islands' light.
PALETTES = [
    (
        (120, 170, 210),
        (236, 222, 196),
        (255, 236, 170),
        [(96, 140, 150), (52, 100, 98), (24, 60, 58)],
    ),
    (
        (236, 150, 110),
        (250, 214, 160),
        (255, 245, 220),
        [(170, 96, 90), (120, 60, 70), (64, 34, 48)],
    ),
    (
        (70, 80, 140),
        (200, 150, 190),
        (250, 220, 230),
        [(110, 90, 150), (70, 56, 110), (36, 28, 70)],
    ),
    (
        (150, 200, 220),
        (230, 240, 214),
        (255, 250, 200),
        [(140, 176, 100), (90, 130, 64), (46, 80, 36)],
    ),
    ((40, 70, 110), (230, 160, 120), (255, 210, 150), [(80, 90, 120), (50, 58, 86), (22, 28, 48)]),
    (
        (180, 214, 226),
        (240, 232, 220),
        (255, 255, 236),
        [(180, 150, 120), (130, 100, 80), (80, 56, 44)],
    ),
]
EVERY = 3  # one member in three has a picture; the others show their initials


def _mix(a, b, t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def portrait(rng: random.Random) -> bytes:
    """A PNG: a sky, a sun, hills in three rows; each one different."""
    sky, horizon, sun, hills = rng.choice(PALETTES)
    image = Image.new("RGB", (SIDE, SIDE))
    draw = ImageDraw.Draw(image)
    for y in range(SIDE):
        draw.line([(0, y), (SIDE, y)], fill=_mix(sky, horizon, min(1.0, y / (SIDE * 0.7))))
    x, y, r = rng.randint(90, 390), rng.randint(90, 220), rng.randint(36, 64)
    halo = Image.new("L", (SIDE, SIDE), 0)
    ImageDraw.Draw(halo).ellipse((x - 2 * r, y - 2 * r, x + 2 * r, y + 2 * r), fill=110)
    image.paste(sun, (0, 0), halo.filter(ImageFilter.GaussianBlur(r)))
    draw.ellipse((x - r, y - r, x + r, y + r), fill=sun)
    for row, colour in enumerate(hills):
        base = 250 + row * 70 + rng.randint(-20, 20)
        height, waves, phase = rng.randint(30, 70), rng.uniform(0.8, 2.2), rng.uniform(0, 6.3)
        ridge = [
            (px, base - height * math.sin(phase + waves * math.pi * px / SIDE))
            for px in range(0, SIDE + 8, 8)
        ]
        draw.polygon([(0, SIDE), *ridge, (SIDE, SIDE)], fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add(rng: random.Random, people: list[int]) -> None:
    """One member in three (by id) gets a picture, through the same use case as an upload."""
    for user_id in people[::EVERY]:
        photos.set_photo(user_id, portrait(rng))
