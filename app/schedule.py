"""The production's running order: items per day, their planned and actual times.

Times are stored as ISO 8601 with the production's local offset, so "07:00+00:00" on a
Lisbon shoot reads as the call sheet does. A time given without an offset (a naive
``datetime`` or "2026-11-26T07:00") is taken as wall-clock time in the production's time
zone, which is how a coordinator types it. Planned times never change when the day
runs late: marking an item started, done or delayed records what actually happened
beside them, which is what the daily report compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from app.clock import utc_now
from app.models import insert_record, require, update_record
from app.productions import get_production, production_days, production_zone
from app.store import Store

Clock = Callable[[], datetime]
TimeInput = datetime | str
TIME_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")
NIGHT_SHOOT_SPILL = timedelta(hours=12)
"""An item may start up to noon of the next day and still belong to its shooting day:
night shoots and load-outs run past midnight."""


class ScheduleError(ValueError):
    """A schedule change that does not make sense; the message says why."""


def instant(value: str) -> datetime:
    """A stored time as an aware ``datetime``."""
    return datetime.fromisoformat(value)


def _stored_time(value: TimeInput | None, zone: ZoneInfo) -> str | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone).isoformat()


def _prepared(store: Store, production_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise times into the production's zone; check the item fits its day."""
    production = get_production(store, production_id)
    zone = production_zone(production)
    prepared = dict(fields)
    for name in TIME_FIELDS:
        if name in prepared:
            prepared[name] = _stored_time(prepared[name], zone)
    if "people_ids" in prepared:
        prepared["people_ids"] = list(dict.fromkeys(prepared["people_ids"]))
    day, start = prepared.get("day"), prepared.get("planned_start")
    if day is not None and day not in production_days(production):
        raise ScheduleError(f"{day} is not a day of {production['name']}.")
    if day is not None and start is not None:
        opens = datetime.combine(date.fromisoformat(day), datetime.min.time(), zone)
        if not opens <= instant(start) < opens + timedelta(days=1) + NIGHT_SHOOT_SPILL:
            raise ScheduleError(f"The planned start {start} is not on {day}.")
    return prepared


def add_item(
    store: Store,
    production_id: str,
    *,
    day: str,
    kind: str,
    title: str,
    planned_start: TimeInput,
    planned_end: TimeInput | None = None,
    location_id: str | None = None,
    people_ids: Iterable[str] = (),
    notes: str = "",
) -> str:
    """Add an item to a day of the production; returns its id."""
    fields = _prepared(
        store,
        production_id,
        {
            "production_id": production_id,
            "day": day,
            "kind": kind,
            "title": title,
            "planned_start": planned_start,
            "planned_end": planned_end,
            "location_id": location_id,
            "people_ids": list(people_ids),
            "notes": notes,
        },
    )
    with store.transaction() as tx:
        return insert_record(tx, "schedule_items", fields)


def edit_item(store: Store, item_id: str, **changes: Any) -> dict[str, Any]:
    """Change some of an item's fields; returns the updated item."""
    item = require(store.get, "schedule_items", item_id)
    placed = {"day": item["day"], "planned_start": item["planned_start"], **changes}
    fields = {
        k: v for k, v in _prepared(store, item["production_id"], placed).items() if k in changes
    }
    with store.transaction() as tx:
        return update_record(tx, "schedule_items", item_id, fields)


def delete_item(store: Store, item_id: str) -> None:
    with store.transaction() as tx:
        require(tx.get, "schedule_items", item_id)
        tx.delete("schedule_items", item_id)


def day_items(store: Store, production_id: str, day: str) -> list[dict[str, Any]]:
    """The day's running order: by planned start, then title."""
    items = store.lookup("schedule_items", "production_id+day", (production_id, day))
    return sorted(items, key=lambda i: (instant(i["planned_start"]), i["title"], i["id"]))


# -- what actually happened -------------------------------------------------------------

_OPEN = frozenset({"planned", "delayed", "started"})


def _mark(store: Store, item_id: str, status: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    item = require(store.get, "schedule_items", item_id)
    if item["status"] not in _OPEN:
        raise ScheduleError(f"{item['title']!r} is already {item['status']}.")
    return edit_item(store, item_id, status=status, **changes)


def mark_started(
    store: Store, item_id: str, *, at: TimeInput | None = None, clock: Clock = utc_now
) -> dict[str, Any]:
    """Record that the item started (now, or at a corrected time)."""
    return _mark(store, item_id, "started", {"actual_start": at or clock()})


def mark_done(
    store: Store, item_id: str, *, at: TimeInput | None = None, clock: Clock = utc_now
) -> dict[str, Any]:
    """Record that the item finished; an end before its actual start is refused."""
    return _mark(store, item_id, "done", {"actual_end": at or clock()})


def mark_delayed(
    store: Store, item_id: str, *, reason: str = "", clock: Clock = utc_now
) -> dict[str, Any]:
    """Flag the item as running late; the reason is added to its notes with the time."""
    item = require(store.get, "schedule_items", item_id)
    zone = production_zone(get_production(store, item["production_id"]))
    stamp = clock().astimezone(zone).strftime("%H:%M")
    line = f"[{stamp}] Delayed" + (f": {reason.strip()}" if reason.strip() else "")
    notes = f"{item['notes']}\n{line}" if item["notes"] else line
    return _mark(store, item_id, "delayed", {"notes": notes})


def mark_cancelled(store: Store, item_id: str) -> dict[str, Any]:
    return _mark(store, item_id, "cancelled", {})


# -- running order ----------------------------------------------------------------------


def reorder_day(store: Store, production_id: str, day: str, ordered_ids: Sequence[str]) -> None:
    """Put the day's items in a new order, in one transaction.

    The day keeps its rhythm: the first item still starts when the day started, each
    item keeps its length, and the gap (or overlap) after each position is kept, so a
    lunch break stays a lunch break wherever the scenes around it move.
    """
    items = day_items(store, production_id, day)
    if sorted(ordered_ids) != sorted(i["id"] for i in items):
        raise ScheduleError(f"The new order must list each item of {day} exactly once.")
    by_id = {i["id"]: i for i in items}
    gaps = [
        instant(after["planned_start"]) - (instant(before["planned_start"]) + _length(before))
        for before, after in pairwise(items)
    ]
    if not items:
        return
    start = instant(items[0]["planned_start"])
    with store.transaction() as tx:
        for position, item_id in enumerate(ordered_ids):
            item, length = by_id[item_id], _length(by_id[item_id])
            changes = {"planned_start": start.isoformat()}
            if item["planned_end"] is not None:
                changes["planned_end"] = (start + length).isoformat()
            update_record(tx, "schedule_items", item_id, changes)
            start = start + length + (gaps[position] if position < len(gaps) else timedelta())


def _length(item: Mapping[str, Any]) -> timedelta:
    if item["planned_end"] is None:
        return timedelta()
    return instant(item["planned_end"]) - instant(item["planned_start"])
