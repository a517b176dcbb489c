"""Days and clock times as a crew reads them: local to the production, never the phone.

Stored times carry the production's offset, but a phone may sit in another zone (a
producer at home checking the shoot), so every time shown or typed goes through the
production's zone. Today, Checklists and Expenses use these so their days read alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.productions import production_days

EN_DASH = "\u2013"


class ClockError(ValueError):
    """A typed time that is not HH:MM; the message says what to type."""


def clock(value: str | None, zone: ZoneInfo) -> str:
    """A stored time as "07:30" on location; "" when there is none."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(zone).strftime("%H:%M")


def span(start: str | None, end: str | None, zone: ZoneInfo) -> str:
    """ "07:30-09:30" (with an en dash), or the start alone for a moment (a crew call);
    an end on a later day says so: "23:00-00:30 +1 day"."""
    first, last = clock(start, zone), clock(end, zone)
    if not start or not end:
        return first
    later = (local_date(end, zone) - local_date(start, zone)).days
    if later <= 0:
        return f"{first}{EN_DASH}{last}"
    return f"{first}{EN_DASH}{last} +{later} day{'s' if later > 1 else ''}"


def local_date(value: str, zone: ZoneInfo) -> date:
    """The day on location of a stored time."""
    return datetime.fromisoformat(value).astimezone(zone).date()


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def short_day(day: str) -> str:
    """ "2025-06-11" as "Wed 11 Jun"."""
    return date.fromisoformat(day).strftime("%a %d %b")


def day_heading(day: str, production: Mapping[str, Any]) -> str:
    """ "Tue 26 Nov · Day 2 of 3", or "· not a shoot day" outside the production's dates."""
    days = production_days(production)
    stamp = short_day(day)
    if day not in days:
        return f"{stamp} · not a production day"
    return f"{stamp} · Day {days.index(day) + 1} of {len(days)}"


def parse_clock(text: str) -> time:
    """ "7:30", "07:30" or "0730" as a time of day; :class:`ClockError` otherwise."""
    cleaned = text.strip().replace(".", ":").replace("h", ":")
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    try:
        hours, minutes = (int(part) for part in cleaned.split(":"))
        return time(hours, minutes)
    except ValueError:
        shown = text.strip() or "Nothing"
        raise ClockError(f"{shown} is not a time; type HH:MM, e.g. 07:30.") from None


def on_day(day: str, at: time, zone: ZoneInfo) -> datetime:
    """``at`` on ``day`` in the production's zone."""
    return datetime.combine(date.fromisoformat(day), at, zone)
