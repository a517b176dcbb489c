from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.custody import (
    CustodyError,
    all_custody,
    conflicts,
    custody_of,
    derive,
    held_by,
    history,
    overdue,
    person_history,
)
from app.custody_actions import (
    Return,
    audit,
    check_in,
    check_in_items,
    check_out,
    record_repair,
    report_damage,
    resolve_conflict,
    transfer,
)
from app.equipment import create_item, set_flag
from app.models import ValidationError
from app.store import Store

T0 = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
PHOTO = "ab" * 32


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def add(store: Store, name: str, **fields: Any) -> str:
    return create_item(store, name=name, currency="EUR", **fields)


def holder_index(store: Store, item_id: str) -> str | None:
    return store.index("custody_events", "holder").holder_of(item_id)


def commits(store: Store) -> list[dict[str, frozenset[str]]]:
    seen: list[dict[str, frozenset[str]]] = []
    store.subscribe(lambda change: seen.append(dict(change.collections)))
    return seen


def test_check_out_and_in_derive_status_holder_and_due(store: Store) -> None:
    item = add(store, "Sony FX6")
    assert custody_of(store, item).status == "available"

    check_out(store, item, "ana", due_at=at(600), at=at(0), production_id="prod-1")

    out = custody_of(store, item)
    assert (out.status, out.holder_id) == ("out", "ana")
    assert out.since is not None and datetime.fromisoformat(out.since) == at(0)
    assert out.due_at is not None and datetime.fromisoformat(out.due_at) == at(600)
    assert holder_index(store, item) == "ana"
    assert [i["id"] for i in held_by(store, "ana")] == [item]

    check_in(store, item, at=at(60), condition="worn", note="scuffed grip")

    back = custody_of(store, item)
    assert (back.status, back.holder_id, back.due_at) == ("available", None, None)
    assert holder_index(store, item) is None
    events = history(store, item)
    assert [e["action"] for e in events] == ["check_out", "check_in"]
    assert events[1]["person_id"] == "ana"  # who brought it back
    assert (events[1]["condition"], events[1]["note"]) == ("worn", "scuffed grip")


def test_a_case_checks_out_its_whole_kit_in_one_transaction(store: Store) -> None:
    case = add(store, "Lens case")
    lenses = [add(store, f"Prime {mm}mm", kit_id=case) for mm in (25, 35, 50)]
    seen = commits(store)

    events = check_out(store, case, "ben", at=at(0))

    assert len(events) == 4 and len(seen) == 1
    assert seen[0]["custody_events"] == frozenset(events)
    assert {custody_of(store, i).holder_id for i in [case, *lenses]} == {"ben"}

    check_in(store, lenses[0], at=at(5))  # one lens came back on its own
    check_in(store, case, at=at(10), condition="damaged", note="latch broken")
    assert custody_of(store, case).status == "damaged"  # the lenses in it came back good
    assert {custody_of(store, i).status for i in lenses} == {"available"}
    case_history = [e["action"] for e in history(store, case)]
    assert case_history == ["check_out", "check_in", "damage"]
    assert history(store, lenses[1])[-1]["condition"] == "good"


def test_a_kit_with_an_unavailable_member_is_refused_whole(store: Store) -> None:
    case = add(store, "Audio case")
    add(store, "Mixer", kit_id=case)
    broken = add(store, "Lav mic", kit_id=case)
    set_flag(store, broken, "repair")

    with pytest.raises(CustodyError, match="Not available: Lav mic"):
        check_out(store, case, "cat", at=at(0))
    assert store.all("custody_events") == []


def test_refusals_store_nothing(store: Store) -> None:
    item = add(store, "Tripod")
    with pytest.raises(CustodyError, match="not checked out"):
        check_in(store, item, at=at(0))
    with pytest.raises(CustodyError, match="not checked out"):
        transfer(store, item, "dan", at=at(0))
    check_out(store, item, "ana", at=at(0))
    with pytest.raises(CustodyError, match="Not available: Tripod"):
        check_out(store, item, "dan", at=at(1))
    with pytest.raises(ValidationError):
        check_out(store, add(store, "Slider"), "", at=at(1))
    with pytest.raises(CustodyError, match="not a condition"):
        check_in(store, item, condition="meh", at=at(1))
    with pytest.raises(ValueError, match="time zone"):
        check_in(store, item, at=datetime(2026, 1, 1))
    assert [e["action"] for e in store.all("custody_events")] == ["check_out"]


def test_transfer_keeps_or_replaces_the_due_time(store: Store) -> None:
    item = add(store, "Walkie")
    check_out(store, item, "ana", at=at(0), due_at=at(100))
    transfer(store, item, "ben", at=at(10))
    kept = custody_of(store, item)
    assert (kept.holder_id, kept.since) == ("ben", at(10).isoformat(timespec="milliseconds"))
    assert kept.due_at == at(100).isoformat(timespec="milliseconds")

    transfer(store, item, "cat", at=at(20), due_at=at(300))
    assert custody_of(store, item).due_at == at(300).isoformat(timespec="milliseconds")
    assert holder_index(store, item) == "cat"
    assert [e["action"] for e in person_history(store, "ben")] == ["transfer"]


