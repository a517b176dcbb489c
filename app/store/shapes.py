"""What well-formed journal records and snapshot documents look like.

Both are read back from disk, where anything can happen to them; nothing is applied
or loaded until it has the shape the store relies on, so a damaged file costs the
parts that are damaged and never stops the store from opening.

A document of a collection (and a tombstone) carries ``_hlc``, its stamps, as an
object; a ``_meta`` document is ``{"value": ...}``; ``_store`` is never journaled.
"""

from __future__ import annotations

from typing import Any

META = "_meta"
STATE = "_store"
STAMPS = "_hlc"
TOMBSTONES = "_tombstones"


def stamped(table: str) -> bool:
    return not table.startswith("_") or table == TOMBSTONES


def well_formed_doc(table: str, doc: Any) -> bool:
    if type(doc) is not dict:
        return False
    if stamped(table):
        return type(doc.get(STAMPS)) is dict
    if table == META:
        return "value" in doc
    return True


def well_formed_record(record: Any) -> bool:
    """A journal record: ``{"tx": n >= 1, "w": [[table, id, document or null], ...]}``."""
    if type(record) is not dict:
        return False
    tx, writes = record.get("tx"), record.get("w")
    if type(tx) is not int or tx < 1 or type(writes) is not list:
        return False
    for write in writes:
        if type(write) is not list or len(write) != 3:
            return False
        table, record_id, doc = write
        if type(table) is not str or not table or table == STATE or type(record_id) is not str:
            return False
        if doc is not None and not well_formed_doc(table, doc):
            return False
    return True


def snapshot_tx(tables: dict[str, Any]) -> int | None:
    """The last transaction a snapshot holds (0 if it never held one), or None when its
    bookkeeping is damaged."""
    if STATE not in tables:
        return 0
    store = tables[STATE]
    state = store.get("state") if type(store) is dict else None
    tx = state.get("tx") if type(state) is dict else None
    return tx if type(tx) is int and tx >= 0 else None
