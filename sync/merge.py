"""Merge rules shared by the device store and the sync server.

A record's state is its field values plus, for every field, the HLC stamp of the write
that set it. Merging is last-writer-wins per field: the higher stamp wins; equal stamps
(which only a replayed op can produce) fall back to comparing the values' canonical JSON,
so every replica picks the same winner whatever order ops arrive in. A delete is the
field ``_deleted`` set to ``True`` under its own stamp: a tombstone that later edits of
other fields do not resurrect.

These functions are pure: no I/O, no clock, no storage. Merge is commutative,
associative and idempotent, which is what lets devices and the server converge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DELETED = "_deleted"


@dataclass(frozen=True)
class RecordState:
    """Field values and the per-field HLC stamps that wrote them."""

    fields: dict[str, Any] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)

    @property
    def deleted(self) -> bool:
        return self.fields.get(DELETED) is True

    @property
    def hlc(self) -> str:
        """The newest stamp of any field: when this record last changed."""
        return max(self.stamps.values(), default="")

    def visible_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.fields.items() if k != DELETED}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def wins(stamp: str, value: Any, other_stamp: str | None, other_value: Any) -> bool:
    """Whether a write (stamp, value) beats the current (other_stamp, other_value)."""
    if other_stamp is None or stamp > other_stamp:
        return True
    if stamp < other_stamp:
        return False
    return _canonical(value) > _canonical(other_value)


def merge_fields(
    state: RecordState | None,
    values: Mapping[str, Any],
    stamps: Mapping[str, str],
) -> tuple[RecordState, set[str]]:
    """Merge field writes into a state; return the new state and the fields that changed."""
    fields = dict(state.fields) if state else {}
    current = dict(state.stamps) if state else {}
    changed: set[str] = set()
    for name, value in values.items():
        stamp = stamps[name]
        if wins(stamp, value, current.get(name), fields.get(name)):
            if fields.get(name) != value or current.get(name) != stamp:
                changed.add(name)
            fields[name] = value
            current[name] = stamp
    if not changed and state is not None:
        return state, changed
    return RecordState(fields, current), changed


def apply_op(
    state: RecordState | None, values: Mapping[str, Any], hlc: str, delete: bool = False
) -> tuple[RecordState, set[str]]:
    """Apply one op (a set of fields, or a delete, stamped with one HLC) to a state."""
    writes = dict(values)
    if delete:
        writes[DELETED] = True
    return merge_fields(state, writes, dict.fromkeys(writes, hlc))


def merge(a: RecordState | None, b: RecordState | None) -> RecordState:
    """Merge two states of the same record."""
    if a is None:
        return b if b is not None else RecordState()
    if b is None:
        return a
    merged, _ = merge_fields(a, b.fields, b.stamps)
    return merged
