"""Photo and QR figures as JSON lines: ``python -m bench.media``.

Each figure is measured beside its reference in the same run (these machines are
noisy; ratios hold where absolute times drift): photo storing against a plain
full-resolution Pillow resize, and the decode pipelines against one plain zxing-cpp call.
The phone pipeline is measured here too: the same passes with zxing-cpp left out, as on
Android and iOS, where it has no wheel. Live scanning is measured from a camera frame
arriving to its item being in the cart.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import qrcode
import zxingcpp
from PIL import Image, ImageOps

from app.blobs import BlobStore
from app.cart import CheckoutCart
from app.equipment import code_for, create_item
from app.labels import AVERY_L7160, Label, render_labels
from app.photos import LONG_EDGE, store_photo
from app.qr import PASSES, PHONE_LIBRARIES, DecodePass, ScannedCode, decode_image, passes_for
from app.qr.frames import FrameDecoder
from app.store import Store

from .common import emit, percentile

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "qr-photos"


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Fastest of ``runs`` in milliseconds: the least disturbed by other processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(min(times), 1)


def cpu_best_of(runs: int, work: Callable[[], object]) -> float:
    """Least CPU time of ``runs`` in milliseconds: what the work costs this process even
    while other processes hold the cores (wall time on a shared machine runs longer)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
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


def pipeline(passes: tuple[DecodePass, ...]) -> Callable[[bytes], list[str]]:
    return lambda data: decode_image(data, passes).payloads


PHONE_PASSES = passes_for(PHONE_LIBRARIES)
DECODERS: dict[str, Callable[[bytes], list[str]]] = {
    "plain_zxing": plain_zxing,
    "desktop_pipeline": pipeline(PASSES),
    "phone_pipeline": pipeline(PHONE_PASSES),
}
"""What each platform runs: the phone pipeline is the same passes without zxing-cpp."""


def label_figures(workdir: Path) -> dict[str, object]:
    sheet = label_sheet_png(workdir)
    figures: dict[str, object] = {"figure": "qr_decode_label_sheet_a4_300dpi",
                                  "codes_on_sheet": 21}
    for name, decoder in DECODERS.items():
        figures[f"{name}_codes"] = len(decoder(sheet))
        figures[f"{name}_ms"] = best_of(3, lambda d=decoder: d(sheet))
    return figures


def timed(decoder: Callable[[bytes], list[str]], data: bytes) -> tuple[list[str], float]:
    start = time.perf_counter()
    found = decoder(data)
    return found, (time.perf_counter() - start) * 1000


def testdata_figures() -> list[dict[str, object]]:
    """One line per decoder on the 48 real photos: reads, wrong payloads, time per photo."""
    photos = sorted(p for p in TESTDATA.rglob("*") if p.suffix in (".webp", ".png", ".jpg"))
    cases = [(p.read_bytes(), p.with_suffix(".txt").read_bytes().decode()) for p in photos]
    twelve_mp = twelve_megapixel_jpeg()
    lines = []
    for name, decoder in DECODERS.items():
        right = wrong = 0
        times, miss_times = [], []
        for data, expected in cases:
            found, ms = timed(decoder, data)
            times.append(ms)
            right += found == [expected]
            wrong += bool(found) and found != [expected]
            if not found:
                miss_times.append(ms)
        lines.append({
            "figure": "qr_decode_testdata_photos", "decoder": name, "photos": len(cases),
            "read": right, "wrong": wrong,
            "ms_median": round(statistics.median(times), 1),
            "ms_p99": round(percentile(times, 99), 1),
            "miss_ms_median": round(statistics.median(miss_times), 1) if miss_times else None,
            "miss_ms_max": round(max(miss_times), 1) if miss_times else None,
            "miss_12mp_jpeg_ms": best_of(3, lambda d=decoder: d(twelve_mp)),
            "miss_12mp_jpeg_cpu_ms": cpu_best_of(3, lambda d=decoder: d(twelve_mp)),
        })  # fmt: skip
    return lines


def noise_png(edge: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((edge, edge), 60).save(out, "PNG", compress_level=1)
    return out.getvalue()


def large_png_figures() -> dict[str, object]:
    """The worst a file pick can bring, with no code: 16 MP of PNG (the largest scanned)
    and a 9400x9400 PNG (refused from its header)."""
    figures: dict[str, object] = {"figure": "qr_decode_miss_large_png"}
    for label, edge in (("4000px", 4000), ("9400px", 9400)):
        data = noise_png(edge)
        for name in ("desktop_pipeline", "phone_pipeline"):
            figures[f"{name}_{label}_ms"] = best_of(1, lambda n=name, d=data: DECODERS[n](d))
    return figures


def camera_frame(payload: str) -> bytes:
    """A 640x480 camera frame (what flet-camera streams at its medium preset): a label
    small in the middle of a grainy scene, as a JPEG."""
    scene = Image.merge("RGB", [Image.effect_noise((640, 480), 25)] * 3)
    label = qrcode.make(payload, box_size=4, border=2).get_image().convert("RGB")
    scene.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=80)
    return out.getvalue()


async def frame_to_cart_ms(passes: tuple[DecodePass, ...], frame: bytes, cart: CheckoutCart,
                           runs: int) -> list[float]:
    """From a frame arriving to its item being in the cart, ``runs`` times."""
    samples = []
    for _ in range(runs):
        cart.clear()
        landed = asyncio.Event()

        def to_cart(codes: list[ScannedCode], event: asyncio.Event = landed) -> None:
            for code in codes:
                cart.scan(code.payload)
            event.set()

        decoder = FrameDecoder(to_cart, decode=lambda f: decode_image(f, passes))
        start = time.perf_counter()
        decoder.offer(frame)
        await landed.wait()
        samples.append((time.perf_counter() - start) * 1000)
        assert cart.item_ids, "the frame's label did not reach the cart"
    return samples


def frame_figures(workdir: Path) -> dict[str, object]:
    store = Store.open(workdir / "frames-store")
    try:
        item_id = create_item(store, name="Bench monitor", currency="EUR")
        frame = camera_frame(code_for(item_id))
        cart = CheckoutCart(store, "")
        figures: dict[str, object] = {"figure": "live_frame_to_cart_640x480", "runs": 10}
        for name, passes in (("desktop_pipeline", PASSES), ("phone_pipeline", PHONE_PASSES)):
            samples = asyncio.run(frame_to_cart_ms(passes, frame, cart, 10))
            figures[f"{name}_ms_median"] = round(statistics.median(samples), 1)
            figures[f"{name}_ms_p99"] = round(percentile(samples, 99), 1)
        empty = camera_frame("")  # the frames between labels: no code, how long to let go
        for name in ("desktop_pipeline", "phone_pipeline"):
            figures[f"{name}_miss_ms"] = best_of(5, lambda n=name: DECODERS[n](empty))
            figures[f"{name}_miss_cpu_ms"] = cpu_best_of(5, lambda n=name: DECODERS[n](empty))
        return figures
    finally:
        store.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        for figures in (photo_figures(workdir), label_figures(workdir), *testdata_figures(),
                        large_png_figures(), frame_figures(workdir)):
            emit(**figures)


if __name__ == "__main__":
    main()
