"""The schedule as iCalendar (RFC 5545), for crew who live in their phone's calendar.

Events are written in the production's time zone with its VTIMEZONE, so a calendar app
in another zone shows the right instant and the location's wall-clock time both. Each
event's UID is the schedule item's id: importing a newer export updates events instead
of duplicating them, and a cancelled item is sent as STATUS:CANCELLED so it disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vGeo

from app.clock import utc_now
from app.productions import get_production, production_days, production_zone
from app.schedule import Clock, day_items, instant
from app.store import Store

PRODID = "-//Crewkit//Schedule export//EN"
UID_DOMAIN = "crewkit"
_STATUS = {"cancelled": "CANCELLED"}


def day_calendar(store: Store, production_id: str, day: str, *, clock: Clock = utc_now) -> bytes:
    """One day of the production as an ``.ics`` file."""
    production = get_production(store, production_id)
    items = day_items(store, production_id, day)
    return _calendar(store, production, f"{production['name']} — {day}", items, clock())


def production_calendar(store: Store, production_id: str, *, clock: Clock = utc_now) -> bytes:
    """Every day of the production as one ``.ics`` file."""
    production = get_production(store, production_id)
    items = [i for d in production_days(production) for i in day_items(store, production_id, d)]
    return _calendar(store, production, production["name"], items, clock())


def _calendar(
    store: Store,
    production: Mapping[str, Any],
    name: str,
    items: Iterable[Mapping[str, Any]],
    stamp: datetime,
) -> bytes:
    zone = production_zone(production)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", production["timezone"])
    for item in items:
        calendar.add_component(_event(store, item, zone, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(store: Store, item: Mapping[str, Any], zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{item['id']}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", item["title"])
    event.add("dtstart", instant(item["planned_start"]).astimezone(zone))
    if item.get("planned_end"):
        event.add("dtend", instant(item["planned_end"]).astimezone(zone))
    event.add("status", _STATUS.get(item["status"], "CONFIRMED"))
    event.add("categories", [item["kind"].replace("_", " ")])
    if item.get("notes"):
        event.add("description", item["notes"])
    location = store.get("locations", item["location_id"]) if item.get("location_id") else None
    if location:
        event.add("location", ", ".join(p for p in (location["name"], location["address"]) if p))
        if location.get("lat") is not None and location.get("lon") is not None:
            event.add("geo", vGeo((location["lat"], location["lon"])))
    for person_id in item.get("people_ids", []):
        person = store.get("people", person_id)
        if person:
            event.add("attendee", _attendee(person), encode=False)
    return event


def _attendee(person: Mapping[str, Any]) -> vCalAddress:
    """A crew member without an email is still listed, under a URN of their record id."""
    email = person.get("email")
    address = vCalAddress(f"mailto:{email}" if email else f"urn:uuid:{person['id']}")
    address.params["cn"] = person["name"]
    address.params["role"] = "REQ-PARTICIPANT"
    if person.get("role"):
        address.params["x-crewkit-role"] = person["role"]
    return address
