"""Accuracy floors on real receipts, read by the real OCR (no cached output).

A third of the corpus (every third receipt, 14 of 40) keeps the run short; the floors sit
one receipt below what the rules reach on it, so a regression in the rules or the OCR
fails here. ``python -m bench.receipts`` reports the whole corpus.
"""

from __future__ import annotations

import pytest

from bench.receipts import Case, accuracy, baseline, ours, read_cases, receipts

FLOORS = {"total": 13 / 14, "date": 12 / 14, "vendor": 10 / 14}


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return read_cases(receipts()[::3])


def test_the_rules_stay_above_their_floors(cases: list[Case]) -> None:
    assert len(cases) == 14
    reached = accuracy(ours, cases)
    assert all(reached[field] >= floor - 1e-9 for field, floor in FLOORS.items()), reached


def test_the_rules_beat_the_simple_baseline_on_every_field(cases: list[Case]) -> None:
    reached, simple = accuracy(ours, cases), accuracy(baseline, cases)
    assert all(reached[field] > simple[field] for field in FLOORS), (reached, simple)
