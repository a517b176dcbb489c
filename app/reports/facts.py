"""What the daily and wrap reports state, read once from the services and the store.

Definitions stay with their owners: "overdue" and an item's status come from
:mod:`app.custody`, the running order from :mod:`app.schedule`, spend from
:mod:`app.budget`. This module only selects and joins, and turns times into the
production's local clock.

A note's day is its ``at`` time in the production's zone; a note from a device that
predates ``at`` falls back to the creation time inside its UUIDv7 id.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.checklists import Progress, checklists_for_day, progress
from app.custody import Custody, OutCount, count_out, derive
from app.money import format_amount
from app.productions import (
    get_production,
    list_locations,
    list_people,
    production_days,
    production_zone,
)
from app.store import Store


@dataclass(frozen=True)
class ProductionFacts:
    """The production with the names its records point at."""

    record: dict[str, Any]
    zone: ZoneInfo
    days: list[str]
    people: dict[str, str]
    locations: dict[str, str]

    def person(self, person_id: str | None) -> str:
        return self.people.get(person_id or "", "") if person_id else ""

    def location(self, location_id: str | None) -> str:
        return self.locations.get(location_id or "", "")

    def clock(self, value: str | None) -> str:
        """A stored time as the call sheet shows it: 07:30 local (with the date if needed)."""
        if not value:
            return ""
        return datetime.fromisoformat(value).astimezone(self.zone).strftime("%H:%M")

    def when(self, value: str | None) -> str:
        if not value:
            return ""
        return datetime.fromisoformat(value).astimezone(self.zone).strftime("%a %d %b %H:%M")

    def day_label(self, day: str) -> str:
        number = self.days.index(day) + 1 if day in self.days else "?"
        stamp = datetime.fromisoformat(day).strftime("%A %d %B %Y")
        return f"Day {number} of {len(self.days)}, {stamp}"


def production_facts(store: Store, production_id: str) -> ProductionFacts:
    production = get_production(store, production_id)
    people = {p["id"]: p["name"] for p in list_people(store, production_id, include_removed=True)}
    places = {
        loc["id"]: loc["name"]
        for loc in list_locations(store, production_id, include_removed=True)
    }
    return ProductionFacts(
        production, production_zone(production), production_days(production), people, places
    )


def money(amount: int, currency: str) -> str:
    """An amount for a report cell; overspends (negative remainders) get a minus sign."""
    text = format_amount(abs(amount), currency)
    return f"-{text}" if amount < 0 else text


def money_list(amounts: dict[str, int]) -> str:
    return ", ".join(money(amount, currency) for currency, amount in sorted(amounts.items()))


def minutes_late(planned: str | None, actual: str | None) -> int | None:
    """Positive when ``actual`` came after ``planned``; None when either is missing."""
    if not planned or not actual:
        return None
    delta = datetime.fromisoformat(actual) - datetime.fromisoformat(planned)
    return round(delta.total_seconds() / 60)


# -- checklists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistProgress:
    checklist: dict[str, Any]
    progress: Progress

    @property
    def percent(self) -> int:
        done, total = self.progress.done, self.progress.total
        return round(100 * done / total) if total else 100

    @property
    def required_open(self) -> int:
        return self.progress.required_total - self.progress.required_done

    def cells(self, facts: ProductionFacts) -> list[str]:
        """Title, location, done, required open, signed off by: a report's table row."""
        return [
            self.checklist["title"],
            facts.location(self.checklist["location_id"]),
            f"{self.progress.done}/{self.progress.total} ({self.percent}%)",
            str(self.required_open) if self.required_open else "none",
            facts.person(self.checklist["signed_off_by"]) or "not signed off",
        ]


def checklists(
    store: Store, facts: ProductionFacts, day: str | None = None
) -> list[ChecklistProgress]:
    """Checklist instances (not templates) of one day, or of every production day."""
    days = [day] if day else facts.days
    return [
        ChecklistProgress(checklist, progress(store, checklist["id"]))
        for one_day in days
        for checklist in checklists_for_day(store, facts.record["id"], one_day)
        if not checklist["is_template"]
    ]


# -- gear ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GearLine:
    """An item out, or a case out with ``inside`` items travelling in it."""

    item: dict[str, Any]
    custody: Custody
    inside: int = 0

    @property
    def title(self) -> str:
        """The item's name; a case also says how many items travel in it."""
        return self.item["name"] + (f" (+{self.inside} items in it)" if self.inside else "")


FLAGGED = ("damaged", "repair", "missing")


