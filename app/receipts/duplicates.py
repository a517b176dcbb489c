"""Possible duplicate expenses: the same receipt image, or the same total, date and vendor."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any


def _vendor_key(vendor: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(vendor or "").lower())


def possible_duplicates(
    candidate: Mapping[str, Any], expenses: Iterable[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Other expenses of the production that look like ``candidate`` (flagged before saving)."""
    same: list[Mapping[str, Any]] = []
    key = (candidate.get("amount_minor"), candidate.get("spent_on"),
           _vendor_key(candidate.get("vendor")))
    for other in expenses:
        if other.get("id") is not None and other.get("id") == candidate.get("id"):
            continue
        if other.get("production_id") != candidate.get("production_id"):
            continue
        same_image = bool(candidate.get("receipt")) and other.get("receipt") == candidate["receipt"]
        other_key = (other.get("amount_minor"), other.get("spent_on"),
                     _vendor_key(other.get("vendor")))
        if same_image or (all(key) and other_key == key):
            same.append(other)
    return same
