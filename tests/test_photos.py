from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.blobs import BlobStore
from app.photos import MAX_PIXELS, PhotoError, ensure_thumbnail, normalise_photo, store_photo


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_large_photo_is_downscaled_to_1600_and_thumbnailed(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    ref = store_photo(blobs, encode(Image.new("RGB", (4000, 3000), "orange"), quality=95))
    assert (ref.width, ref.height) == (1600, 1200)
    stored = decoded(blobs.read(ref.sha256))
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (1600, 1200))
    thumb = decoded(ref.thumb_path.read_bytes())
    assert ref.thumb_path == blobs.thumb_path(ref.sha256)
    assert thumb.size == (320, 240)


def test_small_photo_is_never_upscaled(tmp_path: Path) -> None:
    ref = store_photo(BlobStore(tmp_path), encode(Image.new("RGB", (640, 200), "blue")))
    assert (ref.width, ref.height) == (640, 200)


def test_exif_orientation_is_applied_and_exif_stripped(tmp_path: Path) -> None:
    image = Image.new("RGB", (400, 200), "white")
    image.paste((255, 0, 0), (0, 0, 100, 200))  # red band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    exif[0x010F] = "PhoneMaker"
    blobs = BlobStore(tmp_path)
    ref = store_photo(blobs, encode(image, exif=exif.tobytes()))
    stored = decoded(blobs.read(ref.sha256))
    assert stored.size == (200, 400)
    red, green, _ = stored.getpixel((100, 20))  # the band is now on top
    assert red > 200 and green < 60
    assert not stored.getexif()
    assert "exif" not in stored.info


@pytest.mark.parametrize(
    ("image", "fmt"),
    [
        (Image.new("RGBA", (60, 40), (0, 0, 0, 0)), "PNG"),
        (Image.new("LA", (60, 40), (0, 0)), "PNG"),
        (Image.new("P", (60, 40)), "GIF"),
        (Image.new("CMYK", (60, 40), (0, 0, 0, 0)), "JPEG"),
        (Image.new("L", (60, 40), 255), "WEBP"),
    ],
    ids=["rgba-png", "la-png", "palette-gif", "cmyk-jpeg", "gray-webp"],
)
def test_any_mode_becomes_rgb_with_transparency_on_white(image: Image.Image, fmt: str) -> None:
    if image.mode == "P":
        image.putpalette([255, 255, 255] * 256)
        image.info["transparency"] = 0
    photo = normalise_photo(encode(image, fmt))
    stored = decoded(photo.jpeg)
    assert stored.mode == "RGB"
    assert min(stored.getpixel((30, 20))) > 240


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 not a photo", "not an image"),
        (encode(Image.new("RGB", (800, 600), "red"))[:400], "corrupt or truncated"),
    ],
    ids=["empty", "pdf", "truncated-jpeg"],
)
def test_bad_input_raises_photo_error_and_writes_nothing(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    with pytest.raises(PhotoError, match=reason):
        store_photo(BlobStore(tmp_path), raw)
    assert stored_files(tmp_path) == []


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    side = int(MAX_PIXELS**0.5) + 100
    bomb = encode(Image.new("1", (side, side)), "PNG")
    assert len(bomb) < 5_000_000
    with pytest.raises(PhotoError, match="too large"):
        store_photo(BlobStore(tmp_path), bomb)
    assert stored_files(tmp_path) == []


def test_storing_the_same_photo_twice_gives_the_same_sha(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    raw = encode(Image.new("RGB", (300, 300), "green"))
    assert store_photo(blobs, raw) == store_photo(blobs, raw)


def test_a_photo_that_arrived_without_a_thumbnail_gets_one_when_first_shown(
    tmp_path: Path,
) -> None:
    taken = BlobStore(tmp_path / "taker")
    ref = store_photo(taken, encode(Image.new("RGB", (1600, 1200), "teal")))
    arrived = BlobStore(tmp_path / "other")  # sync brings the photo, not its thumbnail
    assert ensure_thumbnail(arrived, ref.sha256) is None
    arrived.put(taken.read(ref.sha256))
    thumb = ensure_thumbnail(arrived, ref.sha256)
    assert thumb == arrived.thumb_path(ref.sha256)
    assert decoded(thumb.read_bytes()).size == (320, 240)
    assert ensure_thumbnail(arrived, ref.sha256) == thumb  # made once
    not_an_image = arrived.put(b"not a jpeg")
    assert ensure_thumbnail(arrived, not_an_image) is None
