"""Photo and QR figures as JSON lines: ``python -m bench.media``.

Each figure is measured beside its reference in the same run (these machines are
noisy; ratios hold where absolute times drift): photo storing against a plain
full-resolution Pillow resize, and the decode pipeline against one plain zxing-cpp call.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import zxingcpp
from PIL import Image, ImageOps

from app.blobs import BlobStore
from app.labels import AVERY_L7160, Label, render_labels
from app.photos import LONG_EDGE, store_photo
from app.qr import decode_image

from .common import emit

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "qr-photos"


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Fastest of ``runs`` in milliseconds: the least disturbed by other processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(min(times), 1)


def twelve_megapixel_jpeg() -> bytes:
    """Sensor-like noise over a fractal, so the file is as large as a real 12 MP photo."""
    fractal = Image.effect_mandelbrot((4000, 3000), (-2.0, -1.2, 1.0, 1.2), 100)
    grain = Image.effect_noise((4000, 3000), 40)
    image = Image.merge("RGB", (fractal, grain, Image.blend(fractal, grain, 0.5)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def plain_pillow_downscale(raw: bytes) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(raw)))
    image.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def photo_figures(workdir: Path) -> dict[str, object]:
    raw = twelve_megapixel_jpeg()
    blobs = BlobStore(workdir / "blobs")
    return {
        "figure": "photo_store_12mp_jpeg",
        "input_bytes": len(raw),
        "store_photo_ms": best_of(5, lambda: store_photo(blobs, raw)),
        "plain_pillow_full_decode_ms": best_of(5, lambda: plain_pillow_downscale(raw)),
    }


def label_sheet_png(workdir: Path) -> bytes:
    labels = [Label(f"crewkit:eq:item-{i:03d}", f"Item {i}", f"EQ-{i:03d}") for i in range(21)]
    pdf = workdir / "sheet.pdf"
    pdf.write_bytes(render_labels(labels, AVERY_L7160))
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm not found: install the Debian package poppler-utils")
    subprocess.run([pdftoppm, "-r", "300", "-gray", "-png", pdf, workdir / "sheet"], check=True)
    return next(workdir.glob("sheet*.png")).read_bytes()


def plain_zxing(data: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def label_figures(workdir: Path) -> dict[str, object]:
    sheet = label_sheet_png(workdir)
    return {
        "figure": "qr_decode_label_sheet_a4_300dpi",
        "codes_on_sheet": 21,
        "pipeline_codes": len(decode_image(sheet).payloads),
        "pipeline_ms": best_of(3, lambda: decode_image(sheet)),
        "plain_zxing_codes": len(plain_zxing(sheet)),
        "plain_zxing_ms": best_of(3, lambda: plain_zxing(sheet)),
    }


def testdata_figures() -> dict[str, object]:
    photos = sorted(p for p in TESTDATA.rglob("*") if p.suffix in (".webp", ".png", ".jpg"))
    cases = [(p.read_bytes(), p.with_suffix(".txt").read_bytes().decode()) for p in photos]

    def count(decoder: Callable[[bytes], list[str]]) -> tuple[int, int]:
        right = wrong = 0
        for data, expected in cases:
            found = decoder(data)
            right += found == [expected]
            wrong += bool(found) and found != [expected]
        return right, wrong

    def pipeline(data: bytes) -> list[str]:
        return decode_image(data).payloads

    start = time.perf_counter()
    pipeline_right, pipeline_wrong = count(pipeline)
    pipeline_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    plain_right, plain_wrong = count(plain_zxing)
    plain_ms = (time.perf_counter() - start) * 1000
    return {
        "figure": "qr_decode_testdata_photos",
        "photos": len(cases),
        "pipeline_read": pipeline_right,
        "pipeline_wrong": pipeline_wrong,
        "pipeline_ms_total": round(pipeline_ms, 1),
        "plain_zxing_read": plain_right,
        "plain_zxing_wrong": plain_wrong,
        "plain_zxing_ms_total": round(plain_ms, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        for figures in (photo_figures(workdir), label_figures(workdir), testdata_figures()):
            emit(**figures)


if __name__ == "__main__":
    main()
