"""Receipt and condition photos: normalise a camera image, store it and its thumbnail.

A 12 MP phone photo is 4-8 MB; a receipt stays legible at 1600 px on the long edge in a
few hundred KB, which is what syncs over a venue's bad signal. The stored JPEG carries no
EXIF: the orientation is baked into the pixels (so every viewer shows it upright) and the
GPS position of a crew member's home never leaves the phone.

Everything here is synchronous and CPU-bound; the UI calls it through
``asyncio.to_thread`` so the event loop keeps drawing.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from app.blobs import BlobStore

LONG_EDGE = 1600
THUMB_LONG_EDGE = 320
JPEG_QUALITY = 85
THUMB_QUALITY = 80
MAX_PIXELS = 100_000_000
"""Refuse images above 100 MP before decoding: larger than any phone camera, and a
crafted PNG that claims 50000x50000 pixels would otherwise need gigabytes of memory."""

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")


class PhotoError(ValueError):
    """The bytes are not a usable photo; nothing was stored."""


@dataclass(frozen=True)
class PhotoRef:
    sha256: str
    width: int
    height: int
    thumb_path: Path


@dataclass(frozen=True)
class NormalisedPhoto:
    jpeg: bytes
    width: int
    height: int
    thumb_jpeg: bytes


def store_photo(blobs: BlobStore, raw: bytes) -> PhotoRef:
    """Normalise ``raw`` and store it; raises ``PhotoError`` before writing anything."""
    photo = normalise_photo(raw)
    sha = blobs.put(photo.jpeg)
    thumb_path = blobs.put_thumb(sha, photo.thumb_jpeg)
    return PhotoRef(sha256=sha, width=photo.width, height=photo.height, thumb_path=thumb_path)


def ensure_thumbnail(blobs: BlobStore, sha: str) -> Path | None:
    """The thumbnail of photo ``sha``, made now from the stored photo if it has none yet
    (a photo that arrived by sync comes without one); None while the photo itself is not
    on this device, or if its file is not a readable image."""
    thumb = blobs.thumb_path(sha)
    if thumb.is_file():
        return thumb
    if not blobs.has(sha):
        return None
    try:
        image = open_image(blobs.read(sha), THUMB_LONG_EDGE)
    except PhotoError:
        return None
    image.thumbnail((THUMB_LONG_EDGE, THUMB_LONG_EDGE), Image.Resampling.LANCZOS)
    return blobs.put_thumb(sha, _encode_jpeg(image, THUMB_QUALITY))


def normalise_photo(raw: bytes) -> NormalisedPhoto:
    """Upright RGB JPEG, long edge at most ``LONG_EDGE`` (never upscaled), plus thumbnail."""
    image = open_image(raw, LONG_EDGE)
    image.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_LONG_EDGE, THUMB_LONG_EDGE), Image.Resampling.LANCZOS)
    return NormalisedPhoto(
        jpeg=_encode_jpeg(image, JPEG_QUALITY),
        width=image.width,
        height=image.height,
        thumb_jpeg=_encode_jpeg(thumb, THUMB_QUALITY),
    )


def open_image(raw: bytes, long_edge: int | None = None, mode: str = "RGB") -> Image.Image:
    """Decode ``raw`` into an upright image in ``mode`` (RGB, or L for grey), or raise
    ``PhotoError`` saying why.

    With ``long_edge``, a JPEG is decoded at a reduced DCT scale that still covers that
    size: decoding a 12 MP photo at half scale is about four times faster.
    """
    if not raw:
        raise PhotoError("empty file: no photo data")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(
                    f"image too large: {image.width}x{image.height} pixels "
                    f"(limit {MAX_PIXELS // 1_000_000} MP)"
                )
            if long_edge and image.format == "JPEG":
                scale = long_edge / max(image.size)
                image.draft(mode, (int(image.width * scale), int(image.height * scale)))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError("not an image (or a format we do not read)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"image too large to decode safely: {exc}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"corrupt or truncated image: {exc}") from None
    if upright.mode == mode:
        return upright  # a JPEG decodes straight to grey, with no colour conversion
    rgb = to_rgb(upright)
    return rgb if mode == "RGB" else rgb.convert(mode)


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB for any mode: transparency goes onto white (how a receipt scan looks)."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        high = image.getextrema()[1]  # 16-bit scans hold 0..65535, not 0..255
        image = image.point(lambda value: value / 256 if high > 255 else value).convert("L")
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
