"""QR payloads as raw bytes from the zbar library (through pyzbar's ctypes bindings).

``pyzbar.decode`` returns zbar's *text*, which zbar makes by guessing the character set
of every byte segment (UTF-8 read as Shift_JIS, Shift_JIS read as Big5: wrong payloads).
zbar 0.23+ can hand over the bytes instead (``ZBAR_CFG_BINARY``); this module asks for
that and refuses to read at all where the library cannot, so ``app.qr.text`` always
decides what the bytes say.
"""

from __future__ import annotations

import ctypes
from typing import Any

from PIL import Image

ZBAR_CFG_BINARY = 4
"""``zbar_config_e`` in zbar.h (0.23 and later): do not convert binary data to text."""

try:
    from pyzbar import wrapper as _zbar
    from pyzbar.wrapper import ZBarConfig, ZBarSymbol
except ImportError:  # pyzbar not installed, or the zbar shared library is missing
    _zbar = None


SCAN_DENSITY = 2
"""Scan every second row and column: a QR finder pattern spans at least seven of them
at the sizes zbar reads, so no read was lost on the test photos (43 of 48 either way),
and a photo with no code costs about an eighth less (python -m bench.media)."""


def available() -> bool:
    return _zbar is not None


def _qr_only_binary_scanner() -> Any:
    scanner = _zbar.zbar_image_scanner_create()
    if not scanner:
        raise MemoryError("zbar could not create an image scanner")
    _zbar.zbar_image_scanner_set_config(scanner, 0, ZBarConfig.CFG_ENABLE, 0)  # all off
    _zbar.zbar_image_scanner_set_config(scanner, ZBarSymbol.QRCODE, ZBarConfig.CFG_ENABLE, 1)
    for axis in (ZBarConfig.CFG_X_DENSITY, ZBarConfig.CFG_Y_DENSITY):
        _zbar.zbar_image_scanner_set_config(scanner, 0, axis, SCAN_DENSITY)
    return scanner


def qr_payloads(image: Image.Image) -> list[bytes]:
    """The bytes of every QR code zbar reads in ``image``; none where zbar is too old
    to hand over bytes (its text would be a guess)."""
    if _zbar is None:
        return []
    gray = image.convert("L")
    pixels = gray.tobytes()
    scanner = _qr_only_binary_scanner()
    try:
        if _zbar.zbar_image_scanner_set_config(
            scanner, ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1
        ):
            return []
        zimage = _zbar.zbar_image_create()
        try:
            _zbar.zbar_image_set_format(zimage, _FOURCC_GREY)
            _zbar.zbar_image_set_size(zimage, gray.width, gray.height)
            _zbar.zbar_image_set_data(
                zimage, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None
            )
            if _zbar.zbar_scan_image(scanner, zimage) <= 0:
                return []
            return list(_symbol_bytes(_zbar.zbar_image_first_symbol(zimage)))
        finally:
            _zbar.zbar_image_destroy(zimage)
    finally:
        _zbar.zbar_image_scanner_destroy(scanner)


_FOURCC_GREY = sum(ord(c) << (8 * i) for i, c in enumerate("Y800"))


def _symbol_bytes(symbol: Any) -> Any:
    while symbol:
        yield ctypes.string_at(
            _zbar.zbar_symbol_get_data(symbol), _zbar.zbar_symbol_get_data_length(symbol)
        )
        symbol = _zbar.zbar_symbol_next(symbol)
