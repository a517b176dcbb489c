"""Records at the boundary: validation, the domain's vocabularies, validated writes.

Services call :func:`validate` (or :func:`insert_record` / :func:`update_record`, which
validate inside a transaction) before every write, so a bad value raises
:class:`ValidationError` and nothing is stored. See ``validation`` for the rules' design.
"""

from __future__ import annotations

from .rules import Lookup
from .validation import ValidationError, validate
from .vocab import (
    CUSTODY_ACTIONS,
    ENUMS,
    EXPENSE_STATUSES,
    NOTE_SEVERITIES,
    NOTE_STATUSES,
    PAYMENT_METHODS,
    REQUIRED,
    SCHEDULE_KINDS,
    SCHEDULE_STATUSES,
    defaults,
)
from .writes import insert_record, require, update_record

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
    "Lookup",
    "ValidationError",
    "defaults",
    "insert_record",
    "require",
    "update_record",
    "validate",
]
