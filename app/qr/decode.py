"""Decode codes from a photo: several cheap passes, stopping at the first that reads.

A single zxing-cpp call misses codes on curved, creased or low-contrast labels. Each pass
below is one preparation of the image plus one reader; they are ordered from cheap and
general to slow and specific, and the first pass that finds anything wins. Every reader
checks the code's error correction and hands over only text it decoded exactly, so
trying more passes never invents a payload; it only costs time when a photo holds no
code at all. That time is bounded: the image is shrunk to one decode size whatever its
format, a full-size photo in which a quick look finds nothing code-like gets only the
first pass, and no pass starts once ``TIME_BUDGET_S`` has gone by.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image

from app.photos import PhotoError, open_image
from app.qr import readers
from app.qr.payloads import equipment_id_from_payload

Prepare = Callable[[Image.Image], Image.Image | None]
"""Returns the image to read, or ``None`` when the pass does not apply to this image."""

SMALL_IMAGE_EDGE = 1000
OPENCV_MAX_EDGE = 1600
DECODE_LONG_EDGE = 1000
"""A 12 MP JPEG (4000 px) is decoded straight at half scale; every other format is
shrunk to this size before the first pass."""
SCAN_MAX_PIXELS = 16_000_000
"""Larger images other than JPEG are not scanned: only JPEG can be decoded at a reduced
size, and decoding 16 MP of PNG or WebP alone takes about a second."""
TIME_BUDGET_S = 1.0
"""No pass but the first starts after this long: any image decodes or gives up in
about a second."""


def _as_is(image: Image.Image) -> Image.Image:
    return image


def _upscaled_if_small(image: Image.Image) -> Image.Image | None:
    """Tiny codes (a label far away, a dense code in a thumbnail) get too few pixels per
    module for the binarizer: enlarge the image by a whole factor towards the size a
    photo is read at (at least double)."""
    if max(image.size) >= SMALL_IMAGE_EDGE:
        return None
    factor = max(2, SMALL_IMAGE_EDGE // max(image.size))
    return image.resize((image.width * factor, image.height * factor),
                        Image.Resampling.LANCZOS)


def _at_most_opencv_size(image: Image.Image) -> Image.Image:
    """OpenCV's detector is slow on 12 MP and gains nothing from the extra pixels."""
    if max(image.size) <= OPENCV_MAX_EDGE:
        return image
    reduced = image.copy()
    reduced.thumbnail((OPENCV_MAX_EDGE, OPENCV_MAX_EDGE), Image.Resampling.BOX)
    return reduced


@dataclass(frozen=True)
class DecodePass:
    name: str
    prepare: Prepare
    read: readers.Reader
    library: str = ""
    """The decoder library the reader comes from (``readers.LIBRARIES``)."""


_CANDIDATE_PASSES: tuple[tuple[str, str, Prepare, readers.Reader | None], ...] = (
    ("zxing", readers.ZXING, _as_is, readers.zxing_local_average),
    ("zbar", readers.ZBAR, _as_is, readers.zbar_qr),
    ("zxing-global-histogram", readers.ZXING, _as_is, readers.zxing_global_histogram),
    ("zxing-upscaled", readers.ZXING, _upscaled_if_small, readers.zxing_local_average),
    ("zbar-upscaled", readers.ZBAR, _upscaled_if_small, readers.zbar_qr),
    ("opencv", readers.OPENCV, _at_most_opencv_size, readers.opencv_multi),
)


def passes_for(libraries: Collection[str]) -> tuple[DecodePass, ...]:
    """The pipeline on a platform that has ``libraries``: every pass whose reader is
    there, in one fixed order (a phone runs the same pipeline minus zxing-cpp)."""
    return tuple(
        DecodePass(name, prepare, read, library)
        for name, library, prepare, read in _CANDIDATE_PASSES
        if read and library in libraries
    )


