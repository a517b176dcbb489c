"""The semantic rules of each collection: what a field's type alone cannot say.

A rule names the fields it reads and returns ``(field, message)`` for the first problem
in a record, or None. Rules see the record's merged values (current + new) and, for
checks that need other records (a cycle of kits), a ``lookup(coll, id)`` callable.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.money import CURRENCY_EXPONENTS, MAX_MINOR, currency_problem

from .vocab import ENUMS

Lookup = Callable[[str, str], Mapping[str, Any] | None]
Problem = tuple[str, str]


@dataclass(frozen=True)
class Rule:
    fields: tuple[str, ...]
    check: Callable[[Mapping[str, Any], Lookup | None], Problem | None]


_SPOKEN = {
    "starts_on": "first day",
    "ends_on": "last day",
    "planned_start": "planned start",
    "planned_end": "planned end",
    "due_at": "due time",
    "at": "time recorded",
}
"""Fields whose names read as code: what a crew member calls them."""


def label(field: str) -> str:
    """How a field is named in messages: "planned_end" -> "planned end", "ends_on" ->
    "last day"."""
    return _SPOKEN.get(field) or field.removesuffix("_minor").replace("_", " ")


_SPOKEN_KINDS = {
    "date": "a date, e.g. 2026-12-05",
    "datetime": "a date and time",
    "int": "a whole number",
    "number": "a number",
    "bool": "yes or no",
}
"""What a value of a field type is, said to a person (the sync schema's words are for
developers: "an ISO 8601 date-time with a UTC offset")."""


def type_problem(field: str, kind: Any, value: Any, expected: str) -> str:
    """Why ``value`` does not fit ``field`` of type ``kind``; ``expected`` is the sync
    schema's description, used where there are no plainer words."""
    base = kind.removesuffix("?") if isinstance(kind, str) else ""
    if base == "currency":
        return currency_problem(value)
    return f"The {label(field)} must be {_SPOKEN_KINDS.get(base, expected)}."


def _not_blank(field: str) -> Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        if not str(record.get(field) or "").strip():
            return field, f"The {label(field)} must not be empty."
        return None

    return Rule((field,), check)


def _currency(field: str = "currency") -> Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        code = record.get(field)
        if code not in CURRENCY_EXPONENTS:
            return field, currency_problem(code)
        return None

    return Rule((field,), check)


def _amount(field: str) -> Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        value = record.get(field)
        if isinstance(value, int) and value < 0:
            return field, f"The {label(field)} must not be negative."
        if isinstance(value, int) and value > MAX_MINOR:
            return field, f"The {label(field)} is implausibly large."
        return None

    return Rule((field,), check)


def _ordered(start: str, end: str) -> Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        first, last = _moment(record.get(start)), _moment(record.get(end))
        if first is not None and last is not None and last < first:
            return end, (
                f"The {label(end)} ({spoken_moment(record[end])}) is before the "
                f"{label(start)} ({spoken_moment(record[start])})."
            )
        return None

    return Rule((start, end), check)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def spoken_moment(value: str) -> str:
    """A stored day or time as a message says it: "Sat 5 Dec 2026", or "Sat 5 Dec 2026
    18:20" for a time (in the offset it was stored with, the production's)."""
    moment = datetime.fromisoformat(value)
    day = f"{moment:%a} {moment.day} {moment:%b %Y}"
    return day if len(value) == len("YYYY-MM-DD") else f"{day} {moment:%H:%M}"



def _one_of(coll: str, field: str) -> Rule:
    allowed = ENUMS[(coll, field)]

    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        if record.get(field) not in allowed:
            choices = ", ".join(allowed)
            return field, f"{record.get(field)!r} is not a {label(field)}; use one of {choices}."
        return None

    return Rule((field,), check)


def _time_zone(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
    name = record.get("timezone")
    try:
        zoneinfo.ZoneInfo(name)  # type: ignore[arg-type]
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return "timezone", f"{name!r} is not an IANA time zone (e.g. Europe/London)."
    return None


def _range(field: str, limit: float) -> Rule:
    def check(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
        value = record.get(field)
        if value is not None and not -limit <= value <= limit:
            return field, f"The {label(field)} must be between -{limit:g} and {limit:g}."
        return None

    return Rule((field,), check)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
    address = record.get("email")
    if address and not _EMAIL.fullmatch(address):
        return "email", f"{address!r} does not look like an email address."
    return None


def _holder_named(record: Mapping[str, Any], _: Lookup | None) -> Problem | None:
    if record.get("action") in ("check_out", "transfer") and not record.get("person_id"):
        return "person_id", f"A {record['action'].replace('_', '-')} needs the person taking it."
    return None


def _kit_acyclic(record: Mapping[str, Any], lookup: Lookup | None) -> Problem | None:
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


RULES: dict[str, list[Rule]] = {
    "productions": [
        _not_blank("name"),
        _currency(),
        Rule(("timezone",), _time_zone),
        _ordered("starts_on", "ends_on"),
    ],
    "people": [_not_blank("name"), Rule(("email",), _email)],
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
        Rule(("kit_id",), _kit_acyclic),
    ],
    "custody_events": [
        _one_of("custody_events", "action"),
        Rule(("action", "person_id"), _holder_named),
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
