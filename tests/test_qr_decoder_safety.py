"""A reader never raises out of decode_image and never returns text it did not decode exactly."""

from __future__ import annotations

import io

import qrcode
import qrcode.util
from PIL import Image

from app.qr import PASSES, decode_image, readers

OPENCV_ONLY = tuple(p for p in PASSES if p.name.startswith("opencv"))


def byte_mode_png(payload: bytes) -> bytes:
    code = qrcode.QRCode(border=4, box_size=8)
    code.add_data(qrcode.util.QRData(payload, mode=qrcode.util.MODE_8BIT_BYTE))
    code.make()
    out = io.BytesIO()
    code.make_image().get_image().save(out, format="PNG")
    return out.getvalue()


def test_a_shift_jis_payload_is_no_read_on_opencv_rather_than_garbled_text() -> None:
    result = decode_image(byte_mode_png("ﾃﾞｻﾞｲﾝQR".encode("shift_jis")), passes=OPENCV_ONLY)
    assert "ÃÞ»Þ²ÝQR" not in result.payloads
    assert result.payloads in ([], ["ﾃﾞｻﾞｲﾝQR"])


def test_opencv_keeps_utf8_and_latin1_payloads() -> None:
    for payload in ("Café", "点茗 ok"):
        png = byte_mode_png(payload.encode("utf-8"))
        assert decode_image(png, passes=OPENCV_ONLY).payloads == [payload]
    latin1 = byte_mode_png("Café".encode("latin-1"))
    assert decode_image(latin1, passes=OPENCV_ONLY).payloads == ["Café"]


def test_a_reader_that_cannot_hand_over_text_is_no_read(monkeypatch) -> None:
    class KanjiDetector:
        """What OpenCV's binding does with a Kanji-mode segment: raise on the way to str."""

        def detectAndDecodeMulti(self, pixels):
            raise UnicodeDecodeError("utf-8", b"\x93\x5f", 0, 1, "invalid start byte")

    assert readers.cv2 is not None
    monkeypatch.setattr(readers.cv2, "QRCodeDetector", KanjiDetector)
    image = Image.new("L", (200, 200), 255)
    assert readers.opencv_multi is not None
    assert readers.opencv_multi(image) == []
