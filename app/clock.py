"""The one place the app reads the real clock, and how a moment is stored.

Services take ``now``/``at`` from their caller; screens get it from ``AppContext.now``,
which defaults to :func:`utc_now`. Tests pass fixed moments, so nothing depends on the
day or the zone the machine is in.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 with its offset, to the millisecond."""
    if moment.tzinfo is None:
        raise ValueError("a stored time needs a time zone")
    return moment.isoformat(timespec="milliseconds")
