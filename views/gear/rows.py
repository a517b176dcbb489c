"""What the Gear list shows: one row per item, and which rows a search and filters keep.

Kept free of Flet so the rules are tested directly. Rows are built in one pass over the
custody log (``app.custody.all_custody``) and filtered in memory, so typing in the
search field stays instant with thousands of items; the list itself only draws a page
of the matches at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.custody import Custody, all_custody
from app.equipment import items, short_code
from app.productions import list_people, production_zone
from app.store import Store

ALL = "*"
"""The filter value that matches everything (a dropdown's "All …" option)."""

STATUS_LABELS = {
    "available": "Available",
    "damaged": "Available, damaged",
    "out": "Out",
    "repair": "In repair",
    "missing": "Missing",
    "retired": "Retired",
}


@dataclass(frozen=True)
class GearRow:
    """An item with its custody now and the words a person searches it by."""

    item: dict[str, Any]
    custody: Custody
    holder: str
    code: str

    @property
    def id(self) -> str:
        return str(self.item["id"])

    @property
    def haystack(self) -> str:
        fields = (self.item["name"], self.item["category"], self.item["serial"], self.code,
                  self.holder)  # not the crewkit:eq:<uuid> payload: its hex matches anything
        return " ".join(str(f) for f in fields).casefold()


@dataclass(frozen=True)
class GearFilter:
    """The list's search and filters; :data:`ALL` in a field means it does not filter."""

    query: str = ""
    status: str = ALL
    category: str = ALL
    holder: str = ALL

    def matches(self, row: GearRow) -> bool:
        words = self.query.casefold().split()
        return (
            all(word in row.haystack for word in words)
            and (self.status == ALL or row.custody.status == self.status)
            and (self.category == ALL or row.item["category"] == self.category)
            and (self.holder == ALL or row.custody.holder_id == self.holder)
        )


def people_names(store: Store, production_id: str | None) -> dict[str, str]:
    """Person id -> name of the open production's crew: whom gear can go to."""
    if production_id is None:
        return {}
    return {p["id"]: p["name"] for p in list_people(store, production_id)}


def holder_names(store: Store, production_id: str | None) -> dict[str, str]:
    """Person id -> name for everyone the Gear screens may show as a holder or in an
    item's history: gear is shared by every production, so this is everyone on the
    device, people taken off a crew list too, with the production named for someone on
    another one ("Rita Moreno, Salt Line")."""
    productions = {p["id"]: p["name"] for p in store.all("productions")}
    names = {}
    for person in store.all("people"):
        other = person.get("production_id") != production_id
        production = productions.get(person.get("production_id") or "") if other else None
        names[person["id"]] = f"{person['name']}, {production}" if production else person["name"]
    return names


def gear_rows(store: Store, names: Mapping[str, str]) -> list[GearRow]:
    """Every item, by name, with its custody and holder's name."""
    custody = all_custody(store)
    rows = []
    for item in items(store):
        state = custody[item["id"]]
        rows.append(GearRow(item, state, names.get(state.holder_id or "", ""), short_code(item)))
    return rows


def filter_rows(rows: Iterable[GearRow], chosen: GearFilter) -> list[GearRow]:
    return [row for row in rows if chosen.matches(row)]


def categories(rows: Iterable[GearRow]) -> list[str]:
    return sorted({row.item["category"] for row in rows if row.item["category"]},
                  key=str.casefold)


def zone_of(store: Store, production_id: str | None) -> ZoneInfo | None:
    """The production's time zone, in which every time on the Gear screens is shown."""
    production = store.get("productions", production_id) if production_id else None
    return production_zone(production) if production else None


def when(stamp: str | None, zone: ZoneInfo | None) -> str:
    """An event time as a crew reads it: "Wed 11 Jun 14:30" in the production's zone."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    return moment.astimezone(zone).strftime("%a %d %b %H:%M") if zone else stamp[:16]


def due_text(custody: Custody, zone: ZoneInfo | None, now: datetime) -> str:
    """ "due back Wed 11 Jun 20:00", or "late: due back Wed 11 Jun 20:00" once that has
    passed; "" if no due time."""
    if not custody.due_at:
        return ""
    late = "late: " if custody.is_overdue(now) else ""
    return f"{late}due back {when(custody.due_at, zone)}"


def summary(row: GearRow, zone: ZoneInfo | None, now: datetime) -> str:
    """One line under an item's name: status, holder, due time (flagged when late)."""
    parts = [STATUS_LABELS[row.custody.status], row.holder, due_text(row.custody, zone, now)]
    return " · ".join(part for part in parts if part)
