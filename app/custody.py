"""Who has which item: an append-only log of custody events, and what follows from it.

Nothing here edits or deletes an event. Status, holder and due time are folded from the
log every time they are asked for, so events merged from another device (in any order)
change the answer exactly as if they had been recorded here. The fold orders events as
the store's ``HolderIndex`` does (time, then id) and must always agree with it.

Two devices working offline can each check the same item out to a different person.
After the merge, the log shows a check-out while the item was already out to someone
else: a *conflict*. It stays listed until a person settles it (``custody_actions.
resolve_conflict``): an ``audit`` event whose ``resolves`` names the competing events,
and, when needed, a custody event giving the item to whoever really has it. The
competing events stay in the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.equipment import require_item
from app.models import insert_record
from app.store import Store, Transaction
from app.store.indexes import RETURNS, TAKES, custody_order

STATUSES = ("available", "damaged", "out", "repair", "missing", "retired")
IN_STORE = frozenset({"available", "damaged"})
"""Statuses of an item on the shelf, free to check out ("damaged": usable but not repaired)."""
CONDITIONS = ("good", "worn", "damaged")
Event = Mapping[str, Any]


class CustodyError(ValueError):
    """An action the items' current custody does not allow; the message says why."""


@dataclass(frozen=True)
class Custody:
    """An item's custody now: status, holder and due time, derived from its log."""

    item_id: str
    status: str
    holder_id: str | None = None
    due_at: str | None = None
    since: str | None = None
    damage: dict[str, Any] | None = None
    """The damage reported since the item's last repair, if any (its note says what)."""

    @property
    def in_store(self) -> bool:
        return self.status in IN_STORE

    @property
    def is_out(self) -> bool:
        """Checked out to someone (an item flagged missing or in repair is not "out",
        whoever last had it)."""
        return self.status == "out"

    def is_overdue(self, now: datetime) -> bool:
        return bool(self.is_out and self.due_at and datetime.fromisoformat(self.due_at) < now)


@dataclass(frozen=True)
class OutCount:
    """How many items are out and how many of those are overdue, each item counted once
    (a case and each lens in it are items): the one count Today, Gear and the reports show."""

    out: int
    overdue: int

    @property
    def out_words(self) -> str:
        return f"{self.out} item{'s' * (self.out != 1)} out"

    @property
    def overdue_words(self) -> str:
        return f"{self.overdue} item{'s' * (self.overdue != 1)} overdue"


def count_out(
    states: Iterable[Custody], now: datetime, holders: Collection[str] | None = None
) -> OutCount:
    """Count the items out (to one of ``holders`` when given: a production's people) and
    those of them overdue at ``now``."""
    out = [c for c in states if c.is_out and (holders is None or c.holder_id in holders)]
    return OutCount(len(out), sum(1 for c in out if c.is_overdue(now)))


@dataclass(frozen=True)
class Conflict:
    """An item checked out to ``competing[1]``'s person while ``competing[0]`` held it."""

    item_id: str
    competing: tuple[dict[str, Any], dict[str, Any]]

    @property
    def event_ids(self) -> frozenset[str]:
        return frozenset(event["id"] for event in self.competing)


@dataclass
class _Trail:
    holder: dict[str, Any] | None = None
    due_at: str | None = None
    damage: dict[str, Any] | None = None
    clashes: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    resolved: set[str] = field(default_factory=set)


