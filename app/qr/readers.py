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
        if not curved:
            _, texts, _, _ = detector.detectAndDecodeMulti(pixels)
            return [(text, "QR Code") for text in texts or () if text]
        found, corners = detector.detect(pixels)
        if not found:
            return []
        try:
            text, _ = detector.decodeCurved(pixels, corners)
        except cv2.error:
            return []  # the curved sampler gives up on some corner layouts
        return [(text, "QR Code")] if text else []

    return read


zxing_local_average = _zxing("LocalAverage")
zxing_global_histogram = _zxing("GlobalHistogram")
opencv_multi = _opencv(curved=False, threshold=False)
opencv_curved = _opencv(curved=True, threshold=False)
opencv_curved_thresholded = _opencv(curved=True, threshold=True)
