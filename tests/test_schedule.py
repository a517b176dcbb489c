from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from app.calendar_export import day_calendar, production_calendar
from app.models import ValidationError
from app.productions import add_location, add_person, create_production
from app.schedule import (
    ScheduleError,
    add_item,
    day_items,
    delete_item,
    edit_item,
    instant,
    mark_cancelled,
    mark_delayed,
    mark_done,
    mark_started,
    reorder_day,
)
from app.schedule_today import call_time, call_times, now_and_next, today
from app.store import RecordNotFound, Store

LISBON = ZoneInfo("Europe/Lisbon")
TOKYO = ZoneInfo("Asia/Tokyo")
DAY = "2026-11-26"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path)


def production(store: Store, zone: str = "Asia/Tokyo") -> str:
    return create_production(
        store,
        name="Harbour Lights",
        starts_on=DAY,
        ends_on="2026-11-28",
        timezone=zone,
        currency="JPY",
    )


def local(hour: int, minute: int = 0, day: int = 26, zone: ZoneInfo = TOKYO) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=zone)


def clock_at(moment: datetime) -> Any:
    return lambda: moment


def item(
    store: Store, pid: str, title: str, start: datetime, end: datetime | None, **kw: Any
) -> str:
    kind = kw.pop("kind", "scene")
    day = kw.pop("day", start.astimezone(TOKYO).date().isoformat())
    return add_item(
        store, pid, day=day, kind=kind, title=title, planned_start=start, planned_end=end, **kw
    )


# -- adding and editing -----------------------------------------------------------------


def test_times_without_an_offset_are_local_to_the_production(store: Store) -> None:
    pid = production(store)
    item_id = add_item(
        store, pid, day=DAY, kind="crew_call", title="Crew call", planned_start="2026-11-26T07:00"
    )
    stored = store.get("schedule_items", item_id)
    assert stored is not None
    assert stored["planned_start"] == "2026-11-26T07:00:00+09:00"
    assert stored["status"] == "planned"


def test_aware_times_are_stored_in_the_production_zone(store: Store) -> None:
    pid = production(store)
    item_id = item(store, pid, "Scene 1", datetime(2026, 11, 25, 23, 0, tzinfo=UTC), None)
    assert store.get("schedule_items", item_id)["planned_start"] == "2026-11-26T08:00:00+09:00"


def test_a_day_outside_the_production_is_refused(store: Store) -> None:
    pid = production(store)
    with pytest.raises(ScheduleError, match="not a day of Harbour Lights"):
        item(store, pid, "Recce", local(9, day=30), None, day="2026-11-30")
    assert store.all("schedule_items") == []


def test_a_start_on_another_day_is_refused_but_a_night_shoot_may_pass_midnight(
    store: Store,
) -> None:
    pid = production(store)
    with pytest.raises(ScheduleError, match="not on 2026-11-26"):
        item(store, pid, "Scene 1", local(13, day=27), None, day=DAY)
    night = item(store, pid, "Night exterior", local(1, 30, day=27), local(4, day=27), day=DAY)
    assert [i["id"] for i in day_items(store, pid, DAY)] == [night]


def test_an_end_before_the_start_is_refused_and_stores_nothing(store: Store) -> None:
    pid = production(store)
    with pytest.raises(ValidationError) as caught:
        item(store, pid, "Scene 1", local(10), local(9))
    assert caught.value.field == "planned_end"
    assert store.all("schedule_items") == []


def test_an_unknown_kind_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="use one of"):
        item(store, production(store), "Party", local(20), None, kind="party")


def test_day_items_are_in_running_order(store: Store) -> None:
    pid = production(store)
    lunch = item(store, pid, "Lunch", local(13), local(14), kind="meal")
    call = item(store, pid, "Crew call", local(7), None, kind="crew_call")
    scene = item(store, pid, "Scene 4", local(8), local(13))
    item(store, pid, "Scene 9", local(6, day=27), None)  # another day
    assert [i["id"] for i in day_items(store, pid, DAY)] == [call, scene, lunch]