def test_handing_over_a_case_moves_its_members_that_are_out_together(store: Store) -> None:
    case = add(store, "Light kit")
    heads = [add(store, f"Head {n}", kit_id=case) for n in range(3)]
    check_out(store, case, "ana", at=at(0), due_at=at(90))
    check_in(store, heads[0], at=at(5))
    seen = commits(store)

    events = transfer(store, case, "ben", at=at(10))

    assert len(events) == 3 and len(seen) == 1
    assert [custody_of(store, i).holder_id for i in [case, *heads]] == [
        "ben",
        None,
        "ben",
        "ben",
    ]
    assert [i["name"] for i in held_by(store, "ben")] == ["Head 1", "Head 2", "Light kit"]


def test_damage_flags_repair_and_repair_clears_it(store: Store) -> None:
    item = add(store, "Light stand")
    check_out(store, item, "ana", at=at(0))
    check_in_items(store, [Return(item, "damaged", "bent leg", PHOTO, flag_repair=True)], at=at(5))

    assert custody_of(store, item).status == "repair"
    damage = history(store, item)[-1]
    assert (damage["action"], damage["note"], damage["photo"]) == ("damage", "bent leg", PHOTO)
    assert PHOTO in store.private("_blobs")
    with pytest.raises(CustodyError):
        check_out(store, item, "ben", at=at(40))

    record_repair(store, item, note="new leg", at=at(50))
    assert custody_of(store, item).status == "available"

    report_damage(store, item, note="cracked", at=at(60))
    assert custody_of(store, item).in_store  # noted, still usable
    assert custody_of(store, item).status == "damaged"
    assert [e["action"] for e in history(store, item)][-2:] == ["repair", "damage"]


def test_audit_finds_a_missing_item(store: Store) -> None:
    item = add(store, "Clapper")
    set_flag(store, item, "missing")
    assert custody_of(store, item).status == "missing"
    audit(store, item, person_id="dan", note="in the van", at=at(1))
    assert custody_of(store, item).status == "available"


def test_overdue_lists_items_still_out_past_due(store: Store) -> None:
    early, late, returned, open_ended = (add(store, n) for n in ("Early", "Late", "Back", "Open"))
    check_out(store, early, "ana", at=at(0), due_at=at(60))
    check_out(store, late, "ana", at=at(0), due_at=at(120))
    check_out(store, returned, "ana", at=at(0), due_at=at(30))
    check_out(store, open_ended, "ana", at=at(0))
    check_in(store, returned, at=at(20))

    assert [c.item_id for c in overdue(store, now=at(200))] == [early, late]
    assert [c.item_id for c in overdue(store, now=at(90))] == [early]
    assert overdue(store, now=at(59)) == []


# -- conflicts between two devices ---------------------------------------------------------


def exchange(a: Store, b: Store) -> None:
    """Sync both ways, as the server would: every record's state, stamps included."""
    for source, target in ((a, b), (b, a)):
        records = []
        for coll in ("equipment", "custody_events"):
            for record in source.all(coll):
                state = source.state(coll, record["id"])
                assert state is not None
                records.append((coll, record["id"], state))
        target.merge_remote(records)


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    yield Store.open(tmp_path / "a"), Store.open(tmp_path / "b")


def test_two_offline_check_outs_become_a_conflict_until_resolved(
    devices: tuple[Store, Store],
) -> None:
    a, b = devices
    item = add(a, "Steadicam")
    exchange(a, b)
    [first] = check_out(a, item, "ana", at=at(0))
    [second] = check_out(b, item, "ben", at=at(5))

    exchange(a, b)

    for device in (a, b):
        [conflict] = conflicts(device)
        assert conflict.item_id == item
        assert [e["id"] for e in conflict.competing] == [first, second]
        assert custody_of(device, item).holder_id == "ben" == holder_index(device, item)

    resolve_conflict(a, item, holder_id="ana", resolved_by="coord", note="Ana has it", at=at(30))
    exchange(a, b)

    for device in (a, b):
        assert conflicts(device) == []
        assert custody_of(device, item).holder_id == "ana" == holder_index(device, item)
        events = history(device, item)
        assert {first, second} <= {e["id"] for e in events}  # nothing dropped
        assert [e["action"] for e in events] == ["check_out", "check_out", "audit", "transfer"]
        assert events[2]["person_id"] == "coord"


def test_resolving_to_nobody_checks_the_item_in(devices: tuple[Store, Store]) -> None:
    a, b = devices
    item = add(a, "Drone")
    exchange(a, b)
    check_out(a, item, "ana", at=at(0))
    check_out(b, item, "ben", at=at(5))
    exchange(a, b)

    resolve_conflict(b, item, holder_id=None, resolved_by="coord", at=at(9))

    assert conflicts(b) == []
    assert custody_of(b, item).status == "available"
    with pytest.raises(CustodyError, match="no custody conflict"):
        resolve_conflict(b, item, holder_id=None, resolved_by="coord", at=at(300))


