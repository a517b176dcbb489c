"""Validated writes: the one path every service takes to put a record in the store.

Each helper validates inside the caller's transaction (so ``current`` and kit lookups
see the transaction's own staged writes) and raises before anything is staged, so a
bad value leaves the store untouched even when other writes of the action came first:
the exception leaves the ``with store.transaction()`` block and nothing commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.store import RecordNotFound, Transaction

from .rules import Lookup
from .validation import validate


def require(lookup: Lookup, coll: str, record_id: str) -> dict[str, Any]:
    """The record from ``store.get`` or ``tx.get``, or :class:`RecordNotFound` (an id from
    a stale screen, or a reference whose record has not synced to this device yet)."""
    record = lookup(coll, record_id)
    if record is None:
        raise RecordNotFound(coll, record_id)
    return dict(record)


Check = Callable[[dict[str, Any]], None]
"""A service's own step between validation and staging: it sees the cleaned fields and
may refuse them (a kit that does not exist) or queue what the record refers to."""


def insert_record(
    tx: Transaction,
    coll: str,
    fields: Mapping[str, Any],
    record_id: str | None = None,
    *,
    check: Check | None = None,
) -> str:
    """Validate a new record, fill its defaults, stage it; return its id (a new UUIDv7
    unless ``record_id`` is given, e.g. a fixed id that every device derives alike)."""
    cleaned = validate(coll, fields, lookup=tx.get)
    if check is not None:
        check(cleaned)
    return tx.insert(coll, cleaned, record_id)


def update_record(
    tx: Transaction,
    coll: str,
    record_id: str,
    fields: Mapping[str, Any],
    *,
    check: Check | None = None,
) -> dict[str, Any]:
    """Validate a partial update against the current record, stage it; return the result."""
    current = require(tx.get, coll, record_id)
    cleaned = validate(coll, fields, current=current, lookup=tx.get)
    if check is not None:
        check(cleaned)
    tx.update(coll, record_id, cleaned)
    return {**current, **cleaned}