def test_editing_moves_and_rechecks_an_item(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10))
    edited = edit_item(store, scene, planned_start="2026-11-26T08:30", title="Scene 4A")
    assert edited["planned_start"] == "2026-11-26T08:30:00+09:00"
    assert edited["planned_end"] == "2026-11-26T10:00:00+09:00"
    with pytest.raises(ValidationError):
        edit_item(store, scene, planned_start=local(11))
    with pytest.raises(ScheduleError):
        edit_item(store, scene, day="2026-11-27")
    assert store.get("schedule_items", scene)["title"] == "Scene 4A"
    moved = edit_item(
        store, scene, day="2026-11-27", planned_start=local(8, day=27), planned_end=local(9, day=27)
    )
    assert moved["day"] == "2026-11-27"
    assert [i["id"] for i in day_items(store, pid, "2026-11-27")] == [scene]
    assert day_items(store, pid, DAY) == []


def test_deleting_an_item(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10))
    delete_item(store, scene)
    assert day_items(store, pid, DAY) == []
    with pytest.raises(RecordNotFound):
        delete_item(store, scene)


# -- marking what happened ----------------------------------------------------------------


def test_marking_started_and_done_records_actual_times(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10))
    started = mark_started(store, scene, clock=clock_at(local(8, 12)))
    assert (started["status"], started["actual_start"]) == ("started", "2026-11-26T08:12:00+09:00")
    done = mark_done(store, scene, clock=clock_at(datetime(2026, 11, 26, 1, 40, tzinfo=UTC)))
    assert done["status"] == "done"
    assert instant(done["actual_end"]) == local(10, 40)
    assert done["planned_start"] == "2026-11-26T08:00:00+09:00"  # the plan is kept


def test_a_corrected_time_can_be_given(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10))
    started = mark_started(store, scene, at="2026-11-26T08:05", clock=clock_at(local(9)))
    assert started["actual_start"] == "2026-11-26T08:05:00+09:00"


def test_an_actual_end_before_the_actual_start_is_refused(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10))
    mark_started(store, scene, clock=clock_at(local(9)))
    with pytest.raises(ValidationError) as caught:
        mark_done(store, scene, at=local(8, 30))
    assert caught.value.field == "actual_end"
    assert store.get("schedule_items", scene)["status"] == "started"


def test_a_finished_or_cancelled_item_cannot_be_marked_again(store: Store) -> None:
    pid = production(store)
    scene, lunch = (
        item(store, pid, "Scene 4", local(8), local(10)),
        item(store, pid, "Lunch", local(13), local(14), kind="meal"),
    )
    mark_done(store, scene, clock=clock_at(local(10)))
    with pytest.raises(ScheduleError, match="'Scene 4' is already done"):
        mark_started(store, scene, clock=clock_at(local(11)))
    assert mark_cancelled(store, lunch)["status"] == "cancelled"
    with pytest.raises(ScheduleError, match="already cancelled"):
        mark_delayed(store, lunch, reason="rain")


def test_a_delay_is_flagged_with_its_reason_and_time(store: Store) -> None:
    pid = production(store)
    scene = item(store, pid, "Scene 4", local(8), local(10), notes="Rain cover ready")
    delayed = mark_delayed(store, scene, reason=" rain ", clock=clock_at(local(7, 55)))
    assert delayed["status"] == "delayed"
    assert delayed["notes"] == "Rain cover ready\n[07:55] Delayed: rain"
    assert delayed["actual_start"] is None
    started = mark_started(store, scene, clock=clock_at(local(8, 40)))
    assert started["actual_start"] == "2026-11-26T08:40:00+09:00"


# -- reordering -----------------------------------------------------------------------------


def test_reordering_keeps_the_days_rhythm(store: Store) -> None:
    pid = production(store)
    call = item(store, pid, "Crew call", local(7), None, kind="crew_call")
    sc1 = item(store, pid, "Scene 1", local(8), local(10))
    lunch = item(store, pid, "Lunch", local(10, 30), local(11, 30), kind="meal")
    sc2 = item(store, pid, "Scene 2", local(11, 30), local(12))
    reorder_day(store, pid, DAY, [call, sc2, lunch, sc1])
    times = {
        i["title"]: (instant(i["planned_start"]), i["planned_end"])
        for i in day_items(store, pid, DAY)
    }
    assert times["Crew call"] == (local(7), None)
    assert times["Scene 2"][0] == local(8)  # the 1 h gap after the crew call is kept
    assert instant(times["Scene 2"][1]) == local(8, 30)
    assert times["Lunch"][0] == local(9)  # the 30 min gap after the second slot is kept
    assert times["Scene 1"][0] == local(10)
    assert instant(times["Scene 1"][1]) == local(12)  # the day still ends at noon


