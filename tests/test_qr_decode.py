from __future__ import annotations

import io
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from app.qr import (
    PASSES,
    PHONE_LIBRARIES,
    DecodePass,
    DecodeStatus,
    decode_image,
    equipment_id_from_payload,
    equipment_payload,
    is_crewkit_code,
    passes_for,
)

PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "qr-photos"
PLAIN_ZXING_READS = 39
PIPELINE_READS_AT_LEAST = 44  # measured: 44 of 48 (python -m bench.media)
PHONE_READS_AT_LEAST = 43  # measured: 43 of 48, zbar and OpenCV without zxing-cpp


def photo_cases() -> list[tuple[Path, str]]:
    if not PHOTOS.is_dir():
        pytest.fail(f"QR test photos missing: expected {PHOTOS} (shared/ beside the repo)")
    images = sorted(p for p in PHOTOS.rglob("*") if p.suffix in (".webp", ".png", ".jpg"))
    return [(image, image.with_suffix(".txt").read_bytes().decode("utf-8")) for image in images]


def png_of(payload: str, **params: object) -> bytes:
    out = io.BytesIO()
    qrcode.make(payload, **params).save(out)
    return out.getvalue()


def photos_read_by(passes: tuple[DecodePass, ...]) -> int:
    """How many of the 48 photos ``passes`` read; any wrong payload fails the test."""
    cases = photo_cases()
    assert len(cases) == 48
    read = 0
    for image, expected in cases:
        result = decode_image(image.read_bytes(), passes)
        if result.status is DecodeStatus.FOUND:
            assert result.payloads == [expected], image.name
            read += 1
    return read


def test_pipeline_reads_more_testdata_photos_than_plain_zxing_and_never_misreads() -> None:
    read = photos_read_by(PASSES)
    assert read > PLAIN_ZXING_READS
    assert read >= PIPELINE_READS_AT_LEAST


def test_phone_pipeline_reads_as_many_as_plain_zxing_and_never_misreads() -> None:
    phone = passes_for(PHONE_LIBRARIES)
    assert {"zbar", "opencv"} <= {p.name for p in phone}, "pyzbar, libzbar0 or OpenCV missing"
    assert photos_read_by(phone) >= max(PHONE_READS_AT_LEAST, PLAIN_ZXING_READS)


def test_crewkit_label_is_recognised() -> None:
    result = decode_image(png_of("crewkit:eq:cam-07"))
    assert result.status is DecodeStatus.FOUND
    (code,) = result.codes
    assert (code.payload, code.equipment_id, code.is_foreign) == (
        "crewkit:eq:cam-07",
        "cam-07",
        False,
    )
    assert result.pass_name == "zxing"


def test_foreign_code_is_returned_and_flagged() -> None:
    (code,) = decode_image(png_of("https://snipeit.example/hardware/1234")).codes
    assert code.payload == "https://snipeit.example/hardware/1234"
    assert code.is_foreign
    assert code.symbology == "QR Code"


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"", DecodeStatus.NOT_AN_IMAGE, "empty"),
        (b"\x00garbage\xff" * 50, DecodeStatus.NOT_AN_IMAGE, "not an image"),
        (png_of("crewkit:eq:x")[:120], DecodeStatus.NOT_AN_IMAGE, "corrupt"),
    ],
    ids=["empty", "garbage", "truncated"],
)
def test_bad_bytes_give_a_clear_result(data: bytes, status: DecodeStatus, reason: str) -> None:
    result = decode_image(data)
    assert result.status is status
    assert reason in result.reason
    assert result.codes == ()


def test_photo_without_a_code_says_so() -> None:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((640, 480)).save(out, "JPEG")
    result = decode_image(out.getvalue())
    assert result.status is DecodeStatus.NO_CODE
    assert result.reason.startswith("no code found")


def test_no_decoder_installed_is_a_result_not_a_crash() -> None:
    result = decode_image(png_of("x"), passes=())
    assert result.status is DecodeStatus.NO_DECODER


def test_opencv_passes_alone_read_a_label_when_zxing_is_missing() -> None:
    opencv_only = tuple(p for p in PASSES if p.name.startswith("opencv"))
    assert opencv_only, "opencv-python-headless is not installed"
    assert decode_image(png_of("crewkit:eq:tripod-2"), passes=opencv_only).payloads == [
        "crewkit:eq:tripod-2"
    ]


def test_several_codes_in_one_photo_are_all_returned_once() -> None:
    sheet = Image.new("L", (900, 400), 255)
    for i, payload in enumerate(["crewkit:eq:a", "crewkit:eq:b", "crewkit:eq:a"]):
        sheet.paste(qrcode.make(payload, box_size=6).get_image().convert("L"), (20 + i * 300, 60))
    out = io.BytesIO()
    sheet.save(out, "PNG")
    assert sorted(decode_image(out.getvalue()).payloads) == ["crewkit:eq:a", "crewkit:eq:b"]


@pytest.mark.parametrize(
    ("payload", "equipment_id"),
    [
        ("crewkit:eq:cam-07", "cam-07"),
        ("crewkit:eq:01HXYZ_abc\n", "01HXYZ_abc"),
        ("crewkit:eq:", None),
        ("crewkit:eq:../etc", None),
        ("CREWKIT:EQ:cam", None),
        ("crewkit:person:ann", None),
        ("https://example.com", None),
    ],
)
def test_crewkit_payload_parsing(payload: str, equipment_id: str | None) -> None:
    assert equipment_id_from_payload(payload) == equipment_id
    assert is_crewkit_code(payload) is (equipment_id is not None)


def test_equipment_payload_round_trips_and_refuses_bad_ids() -> None:
    assert equipment_id_from_payload(equipment_payload("lens-35mm")) == "lens-35mm"
    with pytest.raises(ValueError, match="not a valid equipment id"):
        equipment_payload("has space")
