"""In-memory indexes for the lookups that must not scan a collection.

Each index watches one collection and is told of every document that enters or leaves
it (local writes, merges of remote changes, deletes, and reopening), so it can never
disagree with the documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

Doc = dict[str, Any]


class Index(Protocol):
    collection: str
    name: str

    def add(self, record_id: str, doc: Doc) -> None: ...
    def add_many(self, rows: Mapping[str, Doc]) -> None: ...
    def remove(self, record_id: str, doc: Doc) -> None: ...
    def lookup(self, key: Hashable) -> set[str]: ...


class FieldIndex:
    """Record ids by the value of one field, or by a tuple of several fields."""

    def __init__(self, collection: str, *fields: str) -> None:
        self.collection = collection
        self.fields = fields
        self.name = "+".join(fields)
        self._ids: dict[Hashable, set[str]] = defaultdict(set)

    def key(self, doc: Doc) -> Hashable:
        if len(self.fields) == 1:
            return _hashable(doc.get(self.fields[0]))
        return tuple(_hashable(doc.get(f)) for f in self.fields)

    def add(self, record_id: str, doc: Doc) -> None:
        self._ids[self.key(doc)].add(record_id)

    def add_many(self, rows: Mapping[str, Doc]) -> None:
        ids, key = self._ids, self.key
        if len(self.fields) == 1:  # the common case, inlined: this runs on every open
            (name,) = self.fields
            for record_id, doc in rows.items():
                value = doc.get(name)
                ids[tuple(value) if isinstance(value, list) else value].add(record_id)
            return
        for record_id, doc in rows.items():
            ids[key(doc)].add(record_id)

    def remove(self, record_id: str, doc: Doc) -> None:
        key = self.key(doc)
        ids = self._ids.get(key)
        if ids is not None:
            ids.discard(record_id)
            if not ids:
                del self._ids[key]

    def lookup(self, key: Hashable) -> set[str]:
        return set(self._ids.get(key, ()))


def _hashable(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


# (when it happened, event id) and the person who holds the item after it (None: returned)
Event = tuple[tuple[str, str], str | None]


def _order(event: Event) -> tuple[str, str]:
    return event[0]


# Custody actions that change who holds an item; the rest (damage, repair, audit) do not.
TAKES = frozenset({"check_out", "transfer"})
RETURNS = frozenset({"check_in"})


def instant_key(at: Any) -> str | None:
    """A text that sorts in time order: the instant in UTC, to the microsecond.

    Times stored in UTC (what devices write) are rewritten by slicing, without parsing:
    opening a database orders hundreds of thousands of custody events. Any other offset
    is parsed. None for a time that cannot be read or has no offset.
    """
    if isinstance(at, str) and at.endswith("+00:00") and at[10:11] == "T":
        if len(at) == 25:  # 2026-11-28T09:00:00+00:00
            return at[:19] + ".000000"
        if len(at) == 29 and at[19] == ".":  # 2026-11-28T09:00:00.000+00:00
            return at[:23] + "000"
    try:
        moment = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def custody_order(record_id: str, doc: Doc) -> tuple[str, str] | None:
    """Events sort by when they happened, then by id (UUIDv7: creation order).

    None for an event whose time cannot be read: the models reject those on entry,
    and an index must never fail a write that is already durable.
    """
    key = instant_key(doc.get("at"))
    return None if key is None else (key, record_id)


class HolderIndex:
    """Who holds each item now, derived from the custody events.

    The holder is the person of the latest check-out or transfer that no later check-in
    follows. Conflicting concurrent check-outs are the custody service's to surface;
    this index answers the everyday question fast.
    """

    collection = "custody_events"
    name = "holder"

    def __init__(self) -> None:
        self._events: dict[str, dict[str, Event]] = {}
        self._latest: dict[str, Event] = {}
        self._holder: dict[str, str] = {}
        self._held: dict[str, set[str]] = defaultdict(set)

    @staticmethod
    def _event(record_id: str, doc: Doc) -> tuple[str, Event] | None:
        action, item = doc.get("action"), doc.get("equipment_id")
        if action in TAKES:
            person = doc.get("person_id")
        elif action in RETURNS:
            person = None
        else:
            return None
        order = custody_order(record_id, doc)
        return None if not item or order is None else (item, (order, person))

    def add(self, record_id: str, doc: Doc) -> None:
        found = self._event(record_id, doc)
        if found is None:
            return
        item, event = found
        self._events.setdefault(item, {})[record_id] = event
        latest = self._latest.get(item)
        if latest is None or event[0] > latest[0]:
            self._set_latest(item, event)

    def add_many(self, rows: Mapping[str, Doc]) -> None:
        """Index a whole collection at once (on open): one max per item, not per event."""
        touched = set()
        for record_id, doc in rows.items():
            found = self._event(record_id, doc)
            if found is not None:
                self._events.setdefault(found[0], {})[record_id] = found[1]
                touched.add(found[0])
        for item in touched:
            self._set_latest(item, max(self._events[item].values(), key=_order))

    def remove(self, record_id: str, doc: Doc) -> None:
        item = doc.get("equipment_id")
        events = self._events.get(item) if item else None
        if not events or events.pop(record_id, None) is None:
            return
        if events:
            self._set_latest(item, max(events.values(), key=_order))
        else:
            del self._events[item]
            self._set_latest(item, None)

    def _set_latest(self, item: str, event: Event | None) -> None:
        old = self._holder.pop(item, None)
        if old is not None:
            self._held[old].discard(item)
        if event is None:
            self._latest.pop(item, None)
            return
        self._latest[item] = event
        person = event[1]
        if person is not None:
            self._holder[item] = person
            self._held[person].add(item)

    def lookup(self, key: Hashable) -> set[str]:
        """Items held by the person ``key``."""
        return set(self._held.get(key, ()))  # type: ignore[arg-type]

    def holder_of(self, item: str) -> str | None:
        return self._holder.get(item)


def default_indexes() -> list[Index]:
    return [
        FieldIndex("equipment", "code"),
        FieldIndex("equipment", "kit_id"),
        FieldIndex("schedule_items", "production_id", "day"),
        FieldIndex("checklists", "production_id", "day"),
        FieldIndex("checklist_items", "checklist_id"),
        FieldIndex("expenses", "production_id", "spent_on"),
        FieldIndex("custody_events", "equipment_id"),
        FieldIndex("custody_events", "person_id"),
        HolderIndex(),
    ]


def build(indexes: Iterable[Index], tables: dict[str, dict[str, Doc]]) -> None:
    for index in indexes:
        index.add_many(tables.get(index.collection, {}))
