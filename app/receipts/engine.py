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
from app.receipts.dates import TIME, date_candidates
from app.receipts.extract import extract
from app.receipts.reading import ReceiptReading, TextLine

NOT_AVAILABLE = "Receipt reading is not available on this device."
#: Lines with a time read again when nothing on a receipt reads as a date.
CLOSER_LOOKS = 3
COULD_NOT_READ = "Could not read this receipt; type its amount, date and vendor instead."


def available() -> bool:
    """Whether this install can read receipts (the OCR extra is present)."""
    return all(importlib.util.find_spec(name) for name in ("rapidocr", "onnxruntime"))


@functools.cache
def load_engine() -> Any:
    """The OCR engine, its models loaded on the first call (they ship in the wheels)."""
    from rapidocr import RapidOCR  # the optional extra, imported only when first needed

    # No text-direction classifier: it only turns single lines the other way up, which a
    # photographed receipt does not have, and it costs a sixth of the time per receipt.
    return RapidOCR(params={"Global.use_cls": False, "Global.log_level": "warning"})


def _pixels(image: bytes) -> Any:
    """The photo upright, in RGB, its long edge at most :data:`LONG_EDGE` (as stored)."""
    import numpy as np
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(image)) as opened:
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    upright.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    return np.asarray(upright)[:, :, ::-1]  # the engine takes OpenCV's BGR order


def _engine_lines(pixels: Any) -> list[TextLine]:
    result = load_engine()(pixels)
    if result is None or result.txts is None:
        return []
    lines: list[TextLine] = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
        lines.append(TextLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
    return lines


def _closer_look(pixels: Any, line: TextLine) -> TextLine:
    """``line`` read again from a crop two line-heights wider on each side.

    The detector often boxes a sale's time without the date printed just before it
    ("42017 13:29:56" for "30/04/2017 13:29:56"); the wider crop brings the date back.
    """
    x0, y0, x1, y1 = line.box
    height = y1 - y0
    top, left = max(0, int(y0 - 0.2 * height)), max(0, int(x0 - 2 * height))
    crop = pixels[top : int(y1 + 0.2 * height), left : int(x1 + 2 * height)]
    try:
        again = load_engine().recognize_txt([crop])
    except Exception:  # an empty or unreadable crop: keep what the first look read
        return line
    text, score = str(again.txts[0]), float(again.scores[0])
    return TextLine(text, line.box, score) if date_candidates(text, day_first=True) else line


def ocr_lines(image: bytes) -> list[TextLine]:
    """The text lines of ``image`` with their boxes; raises on an image that cannot be decoded.

    When no line reads as a date, the lines holding a time get a closer look (at most
    :data:`CLOSER_LOOKS` of them), since a receipt's date is usually printed beside its time.
    """
    pixels = _pixels(image)
    lines = _engine_lines(pixels)
    if any(date_candidates(line.text, day_first=True) for line in lines):
        return lines
    timed = [i for i, line in enumerate(lines) if TIME.search(line.text)][:CLOSER_LOOKS]
    for i in timed:
        lines[i] = _closer_look(pixels, lines[i])
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
