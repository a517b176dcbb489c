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

import copy
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.money import CURRENCY_EXPONENTS, MAX_MINOR
from sync.schema import COLLECTIONS, check_value

Lookup = Callable[[str, str], Mapping[str, Any] | None]

# -- vocabularies (documented in one place; views build their pickers from these) -------

SCHEDULE_KINDS = (
    "crew_call", "load_in", "setup", "rehearsal", "scene", "session",
    "meal", "break", "travel", "load_out", "wrap", "other",
)  # fmt: skip
SCHEDULE_STATUSES = ("planned", "started", "done", "delayed", "cancelled")
CUSTODY_ACTIONS = ("check_out", "check_in", "transfer", "damage", "repair", "audit")
PAYMENT_METHODS = ("petty_cash", "company_card", "personal")
EXPENSE_STATUSES = ("draft", "submitted", "approved", "reimbursed")
NOTE_SEVERITIES = ("info", "minor", "major", "critical")
NOTE_STATUSES = ("open", "resolved")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("schedule_items", "kind"): SCHEDULE_KINDS,
    ("schedule_items", "status"): SCHEDULE_STATUSES,
    ("custody_events", "action"): CUSTODY_ACTIONS,
    ("expenses", "payment_method"): PAYMENT_METHODS,
    ("expenses", "status"): EXPENSE_STATUSES,
    ("notes", "severity"): NOTE_SEVERITIES,
    ("notes", "status"): NOTE_STATUSES,
}

# Fields a new record must be given; every other field gets a default on insert.
REQUIRED: dict[str, tuple[str, ...]] = {
    "productions": ("name", "starts_on", "ends_on", "timezone", "currency"),
    "people": ("name",),
    "locations": ("name",),
    "schedule_items": ("production_id", "day", "kind", "title", "planned_start"),
    "checklists": ("title",),
    "checklist_items": ("checklist_id", "text"),
    "equipment": ("code", "name", "currency"),
    "custody_events": ("equipment_id", "action", "at"),
    "expenses": ("production_id", "amount_minor", "currency", "spent_on", "payment_method"),
    "budget_lines": ("production_id", "category", "allocated_minor", "currency"),
    "notes": ("production_id", "title"),
}

_DEFAULT_BY_TYPE: dict[str, Any] = {"str": "", "bool": False, "int": 0, "str_list": []}
_DEFAULT_OVERRIDES: dict[tuple[str, str], Any] = {
    ("schedule_items", "status"): "planned",
    ("expenses", "status"): "draft",
    ("notes", "severity"): "info",
    ("notes", "status"): "open",
    ("equipment", "flag"): "none",
}


class ValidationError(ValueError):
    """A value a record cannot take; ``field`` names it and the message says why."""

    def __init__(self, coll: str, field: str, message: str) -> None:
        super().__init__(message)
        self.coll = coll
        self.field = field


@dataclass(frozen=True)
class _Rule:
    fields: tuple[str, ...]
    check: Callable[[Mapping[str, Any], Lookup | None], tuple[str, str] | None]


def _label(field: str) -> str:
    return field.removesuffix("_minor").replace("_", " ")


def _not_blank(field: str) -> _Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        if not str(record.get(field) or "").strip():
            return field, f"The {_label(field)} must not be empty."
        return None

    return _Rule((field,), check)


def _currency(field: str = "currency") -> _Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        code = record.get(field)
        if code not in CURRENCY_EXPONENTS:
            return field, f"{code!r} is not an ISO 4217 currency code (e.g. EUR, USD, JPY)."
        return None

    return _Rule((field,), check)


def _amount(field: str) -> _Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        value = record.get(field)
        if isinstance(value, int) and value < 0:
            return field, f"The {_label(field)} must not be negative."
        if isinstance(value, int) and value > MAX_MINOR:
            return field, f"The {_label(field)} is implausibly large."
        return None

    return _Rule((field,), check)


def _ordered(start: str, end: str) -> _Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        first, last = _moment(record.get(start)), _moment(record.get(end))
        if first is not None and last is not None and last < first:
            return end, f"The {_label(end)} ({record[end]}) is before the {_label(start)}."
        return None

    return _Rule((start, end), check)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _one_of(coll: str, field: str) -> _Rule:
    allowed = ENUMS[(coll, field)]

    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        if record.get(field) not in allowed:
            choices = ", ".join(allowed)
            return field, f"{record.get(field)!r} is not a {_label(field)}; use one of {choices}."
        return None

    return _Rule((field,), check)