def flag_note(item: dict[str, Any], custody: Custody) -> str:
    """What the report says about a flagged item: its damage note, else its notes."""
    return (custody.damage or {}).get("note") or item.get("notes") or ""


@dataclass(frozen=True)
class GearFacts:
    count: OutCount
    """Items out and overdue, each counted once (the lines group a case's contents)."""
    out: list[GearLine]
    overdue: list[GearLine]
    flagged: list[tuple[dict[str, Any], Custody]]
    """Items in repair, missing, or back damaged and not yet repaired (as they are now)."""
    damage_reports: list[dict[str, Any]]


def gear_facts(
    store: Store, facts: ProductionFacts, at: datetime, day: str | None = None
) -> GearFacts:
    """Gear held by this production's people at ``at`` (overdue by then), flagged items,
    and damage reported on ``day`` (or during the whole production)."""
    items = {item["id"]: item for item in store.all("equipment")}
    events: dict[str, list[dict[str, Any]]] = {}
    for event in store.all("custody_events"):
        if datetime.fromisoformat(event["at"]) <= at:
            events.setdefault(event["equipment_id"], []).append(event)
    states = {item_id: derive(item, events.get(item_id, ())) for item_id, item in items.items()}
    ours = {c.item_id: c for c in states.values() if c.is_out and c.holder_id in facts.people}
    lines = _collapse_kits(items, ours)
    flagged = [(items[c.item_id], c) for c in states.values() if c.status in FLAGGED]
    damage = [
        {**event, "item": items.get(event["equipment_id"], {}).get("name", "?")}
        for item_events in events.values()
        for event in item_events
        if event["production_id"] == facts.record["id"]
        and (event["action"] == "damage" or event["condition"] == "damaged")
        and (day is None or local_day(event["at"], facts.zone) == day)
    ]
    return GearFacts(
        count_out(states.values(), at, holders=facts.people),
        lines,
        [line for line in lines if line.custody.is_overdue(at)],
        sorted(flagged, key=lambda pair: pair[0]["name"].casefold()),
        sorted(damage, key=lambda event: event["at"]),
    )


def _collapse_kits(items: dict[str, dict[str, Any]], out: dict[str, Custody]) -> list[GearLine]:
    """One line per case out with the same holder as its contents, not one per lens."""

    def shown_as(item_id: str) -> str:
        parent = items[item_id]["kit_id"]
        seen = {item_id}
        while (
            parent in out and parent not in seen and out[parent].holder_id == out[item_id].holder_id
        ):
            item_id, parent = parent, items[parent]["kit_id"]
            seen.add(item_id)
        return item_id

    inside: dict[str, int] = {}
    for item_id in out:
        top = shown_as(item_id)
        inside[top] = inside.get(top, 0) + (top != item_id)
    lines = [GearLine(items[i], out[i], count) for i, count in inside.items()]
    return sorted(lines, key=lambda line: line.item["name"].casefold())


# -- notes --------------------------------------------------------------------------------


def created_at(record_id: str) -> datetime | None:
    """The creation time inside a UUIDv7 id; None for ids of another kind."""
    try:
        parsed = uuid.UUID(record_id)
    except ValueError:
        return None
    if parsed.version != 7:
        return None
    return datetime.fromtimestamp((parsed.int >> 80) / 1000, UTC)


def local_day(value: str | datetime, zone: ZoneInfo) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(zone).date().isoformat()


def written_at(note: Mapping[str, Any]) -> datetime | None:
    """When a note says it happened: its ``at``, else the moment its id was made."""
    at = note.get("at")
    return datetime.fromisoformat(at) if at else created_at(note["id"])


def notes(store: Store, facts: ProductionFacts, day: str | None = None) -> list[dict[str, Any]]:
    """All notes, or for a day: those written that day plus any still open from before.

    Each comes with ``written_on`` (its local day) and ``written_at`` (its time in UTC,
    ISO 8601, so the text sorts in time order)."""
    chosen = []
    for note in store.all("notes"):
        if note["production_id"] != facts.record["id"]:
            continue
        moment = written_at(note)
        written = local_day(moment, facts.zone) if moment else ""
        if day is None or written == day or (note["status"] == "open" and written < day):
            stamp = moment.astimezone(UTC).isoformat() if moment else ""
            chosen.append({**note, "written_on": written, "written_at": stamp})
    severity = {"critical": 0, "major": 1, "minor": 2, "info": 3}
    return sorted(chosen, key=lambda n: (severity.get(n["severity"], 4), n["written_at"], n["id"]))