def test_reordering_needs_every_item_once(store: Store) -> None:
    pid = production(store)
    sc1 = item(store, pid, "Scene 1", local(8), local(10))
    sc2 = item(store, pid, "Scene 2", local(10), local(12))
    for bad in ([sc1], [sc1, sc1], [sc1, sc2, "stranger"]):
        with pytest.raises(ScheduleError, match="exactly once"):
            reorder_day(store, pid, DAY, bad)
    assert [i["id"] for i in day_items(store, pid, DAY)] == [sc1, sc2]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reordering_any_day_keeps_lengths_start_and_span(data: st.DataObject) -> None:
    slots = data.draw(
        st.lists(st.tuples(st.integers(0, 90), st.integers(0, 120)), min_size=1, max_size=6)
    )
    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(directory)
        pid = production(store)
        start, ids = local(6), []
        for n, (gap, length) in enumerate(slots):
            start += timedelta(minutes=gap)
            ids.append(item(store, pid, f"Item {n}", start, start + timedelta(minutes=length)))
            start += timedelta(minutes=length)
        before = day_items(store, pid, DAY)
        order = data.draw(st.permutations(ids))
        reorder_day(store, pid, DAY, order)
        after = day_items(store, pid, DAY)
        store.close()
    starts = {i["id"]: instant(i["planned_start"]) for i in after}
    assert all(starts[a] <= starts[b] for a, b in pairwise(order))  # in the new order
    assert {i["id"]: _length(i) for i in after} == {i["id"]: _length(i) for i in before}
    assert instant(after[0]["planned_start"]) == instant(before[0]["planned_start"])
    assert max(map(_end, after)) == max(map(_end, before))


def _length(i: dict[str, Any]) -> timedelta:
    return instant(i["planned_end"]) - instant(i["planned_start"])


def _end(i: dict[str, Any]) -> datetime:
    return instant(i["planned_end"])


# -- now and next ---------------------------------------------------------------------------


def test_now_and_next_follow_the_plan_and_the_marks(store: Store) -> None:
    pid = production(store)
    call = item(store, pid, "Crew call", local(7), None, kind="crew_call")
    sc1 = item(store, pid, "Scene 1", local(8), local(10))
    sc2 = item(store, pid, "Scene 2", local(10), local(12))
    before = today(store, pid, clock=clock_at(local(6)))
    assert (before.day, before.now, before.next["id"]) == (DAY, [], call)
    during = today(store, pid, clock=clock_at(local(9)))
    assert ([i["id"] for i in during.now], during.next["id"]) == ([sc1], sc2)
    # Scene 1 overruns: started late and still going after its planned end.
    mark_started(store, sc1, clock=clock_at(local(8, 30)))
    late = today(store, pid, clock=clock_at(local(10, 15)))
    assert [i["id"] for i in late.now] == [sc1, sc2]
    mark_done(store, sc1, clock=clock_at(local(10, 20)))
    mark_delayed(store, sc2, clock=clock_at(local(10, 20)))
    after = today(store, pid, clock=clock_at(local(10, 30)))
    assert (after.now, after.next["id"]) == ([], sc2)  # delayed: still to come


def test_today_is_the_date_on_location(store: Store) -> None:
    pid = production(store)  # Tokyo: 26 Nov 08:00 there is still 25 Nov in London
    scene = item(store, pid, "Scene 1", local(8), local(10))
    moment = datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    result = today(store, pid, clock=clock_at(moment))
    assert (result.day, [i["id"] for i in result.now]) == (DAY, [scene])


