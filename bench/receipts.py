"""Receipt reading figures as JSON lines: ``python -m bench.receipts``.

Per-field accuracy on the receipts with ground truth in ``shared/testdata/receipts`` and
seconds per receipt (median, p95; model load separately), beside simple baseline rules run
in the same process on the same OCR output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.money import CURRENCY_EXPONENTS
from app.receipts.engine import available, ocr_lines
from app.receipts.extract import extract, parse_amount_text
from app.receipts.reading import TextLine
from app.receipts.rows import group_rows

from .common import emit, percentile

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "receipts"

Fields = dict[str, str | None]


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


def accuracy(rules: Callable[[list[TextLine]], Fields], cases: list[tuple]) -> dict[str, float]:
    scores = [correct(rules(lines), truth) for lines, truth in cases]
    fields = ("total", "date", "vendor")
    return {f: round(sum(s[f] for s in scores) / len(scores), 3) for f in fields}


def load_cases(folder: Path = TESTDATA) -> tuple[list[tuple], list[float], float]:
    """OCR lines and truth per receipt, seconds per receipt, and the first call's model load."""
    cases: list[tuple] = []
    seconds: list[float] = []
    load = 0.0
    for index, image in enumerate(sorted(folder.glob("*.jpg"))):
        truth = json.loads(image.with_suffix(".json").read_text())
        data = image.read_bytes()
        started = time.perf_counter()
        lines = ocr_lines(data)
        elapsed = time.perf_counter() - started
        if index == 0:
            load = elapsed
            started = time.perf_counter()
            lines = ocr_lines(data)
            elapsed = time.perf_counter() - started
            load -= elapsed
        seconds.append(elapsed)
        cases.append((lines, truth))
    return cases, seconds, load


def main() -> None:
    if not available():
        emit(bench="receipts", error="the OCR extra is not installed: pip install -e '.[ocr]'")
        return
    cases, seconds, load = load_cases()
    emit(bench="receipts", receipts=len(cases), accuracy=accuracy(ours, cases),
         baseline_accuracy=accuracy(baseline, cases),
         targets={"total": 0.9, "date": 0.97, "vendor": 0.75})
    emit(bench="receipts", seconds_median=round(statistics.median(seconds), 3),
         seconds_p95=round(percentile(seconds, 95), 3), model_load_s=round(load, 3),
         target_median_s=2.0)


if __name__ == "__main__":
    main()