def test_same_person_or_a_check_in_between_is_no_conflict(devices: tuple[Store, Store]) -> None:
    a, b = devices
    same, cycled = add(a, "Same"), add(a, "Cycled")
    exchange(a, b)
    check_out(a, same, "ana", at=at(0))
    check_out(b, same, "ana", at=at(1))
    check_out(a, cycled, "ana", at=at(0))
    check_in(a, cycled, at=at(2))
    check_out(b, cycled, "ben", at=at(3))
    exchange(a, b)
    assert conflicts(a) == conflicts(b) == []


def test_a_later_competing_check_out_reopens_a_conflict(
    devices: tuple[Store, Store], tmp_path: Path
) -> None:
    a, b = devices
    c = Store.open(tmp_path / "c")
    item = add(a, "Monitor")
    exchange(a, c)  # c hears of the item, then goes offline
    exchange(a, b)
    check_out(a, item, "ana", at=at(0))
    check_out(b, item, "ben", at=at(5))
    exchange(a, b)
    resolve_conflict(a, item, holder_id="ana", resolved_by="coord", at=at(10))
    check_out(c, item, "cat", at=at(12))

    exchange(a, c)

    [conflict] = conflicts(a)
    assert [e["person_id"] for e in conflict.competing] == ["ana", "cat"]


# -- property: the fold agrees with a reference model and with the store's index -------------

ACTIONS = ("check_out", "check_in", "transfer", "damage", "repair", "audit")
ZONES = [timezone(timedelta(hours=h)) for h in (-5, 0, 2)]

event_strategy = st.fixed_dictionaries(
    {
        "action": st.sampled_from(ACTIONS),
        "person_id": st.sampled_from([None, "ana", "ben", "cat"]),
        "minute": st.integers(0, 20),
        "zone": st.sampled_from(ZONES),
        "due": st.one_of(st.none(), st.integers(0, 40)),
    }
)


def reference(events: list[dict[str, Any]], flag: str) -> tuple[str, str | None, str | None]:
    """Replay the log by instant (then id): the simplest statement of the rules."""
    holder = due = None
    damaged = False
    for event in sorted(events, key=lambda e: (datetime.fromisoformat(e["at"]), e["id"])):
        if event["action"] in ("damage", "repair"):
            damaged = event["action"] == "damage"
        if event["action"] in ("check_out", "transfer"):
            was_out = holder is not None
            holder = event["person_id"]
            if event["due_at"] is not None:
                due = event["due_at"]
            elif not (event["action"] == "transfer" and was_out):
                due = None
        elif event["action"] == "check_in":
            holder = due = None
        if holder is None:
            due = None
    in_store = "damaged" if damaged else "available"
    status = flag if flag != "none" else ("out" if holder else in_store)
    return status, holder, due


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.lists(event_strategy, max_size=12),
    flag=st.sampled_from(["none", "repair", "missing", "retired"]),
    batches=st.integers(1, 3),
)
def test_derived_custody_matches_the_model_and_the_holder_index(
    raw: list[dict[str, Any]], flag: str, batches: int
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(directory)
        item = add(store, "Anything", flag=flag)
        for batch in range(batches):  # events arrive over several commits, in any order
            with store.transaction() as tx:
                for spec in raw[batch::batches]:
                    moment = (T0 + timedelta(minutes=spec["minute"])).astimezone(spec["zone"])
                    due = None if spec["due"] is None else (T0 + timedelta(minutes=spec["due"]))
                    tx.insert("custody_events", {
                        "equipment_id": item, "action": spec["action"],
                        "person_id": spec["person_id"], "at": moment.isoformat(),
                        "due_at": due.isoformat() if due else None,
                    })  # fmt: skip
        events = store.lookup("custody_events", "equipment_id", item)

        state = custody_of(store, item)

        assert (state.status, state.holder_id, state.due_at) == reference(events, flag)
        assert state.holder_id == holder_index(store, item)
        assert all_custody(store)[item] == state
        assert derive({"id": item, "flag": flag}, reversed(events)) == state
        store.close()


def test_damaged_check_in_without_repair_stays_damaged_until_repaired(store: Store) -> None:
    item = add(store, "Sandbag")
    check_out(store, item, "ana", at=at(0))
    check_in(store, item, condition="damaged", note="split seam", at=at(5))

    state = custody_of(store, item)
    assert state.status == "damaged" and state.in_store
    assert state.damage is not None and state.damage["note"] == "split seam"
    assert all_custody(store)[item] == state

    check_out(store, item, "ben", at=at(10))  # still usable: it can go out again
    assert custody_of(store, item).status == "out"
    check_in(store, item, at=at(20))
    assert custody_of(store, item).status == "damaged"  # a good return does not mend it

    set_flag(store, item, "repair")
    assert custody_of(store, item).status == "repair"
    record_repair(store, item, note="sewn", at=at(30))
    state = custody_of(store, item)
    assert (state.status, state.damage) == ("available", None)
