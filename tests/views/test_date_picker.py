"""Reading the day a person tapped on Flet's calendar, wherever the device's clock is."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from views.date_picker import noon, picked_day

LISBON = ZoneInfo("Europe/Lisbon")
ZONES = [LISBON, ZoneInfo("America/Los_Angeles"), ZoneInfo("Pacific/Auckland")]
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
ELEVEN_HOURS_EITHER_WAY = st.integers(min_value=-11 * 60, max_value=11 * 60)


def tapped_on_device(day: date, device_offset: timedelta) -> datetime:
    """What the picker reports: midnight of ``day`` on the device's clock, in UTC."""
    return datetime.combine(day, time(0), timezone(device_offset)).astimezone(UTC)


def test_a_tap_in_tokyo_or_los_angeles_is_the_day_tapped_for_a_lisbon_shoot() -> None:
    tokyo = tapped_on_device(date(2026, 11, 15), timedelta(hours=9))
    los_angeles = tapped_on_device(date(2026, 11, 15), timedelta(hours=-8))
    assert tokyo == datetime(2026, 11, 14, 15, 0, tzinfo=UTC)
    assert picked_day(tokyo, LISBON) == picked_day(los_angeles, LISBON) == "2026-11-15"


def test_a_naive_value_is_read_as_the_device_s_wall_date() -> None:
    assert picked_day(datetime(2026, 6, 11, 0, 0), LISBON) == "2026-06-11"


@given(day=DAYS, zone=st.sampled_from(ZONES), minutes_apart=ELEVEN_HOURS_EITHER_WAY)
def test_any_device_within_eleven_hours_of_the_production_reads_the_day_tapped(
    day: date, zone: ZoneInfo, minutes_apart: int
) -> None:
    production_offset = datetime.combine(day, time(0), zone).utcoffset()
    assert production_offset is not None
    device_offset = production_offset + timedelta(minutes=minutes_apart)
    assume(abs(device_offset) < timedelta(hours=24))  # what a UTC offset can be
    assert picked_day(tapped_on_device(day, device_offset), zone) == day.isoformat()


@given(day=DAYS, zone=st.sampled_from(ZONES), minutes_apart=ELEVEN_HOURS_EITHER_WAY)
def test_the_calendar_opens_on_the_day_shown_on_any_such_device(
    day: date, zone: ZoneInfo, minutes_apart: int
) -> None:
    sent = noon(day.isoformat(), zone)
    offset = sent.utcoffset()
    assert offset is not None
    device_offset = offset + timedelta(minutes=minutes_apart)
    assume(abs(device_offset) < timedelta(hours=24))
    assert sent.astimezone(timezone(device_offset)).date() == day
