"""On-device OCR for receipts: the engine loads once, lazily, and runs off the event loop.

The engine is the optional ``crewkit[ocr]`` extra (RapidOCR on onnxruntime, whose wheel ships
the models, so nothing is downloaded at run time). Without it :func:`available` is false and
expense capture works as before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib.util
import io
from typing import Any

from app.photos import LONG_EDGE
from app.receipts.extract import extract
from app.receipts.reading import ReceiptReading, TextLine

NOT_AVAILABLE = "Receipt reading is not available on this device."
COULD_NOT_READ = "Could not read this receipt; type its amount, date and vendor instead."


def available() -> bool:
    """Whether this install can read receipts (the OCR extra is present)."""
    return all(importlib.util.find_spec(name) for name in ("rapidocr", "onnxruntime"))


@functools.cache
def load_engine() -> Any:
    """The OCR engine, its models loaded on the first call (they ship in the wheels)."""
    from rapidocr import RapidOCR  # the optional extra, imported only when first needed

    return RapidOCR(params={"Global.log_level": "warning"})


def _pixels(image: bytes) -> Any:
    """The photo upright, in RGB, its long edge at most :data:`LONG_EDGE` (as stored)."""
    import numpy as np
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(image)) as opened:
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    upright.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    return np.asarray(upright)[:, :, ::-1]  # the engine takes OpenCV's BGR order


def ocr_lines(image: bytes) -> list[TextLine]:
    """The text lines of ``image`` with their boxes; raises on an image that cannot be decoded."""
    result = load_engine()(_pixels(image))
    if result is None or result.txts is None:
        return []
    lines: list[TextLine] = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
        lines.append(TextLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
    return lines


def read_receipt_sync(image: bytes, *, currency: str, day_first: bool = True,
                      today: dt.date | None = None) -> ReceiptReading:
    """Proposals for one receipt photo; never raises, ``error`` says what went wrong."""
    if not available():
        return ReceiptReading(error=NOT_AVAILABLE)
    try:
        lines = ocr_lines(image)
    except Exception:  # any undecodable or corrupt image is the same answer to the person
        return ReceiptReading(error=COULD_NOT_READ)
    if not lines:
        return ReceiptReading(error=COULD_NOT_READ)
    return extract(lines, currency=currency, day_first=day_first, today=today)


async def read_receipt(image: bytes, *, currency: str, day_first: bool = True,
                       today: dt.date | None = None) -> ReceiptReading:
    """:func:`read_receipt_sync` on a worker thread, so the app's loop stays responsive."""
    return await asyncio.to_thread(read_receipt_sync, image, currency=currency,
                                   day_first=day_first, today=today)
