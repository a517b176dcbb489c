from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageFilter
from pypdf import PdfReader

from app.labels import (
    AVERY_5160,
    AVERY_L7160,
    FORMATS,
    ROLL_62X29,
    Label,
    SheetFormat,
    layout,
    printable,
    qr_matrix,
    render_labels,
)
from app.qr import decode_image

DPI = 300
PX_PER_MM = DPI / 25.4
TOLERANCE_MM = 0.5

# Published stock geometry, written out independently of app.labels:
# (page w, h, columns, rows, first label x, y, label w, h, pitch x, y) in mm.
SPECS = {
    "avery-l7160": (210, 297, 3, 7, 7.21, 15.15, 63.5, 38.1, 66.04, 38.1),
    "avery-5160": (215.9, 279.4, 3, 10, 4.7625, 12.7, 66.675, 25.4, 69.85, 25.4),
    "roll-62x29": (62, 29, 1, 1, 0, 0, 62, 29, 62, 29),
}


def labels(count: int) -> list[Label]:
    return [Label(f"crewkit:eq:item-{i:03d}", f"Item {i}", f"EQ-{i:03d}") for i in range(count)]


def rasterise(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm not found: install the Debian package poppler-utils")
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", str(DPI), "-gray", "-png", source, tmp_path / "page"], check=True
    )
    return [Image.open(page) for page in sorted(tmp_path.glob("page-*.png"))]


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("key", sorted(SPECS))
def test_layout_matches_the_published_sheet(key: str) -> None:
    fmt = FORMATS[key]
    page_w, page_h, columns, rows, x0, y0, width, height, pitch_x, pitch_y = SPECS[key]
    assert (fmt.page_width, fmt.page_height) == pytest.approx((page_w, page_h), abs=0.01)
    placements = layout(fmt, columns * rows + 1, modules=25)
    assert placements[-1].page == 1
    for index, place in enumerate(placements[:-1]):
        row, column = divmod(index, columns)
        expected = (x0 + column * pitch_x, y0 + row * pitch_y, width, height)
        label = place.label
        assert (label.x, label.y, label.width, label.height) == pytest.approx(expected, abs=0.5)
        assert label.x + label.width <= page_w and label.y + label.height <= page_h
        code = place.code
        assert label.x < code.x and code.x + code.width < label.x + label.width
        assert label.y < code.y and code.y + code.height < label.y + label.height


