"""The synced collections, their core fields and field types: the sync contract's schema.

The server validates every pushed op against this table, and the device can check its own
writes with the same function before they reach the outbox, so a value the server would
reject is caught where the user can still fix it. The table is data, not code: adding a
field is one line here plus a ``SCHEMA_VERSION`` bump.

Type names (a trailing ``?`` also allows ``None``, used for values that can be cleared):

* ``str`` (text of at most ``MAX_STR_CHARS``), ``bool``, ``int`` (a 64-bit integer, never
  a bool), ``number`` (int or finite float)
* ``date`` -- ``YYYY-MM-DD``; ``datetime`` -- ISO 8601 with ``T`` and a UTC offset
* ``currency`` -- ISO 4217, three capital letters
* ``ref`` -- a record id (non-empty, at most ``MAX_ID_CHARS``) or ``None``: optional
  references
* ``blob`` -- a lowercase sha256 hex digest of an uploaded blob, or ``None``
* ``str_list`` -- at most ``MAX_LIST_ITEMS`` record ids of at most ``MAX_ID_CHARS`` each
* a tuple of strings -- one of those values

Every string must be encodable as UTF-8: a lone UTF-16 surrogate, which JSON can spell
as ``"\\ud800"``, is refused, since neither database can store it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

SCHEMA_VERSION = 2

FieldType = str | tuple[str, ...]

_DEFINITIONS: dict[str, str] = {
    "productions": "name:str starts_on:date ends_on:date timezone:str currency:currency"
    " archived:bool",
    "people": "production_id:ref name:str role:str department:str phone:str email:str"
    " archived:bool",
    "locations": "production_id:ref name:str address:str notes:str lat:number? lon:number?"
    " archived:bool",
    "schedule_items": "production_id:ref day:date kind:str title:str planned_start:datetime"
    " planned_end:datetime? actual_start:datetime? actual_end:datetime? location_id:ref"
    " people_ids:str_list status:str notes:str",
    "checklists": "production_id:ref day:date? title:str is_template:bool template_id:ref"
    " location_id:ref signed_off_by:ref signed_off_at:datetime?",
    "checklist_items": "checklist_id:ref position:int text:str required:bool assignee_id:ref"
    " done:bool done_by:ref done_at:datetime? note:str photo:blob",
    "equipment": "code:str name:str category:str serial:str value_minor:int currency:currency"
    " kit_id:ref flag:none|repair|missing|retired notes:str photo:blob",
    "custody_events": "equipment_id:ref action:str person_id:ref at:datetime due_at:datetime?"
    " condition:str note:str photo:blob production_id:ref resolves:str_list",
    "expenses": "production_id:ref amount_minor:int currency:currency spent_on:date vendor:str"
    " budget_line_id:ref payment_method:str paid_by:ref note:str receipt:blob status:str"
    # Fields a receipt reading proposed, and those of them the person then changed.
    " proposed_fields:str_list changed_fields:str_list",
    "budget_lines": "production_id:ref category:str allocated_minor:int currency:currency",
    "notes": "production_id:ref title:str body:str severity:str status:str photo:blob"
    " at:datetime",
}


def _parse(definition: str) -> dict[str, FieldType]:
    fields: dict[str, FieldType] = {}
    for item in definition.split():
        name, kind = item.split(":")
        fields[name] = tuple(kind.split("|")) if "|" in kind else kind
    return fields


COLLECTIONS: dict[str, dict[str, FieldType]] = {
    coll: _parse(definition) for coll, definition in _DEFINITIONS.items()
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_INT64 = 2**63
#: Longest ``str`` value, record id (``ref`` and ``str_list`` items) and ``str_list``.
MAX_STR_CHARS = 4000
MAX_ID_CHARS = 128
MAX_LIST_ITEMS = 1000
#: Largest record: its fields and their stamps as the UTF-8 JSON a pull sends. Photos and
#: receipts are blobs, so a record is a few lines of text: the largest a crew writes (a
#: schedule item naming 1000 people by UUID) is about 40 KiB, and a record with every
#: field at its cap in plain text (about 150 KiB) still fits.
MAX_RECORD_BYTES = 256 * 1024
#: Most characters of a sent name or value a message quotes back.
QUOTE_CHARS = 60


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: Any) -> bool:
    # fromisoformat alone accepts dates without a time and times without an offset.
    if not isinstance(value, str) or not _is_date(value[:10]) or value[10:11] != "T":
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_text(value: Any, most: int) -> bool:
    """A string of at most ``most`` characters that encodes as UTF-8 (no lone surrogate)."""
    if not isinstance(value, str) or len(value) > most:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _is_id(value: Any) -> bool:
    return value != "" and _is_text(value, MAX_ID_CHARS)


def quote(text: str) -> str:
    """``text`` quoted for a message, cut to ``QUOTE_CHARS`` characters."""
    return repr(text[:QUOTE_CHARS]) + ("…" if len(text) > QUOTE_CHARS else "")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64


_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: _is_text(v, MAX_STR_CHARS),
            f"text of at most {MAX_STR_CHARS} characters (no lone surrogates)"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "int": (_is_int, "a 64-bit integer"),
    "number": (
        lambda v: _is_int(v) or (isinstance(v, float) and math.isfinite(v)),
        "a finite number",
    ),
    "date": (_is_date, "a date as YYYY-MM-DD"),
    "datetime": (_is_datetime, "an ISO 8601 date-time with a UTC offset"),
    "currency": (lambda v: isinstance(v, str) and bool(_CURRENCY.fullmatch(v)), "an ISO 4217 code"),
    "ref": (lambda v: v is None or _is_id(v),
            f"a record id of at most {MAX_ID_CHARS} characters (not empty, no lone"
            " surrogates) or null"),
    "blob": (
        lambda v: v is None or (isinstance(v, str) and bool(_SHA256.fullmatch(v))),
        "a lowercase sha256 hex digest or null",
    ),
    "str_list": (
        lambda v: isinstance(v, list) and len(v) <= MAX_LIST_ITEMS
        and all(_is_text(x, MAX_ID_CHARS) for x in v),
        f"a list of at most {MAX_LIST_ITEMS} ids of at most {MAX_ID_CHARS} characters"
        " (no lone surrogates)",
    ),
}


def check_value(kind: FieldType, value: Any) -> str | None:
    """Return what a value of this field type must be, or None when the value fits."""
    if isinstance(kind, tuple):
        return None if value in kind else "one of " + ", ".join(kind)
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    check, expected = _CHECKS[kind]
    return None if check(value) else expected


def validate_fields(coll: str, fields: Mapping[str, Any]) -> list[str]:
    """List the problems of setting ``fields`` on a record of ``coll``; empty when valid."""
    spec = COLLECTIONS.get(coll)
    if spec is None:
        return [f"unknown collection {quote(coll)}"]
    problems: list[str] = []
    for name, value in fields.items():
        kind = spec.get(name)
        if kind is None:
            problems.append(f"{coll} has no field {quote(name)}")
            continue
        expected = check_value(kind, value)
        if expected is not None:
            shown = quote(value) if isinstance(value, str) else f"{value!r:.{QUOTE_CHARS}}"
            problems.append(f"{coll}.{name} must be {expected}, not {shown}")
    return problems
