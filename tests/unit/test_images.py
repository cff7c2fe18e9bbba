"""exchange/images.py: what a member's picture becomes, and the files it refuses."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from exchange import images
from tests import pictures


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_photo_becomes_two_square_webp_sizes():
    result = images.process(pictures.photo(1200, 800))
    assert set(result.sizes) == {"large", "small"}
    large, small = _open(result.sizes["large"]), _open(result.sizes["small"])
    assert (large.format, large.size) == ("WEBP", (320, 320))
    assert (small.format, small.size) == ("WEBP", (96, 96))
    assert len(result.digest) == 16


def test_nothing_of_the_files_metadata_survives_gps_and_camera_included():
    sent = pictures.photo(gps=True)
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(pictures.GPS_IFD)  # it was there
    for data in images.process(sent).sizes.values():
        kept = _open(data)
        assert not kept.getexif()
        assert "exif" not in kept.info and "icc_profile" not in kept.info and "xmp" not in kept.info
        assert b"Fairphone" not in data


def test_a_phone_photo_is_turned_the_right_way_up_before_its_orientation_is_dropped():
    # Orientation 6: shown turned a quarter clockwise, so the left (red) half is at the top.
    large = _open(images.process(pictures.photo(400, 200, orientation=6)).sizes["large"])
    top, bottom = large.getpixel((160, 20)), large.getpixel((160, 300))
    assert top[0] > 150 and top[2] < 80, top
    assert bottom[2] > 150 and bottom[0] < 80, bottom


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_kind_is_taken(fmt):
    assert images.process(pictures.photo(300, 300, fmt)).sizes["small"]


def test_transparency_is_kept():
    data = pictures.photo(200, 200, "PNG", mode="RGBA", colour=(0, 0, 0, 0))
    assert _open(images.process(data).sizes["small"]).mode == "RGBA"


def test_another_picture_has_another_digest_and_the_same_one_the_same():
    one, again = images.process(pictures.photo()), images.process(pictures.photo())
    other = images.process(pictures.photo(colour=(10, 90, 200)))
    assert one.digest == again.digest != other.digest


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (pictures.RENAMED_PDF, "not_image"),
        (b"", "not_image"),
        (b"<html>" * 10, "not_image"),
        (pictures.photo(64, 64, "GIF"), "not_image"),  # a kind we do not take
        (pictures.png_bomb(20_000), "too_large"),
        (pictures.png_bomb(12_001, 10), "too_large"),
        (pictures.truncated_jpeg(), "broken"),
        (b"\xff\xd8\xff" + b"\0" * (images.MAX_BYTES + 1), "too_big"),
    ],
    ids=[
        "renamed-pdf",
        "empty",
        "html",
        "gif",
        "20000-square-png",
        "long-side",
        "truncated",
        "6mb",
    ],
)
def test_what_is_not_a_picture_we_take_is_refused_with_its_reason(data, reason):
    with pytest.raises(images.BadImage) as refused:
        images.process(data)
    assert refused.value.reason == reason
