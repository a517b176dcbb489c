"""Validation at the boundary: every service checks a record's fields here before writing.

The sync schema (``sync.schema``) says which fields a collection has and their types;
this module adds what a type cannot say: a name must not be blank, a currency must be a
real ISO 4217 code, money is never negative, an end never comes before its start, a time
zone exists, a kit does not contain itself, and words such as a schedule item's status
come from a small fixed vocabulary. A bad value raises :class:`ValidationError` naming
the field, so the screen can point at it, and nothing is written.

Rules are data: each names the fields it reads, and on an update it runs only when one
of those fields changes, checked against the record's merged (current + new) values.
A record that arrived from another device with an odd value therefore never blocks an
unrelated edit, while the edit that introduces a bad combination is refused.

Kit cycles need other records: pass ``lookup`` (``store.get`` or ``tx.get``) and a kit
whose chain of parents leads back to the item itself is refused. Without ``lookup``,
only the direct case (an item set as its own kit) is caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.schema import COLLECTIONS, check_value

from .rules import RULES, Lookup, label, type_problem
from .vocab import REQUIRED, defaults


class ValidationError(ValueError):
    """A value a record cannot take; ``field`` names it and the message says why."""

    def __init__(self, coll: str, field: str, message: str) -> None:
        super().__init__(message)
        self.coll = coll
        self.field = field


def _clean(coll: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Trim text and upper-case currency codes, then check each value's type."""
    spec = COLLECTIONS.get(coll)
    if spec is None:
        raise ValidationError(coll, "", f"There is no collection called {coll!r}.")
    cleaned: dict[str, Any] = {}
    for field, value in fields.items():
        kind = spec.get(field)
        if kind is None:
            raise ValidationError(coll, field, f"{coll} records have no field {field!r}.")
        if isinstance(value, str) and kind in ("str", "currency"):
            value = value.strip().upper() if kind == "currency" else value.strip()
        if isinstance(value, list):
            value = list(value)
        expected = check_value(kind, value)
        if expected is not None:
            raise ValidationError(coll, field, type_problem(field, kind, value, expected))
        cleaned[field] = value
    return cleaned


def validate(
    coll: str,
    fields: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    lookup: Lookup | None = None,
) -> dict[str, Any]:
    """Check ``fields`` for a new record (``current`` None) or an update of ``current``.

    Returns the cleaned fields to write: for a new record, every field of the
    collection (defaults filled in); for an update, only the fields given.
    Raises :class:`ValidationError` for the first problem found.
    """
    cleaned = _clean(coll, fields)
    if current is None:
        missing = [f for f in REQUIRED[coll] if f not in cleaned]
        if missing:
            raise ValidationError(coll, missing[0], f"The {label(missing[0])} is required.")
        cleaned = {**defaults(coll), **cleaned}
    merged = {**(current or {}), **cleaned}
    for rule in RULES[coll]:
        if current is not None and not cleaned.keys() & set(rule.fields):
            continue
        problem = rule.check(merged, lookup)
        if problem is not None:
            raise ValidationError(coll, *problem)
    return cleaned