def ordered(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Events in the order they happened (unreadable times are left out, as the index does)."""
    timed = [(order, dict(e)) for e in events if (order := custody_order(e["id"], e)) is not None]
    return [event for _, event in sorted(timed, key=lambda pair: pair[0])]


def _fold(events: Iterable[Event]) -> _Trail:
    trail = _Trail()
    for event in ordered(events):
        action = event["action"]
        trail.resolved.update(event.get("resolves") or ())
        if action in TAKES:
            held = trail.holder
            if action == "check_out" and held and held.get("person_id") != event.get("person_id"):
                trail.clashes.append((held, event))
            # A transfer hands over the same loan: it keeps the due time unless it sets one.
            keep_due = action == "transfer" and held is not None
            trail.due_at = event.get("due_at") or (trail.due_at if keep_due else None)
            trail.holder = event if event.get("person_id") else None
        elif action in RETURNS:
            trail.holder, trail.due_at = None, None
        if action == "damage":
            trail.damage = event
        elif action == "repair":
            trail.damage = None
    return trail


def derive(item: Event, events: Iterable[Event]) -> Custody:
    """Fold one item's events (plus its repair/missing/retired flag) into its custody.

    An item back in store with damage reported and no repair since is "damaged"."""
    trail = _fold(events)
    holder, damage = trail.holder, trail.damage
    flag = item.get("flag") or "none"
    in_store = "damaged" if damage else "available"
    status = flag if flag != "none" else ("out" if holder else in_store)
    if holder is None:
        return Custody(item["id"], status, damage=damage)
    return Custody(
        item["id"], status, holder["person_id"], trail.due_at, holder["at"], damage=damage
    )


def find_conflicts(item_id: str, events: Iterable[Event]) -> list[Conflict]:
    """The item's competing check-outs that no resolution has settled yet."""
    trail = _fold(events)
    found = [Conflict(item_id, pair) for pair in trail.clashes]
    return [c for c in found if not c.event_ids <= trail.resolved]


# -- reading ---------------------------------------------------------------------------


def history(store: Store, item_id: str) -> list[dict[str, Any]]:
    """Every custody event of one item, oldest first."""
    return ordered(store.lookup("custody_events", "equipment_id", item_id))


def person_history(store: Store, person_id: str) -> list[dict[str, Any]]:
    """Every custody event naming a person (taking, returning, reporting), oldest first."""
    return ordered(store.lookup("custody_events", "person_id", person_id))


def custody_of(store: Store, item_id: str) -> Custody:
    return derive(require_item(store, item_id), history(store, item_id))


def _events_by_item(store: Store) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in store.all("custody_events"):
        grouped[event["equipment_id"]].append(event)
    return grouped


def all_custody(store: Store) -> dict[str, Custody]:
    """Custody of every item, in one pass over the log."""
    grouped = _events_by_item(store)
    return {
        item["id"]: derive(item, grouped.get(item["id"], ())) for item in store.all("equipment")
    }


def held_by(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The items a person holds now (from the store's holder index)."""
    ids = store.index("custody_events", "holder").lookup(person_id)
    found = (store.get("equipment", item_id) for item_id in ids)
    return sorted((item for item in found if item), key=_name)


def overdue(store: Store, now: datetime) -> list[Custody]:
    """Items still out whose due time has passed, the longest overdue first."""
    late = [c for c in all_custody(store).values() if c.is_overdue(now)]
    return sorted(late, key=lambda c: datetime.fromisoformat(c.due_at or ""))


def conflicts(store: Store) -> list[Conflict]:
    """Every unsettled custody conflict, across all items."""
    return [
        conflict
        for item_id, events in _events_by_item(store).items()
        for conflict in find_conflicts(item_id, events)
    ]


def _name(item: Event) -> str:
    return str(item.get("name", "")).casefold()


# -- recording -------------------------------------------------------------------------


def add_event(tx: Transaction, item_id: str, action: str, **fields: Any) -> str:
    """Validate and append one event inside ``tx``; ``fields`` include its ``at``."""

    def check(cleaned: dict[str, Any]) -> None:
        if cleaned["condition"] and cleaned["condition"] not in CONDITIONS:
            raise CustodyError(f"{cleaned['condition']!r} is not a condition; use {CONDITIONS}.")
        if cleaned["photo"]:
            tx.queue_blob(cleaned["photo"])

    record = {"equipment_id": item_id, "action": action, **fields}
    return insert_record(tx, "custody_events", record, check=check)
