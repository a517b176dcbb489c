"""Duplicate receipts are flagged by image hash or by matching total, date and vendor."""

from __future__ import annotations

from app.receipts.duplicates import possible_duplicates

BASE = {"id": "e1", "production_id": "p1", "amount_minor": 1295, "spent_on": "2026-11-02",
        "vendor": "Acme Hardware", "receipt": "a" * 64}


def test_same_image_is_a_duplicate() -> None:
    new = {"id": "e2", "production_id": "p1", "amount_minor": 1, "receipt": "a" * 64}
    assert possible_duplicates(new, [BASE]) == [BASE]


def test_same_total_date_and_vendor_despite_spelling() -> None:
    new = {"id": "e2", "production_id": "p1", "amount_minor": 1295, "spent_on": "2026-11-02",
           "vendor": "ACME HARDWARE.", "receipt": None}
    assert possible_duplicates(new, [BASE]) == [BASE]


def test_other_production_itself_or_other_amount_is_not() -> None:
    other_prod = {**BASE, "id": "e2", "production_id": "p2"}
    other_amount = {**BASE, "id": "e3", "amount_minor": 1296, "receipt": None}
    assert possible_duplicates(other_prod, [BASE]) == []
    assert possible_duplicates(BASE, [BASE]) == []
    assert possible_duplicates(other_amount, [BASE]) == []