@pytest.mark.parametrize("fmt", [AVERY_L7160, AVERY_5160, ROLL_62X29], ids=lambda f: f.name)
def test_pdf_parses_with_the_right_pages_and_no_raster_images(fmt: SheetFormat) -> None:
    count = fmt.per_page + 2
    reader = PdfReader(io.BytesIO(render_labels(labels(count), fmt)))
    assert len(reader.pages) == -(-count // fmt.per_page)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(fmt.page_width / 25.4 * 72, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(fmt.page_height / 25.4 * 72, abs=0.1)
        assert "/XObject" not in page["/Resources"], "QR codes must be vector, not images"
    assert "EQ-000" in reader.pages[0].extract_text()
    assert f"EQ-{count - 1:03d}" in reader.pages[-1].extract_text()


@pytest.mark.parametrize("key", sorted(SPECS))
def test_rendered_codes_sit_where_the_layout_says_and_all_decode(key: str, tmp_path: Path) -> None:
    fmt = FORMATS[key]
    sheet = labels(fmt.per_page)
    pages = rasterise(render_labels(sheet, fmt), tmp_path)
    assert len(pages) == 1
    modules = len(qr_matrix(sheet[0].payload))
    for place in layout(fmt, len(sheet), modules):
        found = dark_square_in(pages[0], place.label, modules)
        expected = place.code
        for got, want in zip(found, (expected.x, expected.y, expected.width), strict=True):
            assert got == pytest.approx(want, abs=TOLERANCE_MM)
    assert sorted(decode_image(png(pages[0])).payloads) == [label.payload for label in sheet]


def dark_square_in(page: Image.Image, label, modules: int) -> tuple[float, float, float]:
    """(x, y, side) in mm of the code found in the label outline on the rendered page.

    The code is the dark area from the first dark row down to the first white band of
    two modules: inside a QR symbol no two consecutive module rows are all white (the
    timing column is dark on every other row), and the text sits below such a band.
    """
    left, top = round(label.x * PX_PER_MM), round(label.y * PX_PER_MM)
    right = round((label.x + label.width) * PX_PER_MM)
    bottom = round((label.y + label.height) * PX_PER_MM)
    cell = np.asarray(page.convert("L"))[top:bottom, left:right] < 128
    dark_rows = np.flatnonzero(cell.any(axis=1))
    first_row_columns = np.flatnonzero(cell[dark_rows[0]])
    module_px = (first_row_columns[-1] - first_row_columns[0] + 1) / modules
    gaps = np.flatnonzero(np.diff(dark_rows) > 2 * module_px)
    last_row = dark_rows[gaps[0]] if len(gaps) else dark_rows[-1]
    columns = np.flatnonzero(cell[dark_rows[0] : last_row + 1].any(axis=0))
    side = (columns[-1] - columns[0] + 1) / PX_PER_MM
    return (left + columns[0]) / PX_PER_MM, (top + dark_rows[0]) / PX_PER_MM, side


def test_long_and_foreign_names_are_truncated_and_made_printable(tmp_path: Path) -> None:
    long_name = "Sennheiser EW 112P G4 lavalier kit with spare batteries and windshields"
    pdf = render_labels([Label("crewkit:eq:a", long_name, "EQ-1")], AVERY_5160)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "..." in text and "windshields" not in text and "EQ-1" in text
    assert (
        printable("Kamera \u2013 \u201cA\u201d \u2026 caf\u00e9 \uce74")
        == 'Kamera - "A" ... caf\u00e9 ?'
    )
    render_labels([Label("crewkit:eq:b", "\uce74\uba54\ub77c \u2603", "EQ-2")], ROLL_62X29)


def test_no_labels_is_an_error() -> None:
    with pytest.raises(ValueError, match="no labels"):
        render_labels([], AVERY_L7160)


def photographed(code: Image.Image, rng: random.Random) -> Image.Image:
    """A label as a phone sees it: tilted, keystoned, blurred, on a busy surface, JPEG'd."""
    size = 900
    noise = np.frombuffer(rng.randbytes(size * size), dtype=np.uint8).reshape(size, size)
    background = cv2.GaussianBlur(noise, (0, 0), 6)
    background = cv2.normalize(background, None, 60, 170, cv2.NORM_MINMAX)
    label = np.asarray(code.convert("L").resize((360, 360), Image.Resampling.NEAREST))
    label = cv2.copyMakeBorder(label, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=245)
    h, w = label.shape
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = [rng.uniform(-40, 40) for _ in range(8)]
    target = np.float32(
        [[200 + jitter[0], 180 + jitter[1]], [680 + jitter[2], 220 + jitter[3]],
         [650 + jitter[4], 700 + jitter[5]], [230 + jitter[6], 680 + jitter[7]]]
    )  # fmt: skip
    warp = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(label, warp, (size, size), borderValue=0)
    mask = cv2.warpPerspective(np.full_like(label, 255), warp, (size, size))
    scene = np.where(mask > 0, warped, background).astype(np.uint8)
    image = Image.fromarray(scene).rotate(rng.uniform(-180, 180), fillcolor=100)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 2.0)))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=rng.randint(35, 70))
    return Image.open(out)


def test_photographed_looking_codes_decode_exactly() -> None:
    rng = random.Random(4)
    for index in range(12):
        payload = f"crewkit:eq:case-{index:02d}" if index % 3 else f"https://rental.example/{index}"
        matrix = qr_matrix(payload)
        code = Image.new("L", (len(matrix) + 4, len(matrix) + 4), 255)
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    code.putpixel((x + 2, y + 2), 0)
        result = decode_image(png(photographed(code, rng)))
        assert result.payloads == [payload], (index, result)
