"""How a record is kept as a TinyDB document.

A document is the record's fields plus ``_hlc``, its per-field stamps. Most fields of a
record share one stamp (they were written together), so ``_hlc`` keeps the most common
stamp under ``""`` and lists only the fields that differ: a custody event carries one
stamp instead of ten, which keeps the snapshot small and opening fast.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sync.merge import DELETED, RecordState

STAMPS = "_hlc"
DEFAULT = ""


def to_state(doc: dict[str, Any] | None) -> RecordState | None:
    if doc is None:
        return None
    packed: dict[str, str] = doc[STAMPS]
    default = packed.get(DEFAULT, "")
    fields = {k: v for k, v in doc.items() if k != STAMPS}
    return RecordState(fields, {k: packed.get(k, default) for k in fields})


def to_doc(state: RecordState) -> dict[str, Any]:
    doc: dict[str, Any] = dict(state.fields)
    if not state.stamps:
        doc[STAMPS] = {}
        return doc
    default = Counter(state.stamps.values()).most_common(1)[0][0]
    packed = {k: s for k, s in state.stamps.items() if s != default}
    packed[DEFAULT] = default
    doc[STAMPS] = packed
    return doc


def is_deleted(doc: dict[str, Any]) -> bool:
    return doc.get(DELETED) is True


def detached(fields: dict[str, Any]) -> dict[str, Any]:
    """A copy sharing nothing mutable with ``fields``. Values are JSON scalars or lists
    of them (``people_ids``), so copying the lists is a full copy: a caller that edits
    a record it read, or a dict it wrote, cannot change the store behind the journal."""
    return {k: list(v) if isinstance(v, list) else v for k, v in fields.items()}


def visible(doc: dict[str, Any]) -> dict[str, Any]:
    """The record's fields as services see them: no stamps, no tombstone marker."""
    return detached({k: v for k, v in doc.items() if k != STAMPS and k != DELETED})
