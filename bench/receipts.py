"""Receipt reading figures as JSON lines: ``python -m bench.receipts``.

Per-field accuracy on the receipts with ground truth in ``shared/testdata/receipts`` and
seconds per receipt (median, p95; model load separately), beside simple baseline rules run
in the same process on the same OCR output.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.money import CURRENCY_EXPONENTS
from app.receipts.engine import available, load_engine, ocr_lines
from app.receipts.extract import extract, parse_amount_text
from app.receipts.reading import TextLine
from app.receipts.rows import group_rows

from .common import emit, percentile

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "receipts"

Fields = dict[str, str | None]
FIELDS = ("total", "date", "vendor")


def normalise_vendor(text: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def ours(lines: list[TextLine]) -> Fields:
    reading = extract(lines, currency="MYR", day_first=True)
    total = reading.total_minor
    return {
        "total": f"{total.value / 10 ** CURRENCY_EXPONENTS[reading.currency.value]:.2f}"
        if total and reading.currency else None,
        "date": reading.spent_on.value.isoformat() if reading.spent_on else None,
        "vendor": reading.vendor.value if reading.vendor else None,
    }


def baseline(lines: list[TextLine]) -> Fields:
    """The simple rules: last amount on a "total" row, first d/m/y date, top line as vendor."""
    total = date = None
    rows = group_rows(lines)
    for row in rows:
        amounts = parse_amount_text(row.text)
        if "total" in row.text.lower() and amounts:
            total = f"{amounts[-1]:.2f}"
        match = re.search(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})", row.text)
        if date is None and match:
            d, m, y = (int(g) for g in match.groups())
            try:
                date = dt.date(y + 2000 if y < 100 else y, m, d).isoformat()
            except ValueError:
                date = None
    return {"total": total, "date": date, "vendor": rows[0].text if rows else None}


def correct(fields: Fields, truth: dict[str, str]) -> dict[str, bool]:
    return {
        "total": fields["total"] is not None and float(fields["total"]) == float(truth["total"]),
        "date": fields["date"] == truth["date"],
        "vendor": bool(fields["vendor"])
        and normalise_vendor(fields["vendor"]) == normalise_vendor(truth["vendor"]),
    }


@dataclass(frozen=True)
class Case:
    """One receipt of the test set: its OCR lines, its ground truth, and the seconds to
    read it, on the clock and in CPU time (all threads: on a busy machine the clock counts
    other programs' turns too)."""

    name: str
    lines: list[TextLine]
    truth: dict[str, str]
    seconds: float
    cpu_seconds: float


def accuracy(rules: Callable[[list[TextLine]], Fields], cases: list[Case]) -> dict[str, float]:
    scores = [correct(rules(case.lines), case.truth) for case in cases]
    return {f: round(sum(s[f] for s in scores) / len(scores), 3) for f in FIELDS}


def misses(cases: list[Case]) -> list[dict[str, str | None]]:
    """Every field our rules get wrong: receipt, field, what they read, what is right."""
    found: list[dict[str, str | None]] = []
    for case in cases:
        fields = ours(case.lines)
        for field, right in correct(fields, case.truth).items():
            if not right:
                found.append({"receipt": case.name, "field": field, "got": fields[field],
                              "want": case.truth[field]})
    return found


def receipts(folder: Path = TESTDATA) -> list[Path]:
    return sorted(folder.glob("*.jpg"))


def model_load_seconds() -> float:
    """Seconds to load the OCR models (once per app run, before the first receipt)."""
    started = time.perf_counter()
    load_engine()
    return time.perf_counter() - started


def read_cases(images: list[Path]) -> list[Case]:
    """OCR every image as the app does, timing OCR plus extraction per receipt."""
    cases: list[Case] = []
    for image in images:
        data = image.read_bytes()
        started, cpu = time.perf_counter(), time.process_time()
        lines = ocr_lines(data)
        ours(lines)
        cases.append(Case(image.stem, lines, json.loads(image.with_suffix(".json").read_text()),
                          time.perf_counter() - started, time.process_time() - cpu))
    return cases


def main() -> None:
    if not available():
        emit(bench="receipts", error="the OCR extra is not installed: pip install -e '.[ocr]'")
        return
    load = model_load_seconds()
    cases = read_cases(receipts())
    seconds = [case.seconds for case in cases]
    cpu = [case.cpu_seconds for case in cases]
    emit(bench="receipts", receipts=len(cases), accuracy=accuracy(ours, cases),
         baseline_accuracy=accuracy(baseline, cases),
         targets={"total": 0.9, "date": 0.97, "vendor": 0.75})
    emit(bench="receipts", seconds_median=round(statistics.median(seconds), 3),
         seconds_p95=round(percentile(seconds, 95), 3), model_load_s=round(load, 3),
         cpu_seconds_median=round(statistics.median(cpu), 3), cpu_threads=os.cpu_count(),
         load_average_1min=round(os.getloadavg()[0], 1), target_median_s=2.0)
    for miss in misses(cases):
        emit(bench="receipts", miss=miss)


if __name__ == "__main__":
    main()