def test_a_night_shoot_is_still_now_after_midnight(store: Store) -> None:
    pid = production(store)
    night = item(store, pid, "Night exterior", local(22), local(3, day=27), day=DAY)
    wrap = item(store, pid, "Wrap", local(3, 30, day=27), None, kind="wrap", day=DAY)
    item(store, pid, "Lunch", local(12), local(13), kind="meal", day=DAY)  # long over
    tomorrow = item(store, pid, "Crew call", local(16, day=27), None, kind="crew_call")
    result = today(store, pid, clock=clock_at(local(1, day=27)))
    assert result.day == "2026-11-27"
    assert ([i["id"] for i in result.now], result.next["id"]) == ([night], wrap)
    later = today(store, pid, clock=clock_at(local(4, day=27)))
    assert (later.now, later.next["id"]) == ([], tomorrow)


def test_nothing_is_on_outside_the_production(store: Store) -> None:
    pid = production(store)
    item(store, pid, "Scene 1", local(8), local(10))
    result = today(store, pid, clock=clock_at(local(9, day=29)))
    assert (result.now, result.next) == ([], None)


STATUSES = ("planned", "started", "done", "delayed", "cancelled")


@st.composite
def schedules(draw: st.DrawFn) -> list[dict[str, Any]]:
    items = []
    for n in range(draw(st.integers(0, 8))):
        start = local(6) + timedelta(minutes=draw(st.integers(0, 18 * 60)))
        length = draw(st.none() | st.integers(0, 240))
        status = draw(st.sampled_from(STATUSES))
        began = status in ("started", "done") or (status == "delayed" and draw(st.booleans()))
        items.append(
            {
                "id": f"i{n}",
                "title": draw(st.sampled_from(["Scene", "Meal", "Travel"])),
                "status": status,
                "planned_start": start.isoformat(),
                "planned_end": None
                if length is None
                else (start + timedelta(minutes=length)).isoformat(),
                "actual_start": start.isoformat() if began else None,
                "actual_end": start.isoformat() if status == "done" else None,
            }
        )
    return items


@given(schedules(), st.integers(0, 26 * 60))
def test_now_and_next_over_any_schedule(items: list[dict[str, Any]], minutes: int) -> None:
    at = local(5) + timedelta(minutes=minutes)
    running, upcoming = now_and_next(items, at)
    for i in running:  # nothing finished, cancelled or not yet due is "now"
        assert i["status"] in ("planned", "started", "delayed")
        if i["status"] == "planned":
            assert instant(i["planned_start"]) <= at < instant(i["planned_end"])
        else:
            assert i["actual_start"] and not i["actual_end"]
    for i in items:  # everything under way is listed
        if i["status"] == "started" or (
            i["status"] == "planned"
            and i["planned_end"]
            and instant(i["planned_start"]) <= at < instant(i["planned_end"])
        ):
            assert i in running
    starts = [instant(i["planned_start"]) for i in running]
    assert starts == sorted(starts)
    waiting = [
        i
        for i in items
        if i not in running
        and not i["actual_start"]
        and (
            i["status"] == "delayed"
            or (i["status"] == "planned" and instant(i["planned_start"]) > at)
        )
    ]
    if not waiting:
        assert upcoming is None
    else:  # the earliest of everything still to come
        assert upcoming in waiting
        assert instant(upcoming["planned_start"]) == min(
            instant(i["planned_start"]) for i in waiting
        )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.integers(0, 20 * 60))
def test_today_agrees_with_now_and_next_through_the_store(
    items: list[dict[str, Any]], minutes: int
) -> None:
    at = local(5) + timedelta(minutes=minutes)
    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(directory)
        pid, ids = production(store), {}
        for spec in items:
            start, end = instant(spec["planned_start"]), spec["planned_end"]
            new = item(store, pid, spec["title"], start, end and instant(end), day=DAY)
            ids[new] = spec["id"]
            if spec["actual_start"]:
                mark_started(store, new, at=spec["actual_start"])
            if spec["status"] in ("done", "delayed", "cancelled"):
                marker = {"done": mark_done, "delayed": mark_delayed, "cancelled": mark_cancelled}
                kwargs = {"at": spec["actual_end"]} if spec["status"] == "done" else {}
                marker[spec["status"]](store, new, **kwargs)
        result = today(store, pid, clock=clock_at(at))
        store.close()
    running, upcoming = now_and_next(items, at)
    assert sorted(ids[i["id"]] for i in result.now) == sorted(i["id"] for i in running)
    assert (result.next is None) == (upcoming is None)
    if upcoming is not None:
        assert result.next["planned_start"] == instant(upcoming["planned_start"]).isoformat()