PASSES: tuple[DecodePass, ...] = passes_for(readers.LIBRARIES)
"""The passes whose decoder library is installed, in the order they are tried."""
PHONE_LIBRARIES = frozenset({readers.OPENCV, readers.ZBAR})
"""What a phone build has (no zxing-cpp wheel for Android or iOS; see build/README.md)."""


class DecodeStatus(StrEnum):
    FOUND = "found"
    NO_CODE = "no code found"
    NOT_AN_IMAGE = "not an image"
    NO_DECODER = "no decoder installed"
    TOO_LARGE = "image too large to scan"


@dataclass(frozen=True)
class ScannedCode:
    payload: str
    symbology: str
    equipment_id: str | None
    """The item id for a Crewkit label; ``None`` marks a code from another system."""

    @property
    def is_foreign(self) -> bool:
        return self.equipment_id is None


@dataclass(frozen=True)
class DecodeResult:
    status: DecodeStatus
    codes: tuple[ScannedCode, ...] = ()
    reason: str = ""
    """Why nothing was read, in words for the person holding the phone."""
    pass_name: str | None = None
    """The pass that read the codes (for the benchmark and for tuning the pass list)."""

    @property
    def payloads(self) -> list[str]:
        return [code.payload for code in self.codes]


def decode_image(data: bytes, passes: tuple[DecodePass, ...] = PASSES) -> DecodeResult:
    """Read every code in a JPEG/PNG/WebP photo; bad input gives a result, not an error."""
    if not passes:
        return DecodeResult(DecodeStatus.NO_DECODER, reason="no QR decoder installed")
    deadline = time.monotonic() + TIME_BUDGET_S
    too_large = _too_large_to_scan(data)
    if too_large:
        return DecodeResult(DecodeStatus.TOO_LARGE, reason=too_large)
    try:
        image = open_image(data, DECODE_LONG_EDGE).convert("L")
    except PhotoError as exc:
        return DecodeResult(DecodeStatus.NOT_AN_IMAGE, reason=str(exc))
    # JPEGs arrive near this size already; PNG and WebP arrive at full size.
    image.thumbnail((DECODE_LONG_EDGE, DECODE_LONG_EDGE), Image.Resampling.BOX)
    libraries = {p.library for p in passes}
    for index, decode_pass in enumerate(passes):
        if index and time.monotonic() > deadline:
            break  # the first pass always runs, however long opening the image took
        if index == 1 and _photo_without_a_code(image, libraries):
            break
        prepared = decode_pass.prepare(image)
        if prepared is None:
            continue
        found = decode_pass.read(prepared)
        if found:
            return DecodeResult(DecodeStatus.FOUND, _unique(found), pass_name=decode_pass.name)
    return DecodeResult(
        DecodeStatus.NO_CODE,
        reason="no code found: hold the label flat, fill the frame and avoid glare",
    )


def _photo_without_a_code(image: Image.Image, libraries: Collection[str]) -> bool:
    """True for a full-size photo in which nothing looks like a code: its first pass read
    nothing and a quick look finds no finder pattern, so the slower passes are skipped
    (a miss on a 12 MP photo then costs its decoding and one pass). Smaller images (a
    crop, a far label) always get every pass: they are cheap."""
    return max(image.size) >= DECODE_LONG_EDGE and not readers.looks_like_a_code(
        image, libraries
    )


def _too_large_to_scan(data: bytes) -> str:
    """Why the image is too large to scan in time (from its header alone), or ""."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height, kind = image.width, image.height, image.format
    except Exception:  # not an image: open_image says why in words
        return ""
    if kind == "JPEG" or width * height <= SCAN_MAX_PIXELS:
        return ""
    return (f"image too large to scan ({width}x{height} pixels): crop it to the label, "
            "or take a photo of the label instead")


def _unique(found: list[readers.RawCode]) -> tuple[ScannedCode, ...]:
    seen: dict[str, ScannedCode] = {}
    for payload, symbology in found:
        seen.setdefault(
            payload, ScannedCode(payload, symbology, equipment_id_from_payload(payload))
        )
    return tuple(seen.values())
