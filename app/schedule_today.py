"""Reading the schedule on the day: what is on now, what is next, when each person is called.

"Today" is the date on location, in the production's time zone, not the phone's: a
producer in London checking a Tokyo shoot sees Tokyo's day. The clock is a parameter so
tests (and a "what if it were 14:00" preview) can ask about any instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.clock import utc_now
from app.productions import get_production, list_people, production_zone
from app.schedule import Clock, day_items, instant
from app.store import Store

Item = Mapping[str, Any]


@dataclass(frozen=True)
class Today:
    """The production's current day, the items under way and the one coming up."""

    day: str
    now: list[dict[str, Any]] = field(default_factory=list)
    next: dict[str, Any] | None = None


def is_running(item: Item, at: datetime) -> bool:
    """Under way at ``at``: started and not finished, or planned and inside its slot.

    An item nobody marked is taken to run as planned; one with no planned end is a
    moment (a crew call), which is under way only once someone marks it started.
    """
    status = item["status"]
    if status in ("started", "delayed") and item.get("actual_start") and not item.get("actual_end"):
        return True
    if status != "planned" or item.get("planned_end") is None:
        return False
    return instant(item["planned_start"]) <= at < instant(item["planned_end"])


def is_pending(item: Item, at: datetime) -> bool:
    """Still to come: planned for later, or delayed and not yet started."""
    if item["status"] not in ("planned", "delayed") or item.get("actual_start"):
        return False
    return item["status"] == "delayed" or instant(item["planned_start"]) > at


def _order(item: Item) -> tuple[datetime, str, str]:
    return instant(item["planned_start"]), item["title"], item["id"]


def now_and_next(items: Iterable[Item], at: datetime) -> tuple[list[Item], Item | None]:
    """The running items (in schedule order) and the first pending one, at ``at``."""
    ordered = sorted(items, key=_order)
    running = [i for i in ordered if is_running(i, at)]
    pending = (i for i in ordered if not is_running(i, at) and is_pending(i, at))
    return running, next(pending, None)


def local_day(store: Store, production_id: str, at: datetime) -> str:
    zone = production_zone(get_production(store, production_id))
    return at.astimezone(zone).date().isoformat()


def today(store: Store, production_id: str, *, clock: Clock = utc_now) -> Today:
    """Now and next for the production's current day.

    Yesterday's items count while they still matter: a night shoot that runs past
    midnight is "now" at 01:00, its 02:00 wrap is "next", and a scene delayed
    yesterday and never started is still waiting.
    """
    at = clock()
    day = local_day(store, production_id, at)
    yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    late = [
        i
        for i in day_items(store, production_id, yesterday)
        if is_running(i, at) or is_pending(i, at)
    ]
    running, upcoming = now_and_next([*late, *day_items(store, production_id, day)], at)
    return Today(day, [dict(i) for i in running], dict(upcoming) if upcoming else None)


# -- call times --------------------------------------------------------------------------


def call_time_of(items: Iterable[Item], person_id: str) -> datetime | None:
    """A person's call: their crew call if they have one, else their first item.

    A crew call that names nobody is the whole crew's call. Cancelled items don't count.
    """
    mine = [
        i
        for i in items
        if i["status"] != "cancelled"
        and (person_id in i["people_ids"] or (i["kind"] == "crew_call" and not i["people_ids"]))
    ]
    calls = [i for i in mine if i["kind"] == "crew_call"] or mine
    return min((instant(i["planned_start"]) for i in calls), default=None)


def call_times(store: Store, production_id: str, day: str) -> dict[str, datetime]:
    """Each crew member's call time for ``day`` in the production's time zone; people
    with nothing on that day are left out."""
    zone = production_zone(get_production(store, production_id))
    items = day_items(store, production_id, day)
    calls = {p["id"]: call_time_of(items, p["id"]) for p in list_people(store, production_id)}
    return {person: call.astimezone(zone) for person, call in calls.items() if call}


def call_time(store: Store, production_id: str, day: str, person_id: str) -> datetime | None:
    call = call_time_of(day_items(store, production_id, day), person_id)
    zone = production_zone(get_production(store, production_id))
    return call.astimezone(zone) if call else None
