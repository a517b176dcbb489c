"""The production directory: productions, their people and their locations.

Everything else hangs off a production: its dates bound the schedule, its time zone says
what "today" and "07:00" mean on location, its currency is the budget's. People and
locations belong to one production, so a crew list is imported per job.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.models import insert_record, require, update_record
from app.store import Store


def create_production(
    store: Store,
    *,
    name: str,
    starts_on: str,
    ends_on: str,
    timezone: str,
    currency: str,
) -> str:
    """Create a production; dates are ``YYYY-MM-DD``, the time zone an IANA name."""
    fields = {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "timezone": timezone,
        "currency": currency,
    }
    with store.transaction() as tx:
        return insert_record(tx, "productions", fields)


def get_production(store: Store, production_id: str) -> dict[str, Any]:
    """The production, or :class:`RecordNotFound`."""
    return require(store.get, "productions", production_id)


def update_production(store: Store, production_id: str, **changes: Any) -> dict[str, Any]:
    """Change some fields; the whole production is re-checked (e.g. dates stay in order)."""
    return _update(store, "productions", production_id, changes)


def archive_production(store: Store, production_id: str, archived: bool = True) -> None:
    """Hide a wrapped production from the everyday lists without losing anything."""
    _update(store, "productions", production_id, {"archived": archived})


def list_productions(store: Store, *, include_archived: bool = False) -> list[dict[str, Any]]:
    """Productions, the next or current one first (latest start date first)."""
    found = [p for p in store.all("productions") if include_archived or not p.get("archived")]
    return sorted(found, key=lambda p: (p.get("starts_on", ""), p.get("name", "")), reverse=True)


def production_days(production: Mapping[str, Any]) -> list[str]:
    """Every day of the production as ``YYYY-MM-DD``, first to last."""
    first = date.fromisoformat(production["starts_on"])
    count = (date.fromisoformat(production["ends_on"]) - first).days + 1
    return [(first + timedelta(days=n)).isoformat() for n in range(count)]


def production_zone(production: Mapping[str, Any]) -> ZoneInfo:
    """The production's time zone: what "today" and a call time mean on location."""
    return ZoneInfo(production["timezone"])


# -- people ----------------------------------------------------------------------------


def add_person(
    store: Store,
    production_id: str,
    *,
    name: str,
    role: str = "",
    department: str = "",
    phone: str = "",
    email: str = "",
) -> str:
    """Add a crew member to the production's directory."""
    fields = {
        "name": name,
        "role": role,
        "department": department,
        "phone": phone,
        "email": email,
    }
    return _add(store, "people", production_id, fields)


def update_person(store: Store, person_id: str, **changes: Any) -> dict[str, Any]:
    return _update(store, "people", person_id, changes)


def list_people(
    store: Store, production_id: str, *, include_removed: bool = False
) -> list[dict[str, Any]]:
    """The crew list as a call sheet orders it: by department, then name.

    People taken off the list (``app.removal``) are left out unless ``include_removed``:
    name lookups for records they appear in include them, pickers do not."""
    people = [
        p for p in store.all("people")
        if p.get("production_id") == production_id and (include_removed or not p.get("archived"))
    ]  # fmt: skip
    return sorted(
        people, key=lambda p: (p.get("department", "").casefold(), p.get("name", "").casefold())
    )


# -- locations ---------------------------------------------------------------------------


def add_location(
    store: Store,
    production_id: str,
    *,
    name: str,
    address: str = "",
    notes: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> str:
    """Add a location (stage, unit base, venue) with an optional map position."""
    fields = {"name": name, "address": address, "notes": notes, "lat": lat, "lon": lon}
    return _add(store, "locations", production_id, fields)


def update_location(store: Store, location_id: str, **changes: Any) -> dict[str, Any]:
    return _update(store, "locations", location_id, changes)


def list_locations(
    store: Store, production_id: str, *, include_removed: bool = False
) -> list[dict[str, Any]]:
    """The production's locations by name; removed ones only with ``include_removed``."""
    found = [
        loc for loc in store.all("locations")
        if loc.get("production_id") == production_id
        and (include_removed or not loc.get("archived"))
    ]  # fmt: skip
    return sorted(found, key=lambda loc: loc.get("name", "").casefold())


# -- shared ------------------------------------------------------------------------------


def _add(store: Store, coll: str, production_id: str, fields: Mapping[str, Any]) -> str:
    """Insert a record that belongs to a production (which must exist on this device)."""
    get_production(store, production_id)
    with store.transaction() as tx:
        return insert_record(tx, coll, {"production_id": production_id, **fields})


def _update(store: Store, coll: str, record_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    with store.transaction() as tx:
        return update_record(tx, coll, record_id, changes)
