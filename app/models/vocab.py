"""The fixed vocabularies of the domain, and what a new record starts with.

One place for the words a status, kind or action may take: services validate against
them and views build their pickers from them, so the two never disagree.
"""

from __future__ import annotations

import copy
from typing import Any

from sync.schema import COLLECTIONS

SCHEDULE_KINDS = (
    "crew_call", "load_in", "setup", "rehearsal", "scene", "session",
    "meal", "break", "travel", "load_out", "wrap", "other",
)  # fmt: skip
SCHEDULE_STATUSES = ("planned", "started", "done", "delayed", "cancelled")
CUSTODY_ACTIONS = ("check_out", "check_in", "transfer", "damage", "repair", "audit")
PAYMENT_METHODS = ("petty_cash", "company_card", "personal")
EXPENSE_STATUSES = ("draft", "submitted", "approved", "reimbursed", "rejected")
NOTE_SEVERITIES = ("info", "minor", "major", "critical")
NOTE_STATUSES = ("open", "resolved")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("schedule_items", "kind"): SCHEDULE_KINDS,
    ("schedule_items", "status"): SCHEDULE_STATUSES,
    ("custody_events", "action"): CUSTODY_ACTIONS,
    ("expenses", "payment_method"): (*PAYMENT_METHODS, "float_issue"),  # see app.expenses
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
    "notes": ("production_id", "title", "at"),
}

_DEFAULT_BY_TYPE: dict[str, Any] = {"str": "", "bool": False, "int": 0, "str_list": []}
_DEFAULT_OVERRIDES: dict[tuple[str, str], Any] = {
    ("schedule_items", "status"): "planned",
    ("expenses", "status"): "draft",
    ("notes", "severity"): "info",
    ("notes", "status"): "open",
    ("equipment", "flag"): "none",
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
