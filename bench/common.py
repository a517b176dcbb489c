"""Helpers shared by the benchmarks: timing, percentiles and one JSON line per figure."""

from __future__ import annotations

import json
import statistics
from typing import Any


def emit(**figures: Any) -> None:
    print(json.dumps(figures), flush=True)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {
        "checkout_ms_p50": round(statistics.median(samples), 3),
        "checkout_ms_p99": round(percentile(samples, 99), 3),
    }
