"""One user action's writes, staged in memory until the store commits them together.

Local writes are stamped with the device's clock, merged field by field exactly as a
remote change would be, and queued in the outbox in the same transaction, so a change
and the op that will sync it are durable together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.ids import new_id
from sync.merge import DELETED, RecordState, apply_op

from .records import STAMPS, detached, to_doc, to_state, visible

if TYPE_CHECKING:
    from .store import Store

OUTBOX = "_outbox"
BLOBS = "_blobs"
RESERVED_FIELDS = frozenset({"id", STAMPS, DELETED})


class RecordNotFound(KeyError):
    def __init__(self, collection: str, record_id: str) -> None:
        super().__init__(f"no {collection} record {record_id}")


class Transaction:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.writes: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.stamped = False

    # -- reads see this transaction's own writes --------------------------------

    def _doc(self, table: str, record_id: str) -> dict[str, Any] | None:
        key = (table, record_id)
        if key in self.writes:
            return self.writes[key]
        return self._store._tables.get(table, {}).get(record_id)

    def get(self, collection: str, record_id: str) -> dict[str, Any] | None:
        doc = self._doc(collection, record_id)
        return None if doc is None else {"id": record_id, **visible(doc)}

    def state(self, collection: str, record_id: str) -> RecordState | None:
        doc = self._doc(collection, record_id)
        if doc is None:
            doc = self._doc("_tombstones", f"{collection}/{record_id}")
        return to_state(doc)

    # -- record writes --------------------------------------------------------------

    def insert(self, collection: str, fields: dict[str, Any], record_id: str | None = None) -> str:
        record_id = record_id or new_id()
        if self.state(collection, record_id) is not None:
            raise ValueError(f"{collection} record {record_id} already exists")
        self._local_op(collection, record_id, fields, delete=False)
        return record_id

    def update(self, collection: str, record_id: str, fields: dict[str, Any]) -> None:
        current = self.get(collection, record_id)
        if current is None:
            raise RecordNotFound(collection, record_id)
        changed = {k: v for k, v in fields.items() if k not in current or current[k] != v}
        if changed:
            self._local_op(collection, record_id, changed, delete=False)

    def delete(self, collection: str, record_id: str) -> None:
        if self.get(collection, record_id) is None:
            raise RecordNotFound(collection, record_id)
        self._local_op(collection, record_id, {}, delete=True)

    def _local_op(
        self, collection: str, record_id: str, fields: dict[str, Any], delete: bool
    ) -> None:
        if collection.startswith("_") or not collection:
            raise ValueError(f"not a collection name: {collection!r}")
        reserved = RESERVED_FIELDS & fields.keys()
        if reserved:
            raise ValueError(f"reserved field names: {sorted(reserved)}")
        fields = detached(fields)
        hlc = self._store.clock.now()
        self.stamped = True
        state, _ = apply_op(self.state(collection, record_id), fields, hlc, delete)
        self.write_state(collection, record_id, state)
        op = {"coll": collection, "id": record_id, "hlc": hlc, "set": fields, "delete": delete}
        self.writes[(OUTBOX, new_id())] = {**op, "status": "pending"}

    def write_state(self, collection: str, record_id: str, state: RecordState) -> None:
        """Stage a record's merged state: live in its table, or as a tombstone."""
        doc = to_doc(state)
        tombstone = f"{collection}/{record_id}"
        if state.deleted:
            self.writes[(collection, record_id)] = None
            self.writes[("_tombstones", tombstone)] = doc
        else:
            self.writes[(collection, record_id)] = doc
            if self._doc("_tombstones", tombstone) is not None:
                self.writes[("_tombstones", tombstone)] = None

    # -- the store's own tables -----------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        self.writes[("_meta", key)] = {"value": value}

    def queue_blob(self, sha256: str) -> None:
        """Mark a stored photo for upload before the ops that reference it."""
        self.writes[(BLOBS, sha256)] = {"status": "pending"}

    def put_private(self, table: str, key: str, doc: dict[str, Any] | None) -> None:
        """Write to one of the store's own tables (outbox, blobs) for the sync layer."""
        if not table.startswith("_"):
            raise ValueError(f"{table!r} is a collection: use insert/update/delete")
        self.writes[(table, key)] = doc
