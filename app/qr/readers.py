"""Adapters from the two decoders we use to one signature: grayscale image -> codes.

zxing-cpp is the primary reader (fast, many symbologies, its own multi-scale search).
OpenCV is optional: it adds a curved-surface QR sampler that reads labels on bent
cases and cables where zxing's flat grid fails the checksum, and it stands in when
zxing-cpp has no wheel for a platform. A reader is ``None`` when its library is missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PIL import Image

RawCode = tuple[str, str]
"""(payload text, symbology name)."""
Reader = Callable[[Image.Image], list[RawCode]]


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


zxingcpp = _optional("zxingcpp")
cv2 = _optional("cv2")
np = _optional("numpy") if cv2 else None

if zxingcpp:
    _FORMATS = [
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.MicroQRCode,
        zxingcpp.BarcodeFormat.DataMatrix,
        zxingcpp.BarcodeFormat.Code128,
    ]


def _zxing(binarizer_name: str) -> Reader | None:
    if zxingcpp is None:
        return None
    binarizer = getattr(zxingcpp.Binarizer, binarizer_name)

    def read(image: Image.Image) -> list[RawCode]:
        found = zxingcpp.read_barcodes(
            image, formats=_FORMATS, binarizer=binarizer, text_mode=zxingcpp.TextMode.Plain
        )
        return [(code.text, str(code.format)) for code in found if code.valid]

    return read


def _unambiguous(text: str) -> bool:
    """False for text OpenCV may have mis-decoded, which must count as no read.

    OpenCV decodes a QR byte segment as UTF-8 and, failing that, byte for byte as Latin-1,
    so a Shift_JIS payload comes back garbled (``ÃÞ»Þ²ÝQR`` for ``ﾃﾞｻﾞｲﾝQR``). Text is kept
    when it is ASCII, holds characters Latin-1 cannot produce (so it was UTF-8), or its bytes
    are not valid Shift_JIS either.
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return True
    if raw.isascii():
        return True
    try:
        raw.decode("shift_jis")
    except UnicodeDecodeError:
        return True
    return False


def _opencv(curved: bool, threshold: bool) -> Reader | None:
    if cv2 is None or np is None:
        return None

    def read(image: Image.Image) -> list[RawCode]:
        pixels = np.asarray(image.convert("L"))
        if threshold:
            pixels = cv2.adaptiveThreshold(
                pixels, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5
            )
        detector = cv2.QRCodeDetector()
        try:
            if curved:
                found, corners = detector.detect(pixels)
                texts = [detector.decodeCurved(pixels, corners)[0]] if found else []
            else:
                texts = detector.detectAndDecodeMulti(pixels)[1] or ()
        except cv2.error:
            return []  # the curved sampler gives up on some corner layouts
        except UnicodeDecodeError:
            return []  # a Kanji-mode segment OpenCV cannot hand over as text
        return [(text, "QR Code") for text in texts if text and _unambiguous(text)]

    return read


zxing_local_average = _zxing("LocalAverage")
zxing_global_histogram = _zxing("GlobalHistogram")
opencv_multi = _opencv(curved=False, threshold=False)
opencv_curved = _opencv(curved=True, threshold=False)
opencv_curved_thresholded = _opencv(curved=True, threshold=True)
