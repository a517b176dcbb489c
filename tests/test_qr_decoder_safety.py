"""A reader never raises out of decode_image and never returns text it did not decode exactly.

The codes are generated: Kanji mode (what made OpenCV's binding raise), Shift_JIS half-width
katakana in byte mode (which OpenCV and zbar's own text turn into a wrong payload), UTF-8
and Latin-1 byte mode, and a PNG far larger than any photo.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import qrcode
import qrcode.util
import zxingcpp
from PIL import Image

from app.qr import (
    PASSES,
    PHONE_LIBRARIES,
    DecodePass,
    DecodeStatus,
    decode_image,
    passes_for,
    readers,
)
from app.qr.decode import DECODE_LONG_EDGE
from app.qr.text import text_of

PHONE = passes_for(PHONE_LIBRARIES)
OPENCV_ONLY = tuple(p for p in PASSES if p.name.startswith("opencv"))
EVERY_PASS = [pytest.param((p,), id=p.name) for p in PASSES]


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def byte_mode_png(payload: bytes) -> bytes:
    code = qrcode.QRCode(border=4, box_size=8)
    code.add_data(qrcode.util.QRData(payload, mode=qrcode.util.MODE_8BIT_BYTE))
    code.make()
    return png(code.make_image().get_image())


def kanji_mode_png(text: str) -> bytes:
    """zxing-cpp's encoder puts text that is all double-byte Shift_JIS in Kanji mode."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    return png(Image.fromarray(np.asarray(code.to_image(scale=8, add_quiet_zones=True))))


def test_the_phone_pipeline_has_no_zxing_and_the_same_order() -> None:
    assert PHONE and not any(p.name.startswith("zxing") for p in PHONE)
    desktop_order = [p.name for p in PASSES]
    assert [p.name for p in PHONE] == [n for n in desktop_order if n in {p.name for p in PHONE}]


@pytest.mark.parametrize("passes", [*EVERY_PASS, pytest.param(PHONE, id="phone")])
def test_a_kanji_mode_code_reads_right_or_not_at_all(passes: tuple[DecodePass, ...]) -> None:
    assert decode_image(kanji_mode_png("点茗"), passes).payloads in ([], ["点茗"])


def test_the_phone_pipeline_reads_kanji_mode_exactly() -> None:
    assert decode_image(kanji_mode_png("点茗"), PHONE).payloads == ["点茗"]
    assert decode_image(kanji_mode_png("点茗"), OPENCV_ONLY).payloads == ["点茗"]


@pytest.mark.parametrize("passes", [*EVERY_PASS, pytest.param(PHONE, id="phone")])
def test_shift_jis_kana_without_eci_is_no_read_rather_than_a_guess(
    passes: tuple[DecodePass, ...],
) -> None:
    # C3 DE BB DE B2 DD: ﾃﾞｻﾞｲﾝ in Shift_JIS, ÃÞ»Þ²Ý in Latin-1; the code names neither.
    assert decode_image(byte_mode_png("ﾃﾞｻﾞｲﾝQR".encode("shift_jis")), passes).payloads == []


@pytest.mark.parametrize("passes", [pytest.param(PHONE, id="phone"),
                                    pytest.param(OPENCV_ONLY, id="opencv"),
                                    pytest.param(PASSES, id="desktop")])  # fmt: skip
def test_utf8_and_latin1_payloads_read_exactly(passes: tuple[DecodePass, ...]) -> None:
    for payload in ("Café", "点茗 ok", "crewkit:eq:cam-07"):
        assert decode_image(byte_mode_png(payload.encode("utf-8")), passes).payloads == [payload]
    assert decode_image(byte_mode_png("Café".encode("latin-1")), passes).payloads == ["Café"]


def test_zbar_hands_over_bytes_not_its_guessed_text() -> None:
    from app.qr import zbar

    utf8 = Image.open(io.BytesIO(byte_mode_png("Café 点".encode())))
    assert zbar.qr_payloads(utf8) == ["Café 点".encode()]  # zbar's own text: Caf･ｩ 霓､


def test_a_large_png_is_shrunk_before_any_pass_reads_it() -> None:
    sizes: list[tuple[int, int]] = []

    def spy(image: Image.Image) -> list[readers.RawCode]:
        sizes.append(image.size)
        return []

    large = png(Image.new("L", (4000, 4000), 255))
    result = decode_image(large, (DecodePass("spy", lambda image: image, spy),))
    assert result.payloads == [] and sizes == [(DECODE_LONG_EDGE, DECODE_LONG_EDGE)]


def test_a_huge_png_is_refused_from_its_header_with_the_reason() -> None:
    called: list[str] = []
    huge = png(Image.new("L", (9400, 9400), 255))
    result = decode_image(huge, (DecodePass("spy", lambda image: image,
                                            lambda image: called.append("read") or []),))
    assert result.status is DecodeStatus.TOO_LARGE and called == []
    assert result.reason.startswith("image too large to scan (9400x9400 pixels)")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"crewkit:eq:cam-07", "crewkit:eq:cam-07"),
        ("Café 点".encode(), "Café 点"),
        ("Café".encode("latin-1"), "Café"),
        ("点茗".encode("shift_jis"), "点茗"),  # lead byte 0x93 is a Latin-1 control
        ("ﾃﾞｻﾞｲﾝQR".encode("shift_jis"), None),  # two printable readings
        (b"\x81\x00\x9f", None),  # neither reads as printable text
    ],
)
def test_bytes_read_one_way_or_not_at_all(raw: bytes, text: str | None) -> None:
    assert text_of(raw) == text


def test_a_reader_whose_binding_raises_hands_over_the_bytes(monkeypatch) -> None:
    class KanjiDetector:
        """What OpenCV's binding does with a Kanji-mode segment: raise on the way to str."""

        def detectAndDecodeMulti(self, pixels):
            raise UnicodeDecodeError("utf-8", "点茗".encode("shift_jis"), 0, 1, "invalid start")

    assert readers.cv2 is not None and readers.opencv_multi is not None
    monkeypatch.setattr(readers.cv2, "QRCodeDetector", KanjiDetector)
    assert readers.opencv_multi(Image.new("L", (200, 200), 255)) == [("点茗", "QR Code")]


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize("library", [readers.ZXING, readers.OPENCV])
def test_the_slower_passes_run_only_where_a_full_size_photo_shows_a_code(library: str) -> None:
    calls: list[str] = []

    def spy(name: str) -> readers.Reader:
        return lambda image: calls.append(name) or []

    passes = tuple(DecodePass(name, lambda image: image, spy(name), library)
                   for name in ("first", "second"))  # fmt: skip
    blank = Image.radial_gradient("L").resize((3000, 2000))
    with_code = blank.copy()
    with_code.paste(qrcode.make("crewkit:eq:cam-07", box_size=16).get_image().convert("L"),
                    (1000, 400))
    for image, expected in ((blank, ["first"]), (with_code, ["first", "second"]),
                            (blank.resize((800, 600)), ["first", "second"])):  # fmt: skip
        calls.clear()
        decode_image(jpeg(image), passes)
        assert calls == expected, image.size