# -- call times ---------------------------------------------------------------------------


def test_call_times_prefer_the_crew_call_and_skip_cancelled_items(store: Store) -> None:
    pid = production(store)
    ana = add_person(store, pid, name="Ana", department="Camera")
    bo = add_person(store, pid, name="Bo", department="Sound")
    cy = add_person(store, pid, name="Cy", department="Art")
    item(store, pid, "Pre-rig", local(6), local(7), kind="setup", people_ids=[ana])
    item(store, pid, "Camera call", local(7), None, kind="crew_call", people_ids=[ana])
    item(store, pid, "Sound check", local(9), local(10), kind="setup", people_ids=[bo])
    cancelled = item(store, pid, "Art run", local(5), local(6), kind="travel", people_ids=[bo])
    mark_cancelled(store, cancelled)
    assert call_time(store, pid, DAY, ana) == local(7)  # crew call wins over the pre-rig
    assert call_time(store, pid, DAY, bo) == local(9)  # first item, cancelled one ignored
    assert call_time(store, pid, DAY, cy) is None
    assert call_times(store, pid, DAY) == {ana: local(7), bo: local(9)}
    general = item(store, pid, "Unit call", local(8), None, kind="crew_call")
    assert call_times(store, pid, DAY) == {ana: local(7), bo: local(8), cy: local(8)}
    assert call_time(store, pid, "2026-11-27", ana) is None
    delete_item(store, general)
    assert call_times(store, pid, DAY)[bo].tzinfo == TOKYO


# -- iCalendar ------------------------------------------------------------------------------


def test_a_day_exports_as_icalendar_with_zone_location_and_attendees(store: Store) -> None:
    pid = production(store, "Europe/Lisbon")
    ana = add_person(store, pid, name="Ana Ribeiro", role="Gaffer", email="ana@example.org")
    bo = add_person(store, pid, name="Bo")
    pier = add_location(store, pid, name="Pier 4", address="Cais 4, Lisboa", lat=38.7, lon=-9.14)
    scene = item(
        store,
        pid,
        "Scene 12",
        local(8, zone=LISBON),
        local(10, zone=LISBON),
        location_id=pier,
        people_ids=[ana, bo],
        notes="Bring the rain covers",
    )
    cancelled = item(store, pid, "Drone", local(11, zone=LISBON), None, kind="other")
    mark_cancelled(store, cancelled)
    item(store, pid, "Tomorrow", local(8, day=27, zone=LISBON), None)
    stamp = datetime(2026, 11, 20, 12, tzinfo=UTC)
    calendar = Calendar.from_ical(day_calendar(store, pid, DAY, clock=clock_at(stamp)))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Scene 12", "Drone"}
    event = events["Scene 12"]
    assert str(event["UID"]) == f"{scene}@crewkit"
    assert event.start == local(8, zone=LISBON)
    assert event.start.tzinfo is not None and str(event.start.tzinfo) == "Europe/Lisbon"
    assert event.end == local(10, zone=LISBON)
    assert str(event["LOCATION"]) == "Pier 4, Cais 4, Lisboa"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (38.7, -9.14)
    assert str(event["DESCRIPTION"]) == "Bring the rain covers"
    attendees = {str(a): a.params["CN"] for a in event["ATTENDEE"]}
    assert attendees == {"mailto:ana@example.org": "Ana Ribeiro", f"urn:uuid:{bo}": "Bo"}
    assert str(events["Drone"]["STATUS"]) == "CANCELLED"
    assert "DTEND" not in events["Drone"]


def test_a_whole_production_exports_every_day(store: Store) -> None:
    pid = production(store)
    for day in (26, 27, 28):
        item(store, pid, f"Day {day} call", local(7, day=day), None, kind="crew_call")
    calendar = Calendar.from_ical(production_calendar(store, pid))
    starts = [e.start for e in calendar.walk("VEVENT")]
    assert starts == [local(7, day=day) for day in (26, 27, 28)]
    assert str(calendar["X-WR-CALNAME"]) == "Harbour Lights"