def _time_zone(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
    name = record.get("timezone")
    try:
        zoneinfo.ZoneInfo(name)  # type: ignore[arg-type]
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return "timezone", f"{name!r} is not an IANA time zone (e.g. Europe/London)."
    return None


def _range(field: str, limit: float) -> _Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
        value = record.get(field)
        if value is not None and not -limit <= value <= limit:
            return field, f"The {_label(field)} must be between -{limit:g} and {limit:g}."
        return None

    return _Rule((field,), check)


def _holder_named(record: Mapping[str, Any], _: Lookup | None) -> tuple[str, str] | None:
    if record.get("action") in ("check_out", "transfer") and not record.get("person_id"):
        return "person_id", f"A {record['action'].replace('_', '-')} needs the person taking it."
    return None


def _kit_acyclic(record: Mapping[str, Any], lookup: Lookup | None) -> tuple[str, str] | None:
    """Follow the chain of kits upwards; reaching the item itself means a cycle."""
    own_id, kit = record.get("id"), record.get("kit_id")
    seen: set[str] = set()
    while kit and kit not in seen:
        if kit == own_id:
            return "kit_id", "A kit cannot contain itself, directly or through another kit."
        seen.add(kit)
        parent = lookup("equipment", kit) if lookup else None
        kit = parent.get("kit_id") if parent else None
    return None


_RULES: dict[str, list[_Rule]] = {
    "productions": [
        _not_blank("name"),
        _currency(),
        _Rule(("timezone",), _time_zone),
        _ordered("starts_on", "ends_on"),
    ],
    "people": [_not_blank("name")],
    "locations": [_not_blank("name"), _range("lat", 90), _range("lon", 180)],
    "schedule_items": [
        _not_blank("title"),
        _one_of("schedule_items", "kind"),
        _one_of("schedule_items", "status"),
        _ordered("planned_start", "planned_end"),
        _ordered("actual_start", "actual_end"),
    ],
    "checklists": [_not_blank("title")],
    "checklist_items": [_not_blank("text"), _amount("position")],
    "equipment": [
        _not_blank("code"),
        _not_blank("name"),
        _currency(),
        _amount("value_minor"),
        _Rule(("kit_id",), _kit_acyclic),
    ],
    "custody_events": [
        _one_of("custody_events", "action"),
        _Rule(("action", "person_id"), _holder_named),
        _ordered("at", "due_at"),
    ],
    "expenses": [
        _currency(),
        _amount("amount_minor"),
        _one_of("expenses", "payment_method"),
        _one_of("expenses", "status"),
    ],
    "budget_lines": [_not_blank("category"), _currency(), _amount("allocated_minor")],
    "notes": [
        _not_blank("title"),
        _one_of("notes", "severity"),
        _one_of("notes", "status"),
    ],
}


def defaults(coll: str) -> dict[str, Any]:
    """The value of every optional field of a new ``coll`` record."""
    values: dict[str, Any] = {}
    for field, kind in COLLECTIONS[coll].items():
        if field in REQUIRED[coll]:
            continue
        base = kind if isinstance(kind, tuple) else kind.rstrip("?")
        default = _DEFAULT_BY_TYPE.get(base) if isinstance(base, str) else base[0]
        values[field] = _DEFAULT_OVERRIDES.get((coll, field), default)
    return copy.deepcopy(values)  # a fresh list per record, never a shared one


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
            raise ValidationError(coll, field, f"The {_label(field)} must be {expected}.")
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
            raise ValidationError(coll, missing[0], f"The {_label(missing[0])} is required.")
        cleaned = {**defaults(coll), **cleaned}
    merged = {**(current or {}), **cleaned}
    for rule in _RULES[coll]:
        if current is not None and not cleaned.keys() & set(rule.fields):
            continue
        problem = rule.check(merged, lookup)
        if problem is not None:
            raise ValidationError(coll, *problem)
    return cleaned


__all__ = [
    "CUSTODY_ACTIONS",
    "ENUMS",
    "EXPENSE_STATUSES",
    "NOTE_SEVERITIES",
    "NOTE_STATUSES",
    "PAYMENT_METHODS",
    "REQUIRED",
    "SCHEDULE_KINDS",
    "SCHEDULE_STATUSES",
    "ValidationError",
    "defaults",
    "validate",
]
