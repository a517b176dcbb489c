"""Adapters from each decoder library to one signature: grayscale image -> codes.

zxing-cpp is the primary reader where it has a wheel (desktops and the server): fast,
many symbologies, its own multi-scale search. Phones have no zxing-cpp wheel; there
``zbar`` (through pyzbar) reads the plain shots and OpenCV's QR detector adds a
curved-surface sampler for labels on bent cases and cables. Every reader hands over the
code's bytes, and only text that reads one way (``app.qr.text``) comes back, so no
reader returns a payload it could not decode exactly. A reader is ``None`` when its
library is missing; ``LIBRARIES`` names the ones this platform has.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from typing import Any

from PIL import Image

from app.qr import zbar
from app.qr.text import text_of

RawCode = tuple[str, str]
"""(payload text, symbology name)."""
Reader = Callable[[Image.Image], list[RawCode]]

ZXING = "zxing-cpp"
OPENCV = "opencv"
ZBAR = "zbar"


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


zxingcpp = _optional("zxingcpp")
cv2 = _optional("cv2")
np = _optional("numpy") if cv2 else None
if cv2 and hasattr(cv2, "utils"):  # errors only: it warns on every segment type it skips
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

LIBRARIES: frozenset[str] = frozenset(
    name
    for name, present in ((ZXING, zxingcpp), (OPENCV, cv2 and np), (ZBAR, zbar.available()))
    if present
)
"""The decoder libraries installed on this platform."""

ECI_IDENTIFIERS = frozenset({"]Q2", "]Q4", "]Q6", "]d4", "]d5", "]d6"})
"""Symbology identifiers (ISO/IEC 15424) of QR and Data Matrix codes with an ECI header."""

if zxingcpp:
    _FORMATS = [
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.MicroQRCode,
        zxingcpp.BarcodeFormat.DataMatrix,
        zxingcpp.BarcodeFormat.Code128,
    ]


def _zxing_text(code: Any) -> str | None:
    """zxing-cpp's text where it is exact: named by an ECI, or the bytes' one reading."""
    if code.symbology_identifier in ECI_IDENTIFIERS:
        return str(code.text)
    text = text_of(code.bytes)
    return text if text == code.text else None


def _zxing(binarizer_name: str) -> Reader | None:
    if zxingcpp is None:
        return None
    binarizer = getattr(zxingcpp.Binarizer, binarizer_name)

    def read(image: Image.Image) -> list[RawCode]:
        found = zxingcpp.read_barcodes(
            image, formats=_FORMATS, binarizer=binarizer, text_mode=zxingcpp.TextMode.Plain
        )
        texts = ((_zxing_text(code), str(code.format)) for code in found if code.valid)
        return [(text, symbology) for text, symbology in texts if text]

    return read


def _opencv_bytes(text: str) -> bytes:
    """The bytes behind OpenCV's text: it decodes a byte segment as UTF-8 and, failing
    that, byte for byte as Latin-1 (so ``ÃÞ»Þ²ÝQR`` is the Shift_JIS ``ﾃﾞｻﾞｲﾝQR``)."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw  # not UTF-8, so OpenCV fell back to Latin-1
    return text.encode("utf-8")


def _opencv_guarded(read: Callable[[], list[str]]) -> list[bytes]:
    """The bytes of what an OpenCV call read; a call that fails reads nothing."""
    try:
        texts = read()
    except cv2.error:
        return []  # the curved sampler gives up on some corner layouts
    except UnicodeDecodeError as error:
        # The binding hands a Kanji-mode (Shift_JIS) payload to str as UTF-8 and fails;
        # the error carries the code's bytes, which read like any other.
        return [bytes(error.object)]
    return [_opencv_bytes(text) for text in texts if text]


def _curved(detector: Any, pixels: Any, located: list[Any]) -> list[bytes]:
    """The curved sampler on codes the multi reader located: as shot, then thresholded
    (where the located corners are found again, since thresholding moves them)."""
    thresholded = cv2.adaptiveThreshold(
        pixels, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5
    )
    found, corners = detector.detectMulti(thresholded)
    relocated = list(corners) if found and corners is not None else []
    for source, codes in ((pixels, located), (thresholded, relocated)):
        for code in codes:
            corners_1x4 = np.asarray(code, dtype=np.float32).reshape(1, 4, 2)
            payloads = _opencv_guarded(lambda s=source, c=corners_1x4: [
                detector.decodeCurved(s, c)[0]
            ])
            if payloads:
                return payloads
    return []


def _opencv() -> Reader | None:
    """OpenCV's multi-code reader; where it locates a code but cannot read it (a label on
    a bent case), its curved-surface sampler tries that code, as shot and thresholded.
    Only located codes get the slow sampler, so a photo without a code stays cheap."""
    if cv2 is None or np is None:
        return None

    def read(image: Image.Image) -> list[RawCode]:
        pixels = np.asarray(image.convert("L"))
        detector = cv2.QRCodeDetector()
        located: list[Any] = []

        def multi() -> list[str]:
            found, texts, corners, _ = detector.detectAndDecodeMulti(pixels)
            located.extend(corners if found and corners is not None else ())
            return list(texts or ())

        payloads = _opencv_guarded(multi)
        if not payloads and located:
            payloads = _curved(detector, pixels, located)
        exact = (text_of(raw) for raw in payloads)
        return [(text, "QR Code") for text in exact if text]

    return read


def _zbar() -> Reader | None:
    if not zbar.available():
        return None

    def read(image: Image.Image) -> list[RawCode]:
        texts = (text_of(raw) for raw in zbar.qr_payloads(image))
        return [(text, "QR Code") for text in texts if text]

    return read


zxing_local_average = _zxing("LocalAverage")
zxing_global_histogram = _zxing("GlobalHistogram")
zbar_qr = _zbar()
opencv_multi = _opencv()


LOOK_EDGE = 500


def looks_like_a_code(image: Image.Image, libraries: Collection[str]) -> bool:
    """Whether a quick look (at half the decode size) finds a code's finder patterns,
    read or not, with the first of ``libraries`` that can tell; True if none can."""
    small = image.copy()
    small.thumbnail((LOOK_EDGE, LOOK_EDGE), Image.Resampling.BOX)
    if ZXING in libraries and zxingcpp:
        return bool(zxingcpp.read_barcodes(small, formats=_FORMATS, return_errors=True))
    if OPENCV in libraries and cv2 is not None and np is not None:
        return bool(cv2.QRCodeDetector().detectMulti(np.asarray(small))[0])
    return True
