from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.checklists import (
    ChecklistError,
    SignOffRefused,
    add_item,
    checklists_for_day,
    create_template,
    ensure_templates,
    instantiate,
    items,
    list_templates,
    note_item,
    progress,
    reopen,
    sign_off,
    signed_off_with_open_items,
    tick,
    untick,
)
from app.models import ValidationError
from app.productions import add_location, add_person, create_production
from app.store import BLOBS, Store
from app.templates import BUILT_IN

DAY = "2026-11-26"
NINE = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def clock_at(moment: datetime) -> Any:
    return lambda: moment


def production(store: Store) -> str:
    return create_production(
        store,
        name="Harbour Lights",
        starts_on=DAY,
        ends_on="2026-11-27",
        timezone="Europe/Lisbon",
        currency="EUR",
    )


def template_named(store: Store, title: str) -> dict[str, Any]:
    return next(t for t in list_templates(store) if t["title"] == title)


def safety_walk(store: Store, pid: str) -> str:
    return instantiate(
        store, template_named(store, "Safety walk")["id"], production_id=pid, day=DAY
    )


# -- templates -------------------------------------------------------------------------------


def test_built_in_templates_are_stored_on_first_use(store: Store) -> None:
    assert store.all("checklists") == []
    titles = [t["title"] for t in list_templates(store)]
    assert titles == sorted(t.title for t in BUILT_IN)
    assert {"Stage setup", "Safety walk", "Load-out", "Camera prep"} <= set(titles)
    walk = template_named(store, "Safety walk")
    entries = items(store, walk["id"])
    built_in = next(t for t in BUILT_IN if t.title == "Safety walk")
    assert [(i["text"], i["required"]) for i in entries] == [
        (e.text, e.required) for e in built_in.items
    ]
    assert any(i["required"] for i in entries) and not all(i["required"] for i in entries)
    count = len(store.all("checklist_items"))
    list_templates(store)  # a second use creates nothing more
    assert len(store.all("checklist_items")) == count


def test_every_built_in_template_has_required_and_optional_items() -> None:
    for template in BUILT_IN:
        assert len(template.items) >= 5
        assert any(i.required for i in template.items)
        assert not any(i.text.startswith("!") for i in template.items)


def test_two_devices_creating_the_templates_offline_converge_on_one_copy(tmp_path: Path) -> None:
    first, second = Store.open(tmp_path / "a"), Store.open(tmp_path / "b")
    ensure_templates(first)
    ensure_templates(second)
    sync(first, second)
    assert len(list_templates(first)) == len(BUILT_IN) == len(list_templates(second))
    assert len(first.all("checklist_items")) == sum(len(t.items) for t in BUILT_IN)


def test_a_deleted_built_in_template_stays_deleted(store: Store) -> None:
    walk = template_named(store, "Safety walk")["id"]
    with store.transaction() as tx:
        tx.delete("checklists", walk)
    assert "Safety walk" not in [t["title"] for t in list_templates(store)]


def test_a_crew_can_make_its_own_template(store: Store) -> None:
    template = create_template(
        store, "Generator check", [("Fuel above half", True), ("Log hours", False)]
    )
    assert template_named(store, "Generator check")["id"] == template
    assert [(i["text"], i["required"], i["position"]) for i in items(store, template)] == [
        ("Fuel above half", True, 0),
        ("Log hours", False, 1),
    ]
    with pytest.raises(ValidationError):
        create_template(store, "Broken", [("Fine", True), ("  ", False)])
    assert [t["title"] for t in list_templates(store)].count("Broken") == 0


# -- instances -------------------------------------------------------------------------------


def test_instantiating_copies_the_items_for_a_day_and_place(store: Store) -> None:
    pid = production(store)
    stage = add_location(store, pid, name="Main stage")
    template = template_named(store, "Stage setup")
    checklist_id = instantiate(store, template["id"], production_id=pid, day=DAY, location_id=stage)
    checklist = store.get("checklists", checklist_id)
    assert checklist is not None
    assert (checklist["title"], checklist["day"], checklist["location_id"]) == (
        "Stage setup",
        DAY,
        stage,
    )
    assert (checklist["template_id"], checklist["is_template"]) == (template["id"], False)
    copied = items(store, checklist_id)
    original = items(store, template["id"])
    assert [(i["text"], i["required"]) for i in copied] == [
        (i["text"], i["required"]) for i in original
    ]
    assert not {i["id"] for i in copied} & {i["id"] for i in original}
    assert [c["id"] for c in checklists_for_day(store, pid, DAY)] == [checklist_id]


def test_only_templates_can_be_instantiated_and_only_for_production_days(store: Store) -> None:
    pid = production(store)
    walk = safety_walk(store, pid)
    with pytest.raises(ChecklistError, match="not a template"):
        instantiate(store, walk, production_id=pid, day=DAY)
    template = template_named(store, "Load-out")["id"]
    with pytest.raises(ChecklistError, match="not a day"):
        instantiate(store, template, production_id=pid, day="2026-12-25")
    assert len(checklists_for_day(store, pid, DAY)) == 1


def test_items_can_be_added_at_the_end(store: Store) -> None:
    pid = production(store)
    walk = safety_walk(store, pid)
    added = add_item(store, walk, "Check the river level", required=True)
    assert items(store, walk)[-1]["id"] == added
    assert progress(store, walk).required_total == 1 + sum(
        i.required for i in next(t for t in BUILT_IN if t.title == "Safety walk").items
    )


# -- ticking -----------------------------------------------------------------------------------


def test_a_tick_records_who_when_note_and_photo(store: Store) -> None:
    pid = production(store)
    ana = add_person(store, pid, name="Ana")
    walk = safety_walk(store, pid)
    first = items(store, walk)[0]["id"]
    photo = hashlib.sha256(b"exit door photo").hexdigest()
    ticked = tick(
        store, first, person_id=ana, note="Door 3 wedged open", photo=photo, clock=clock_at(NINE)
    )
    assert (ticked["done"], ticked["done_by"], ticked["done_at"]) == (True, ana, NINE.isoformat())
    assert (ticked["note"], ticked["photo"]) == ("Door 3 wedged open", photo)
    assert store.private(BLOBS)[photo]["status"] == "pending"  # queued for upload
    unticked = untick(store, first)
    assert (unticked["done"], unticked["done_by"], unticked["done_at"]) == (False, None, None)
    assert unticked["note"] == "Door 3 wedged open"


def test_a_bad_photo_reference_is_refused_and_nothing_is_ticked(store: Store) -> None:
    pid = production(store)
    walk = safety_walk(store, pid)
    first = items(store, walk)[0]["id"]
    with pytest.raises(ValidationError) as caught:
        tick(store, first, person_id="ana", photo="IMG_0042.JPG")
    assert caught.value.field == "photo"
    assert items(store, walk)[0]["done"] is False
    assert store.private(BLOBS) == {}


def test_template_items_are_not_ticked(store: Store) -> None:
    template = template_named(store, "Camera prep")["id"]
    with pytest.raises(ChecklistError, match="Template"):
        tick(store, items(store, template)[0]["id"], person_id="ana")


def test_progress_counts_all_and_required_items(store: Store) -> None:
    pid = production(store)
    checklist = instantiate(
        store,
        create_template(store, "Short", [("A", True), ("B", False), ("C", True)]),
        production_id=pid,
        day=DAY,
    )
    a, b, c = (i["id"] for i in items(store, checklist))
    start = progress(store, checklist)
    assert (start.done, start.total, start.required_done, start.required_total) == (0, 3, 0, 2)
    tick(store, b, person_id="ana")
    tick(store, a, person_id="ana")
    now = progress(store, checklist)
    assert (now.done, now.required_done, now.complete) == (2, 1, False)
    tick(store, c, person_id="bo")
    assert progress(store, checklist).complete


# -- sign-off ----------------------------------------------------------------------------------


def test_sign_off_is_refused_while_a_required_item_is_open(store: Store) -> None:
    pid = production(store)
    checklist = instantiate(
        store,
        create_template(store, "Short", [("Exits clear", True), ("Coffee", False)]),
        production_id=pid,
        day=DAY,
    )
    exits, coffee = (i["id"] for i in items(store, checklist))
    tick(store, coffee, person_id="ana")
    with pytest.raises(SignOffRefused) as refused:
        sign_off(store, checklist, person_id="lead")
    assert refused.value.open_items == ["Exits clear"]
    assert "Exits clear" in str(refused.value)
    assert store.get("checklists", checklist)["signed_off_at"] is None
    untick(store, coffee)
    tick(store, exits, person_id="ana")
    signed = sign_off(store, checklist, person_id="lead", clock=clock_at(NINE))
    assert (signed["signed_off_by"], signed["signed_off_at"]) == ("lead", NINE.isoformat())


def signed_off_list(store: Store) -> tuple[str, str]:
    """A one-item checklist, signed off: its id and its item's id."""
    pid = production(store)
    checklist = instantiate(
        store, create_template(store, "One", [("Only", False)]), production_id=pid, day=DAY
    )
    only = items(store, checklist)[0]["id"]
    sign_off(store, checklist, person_id="lead")
    return checklist, only


def test_a_signed_off_list_is_frozen_until_reopened(store: Store) -> None:
    checklist, only = signed_off_list(store)
    with pytest.raises(ChecklistError, match="signed off"):
        tick(store, only, person_id="ana")
    reopen(store, checklist)
    assert tick(store, only, person_id="ana")["done"] is True


# -- offline ticks by two people ----------------------------------------------------------------


def sync(*stores: Store) -> None:
    """Exchange every record's state between stores, as a round of sync would."""
    for source in stores:
        for target in stores:
            if source is target:
                continue
            states = [
                (coll, rid, state)
                for coll in ("productions", "people", "checklists", "checklist_items")
                for rid in (r["id"] for r in source.all(coll))
                if (state := source.state(coll, rid)) is not None
            ]
            target.merge_remote(states)


def test_concurrent_offline_ticks_on_different_items_both_survive(tmp_path: Path) -> None:
    lead, crew = Store.open(tmp_path / "lead"), Store.open(tmp_path / "crew")
    pid = production(lead)
    walk = safety_walk(lead, pid)
    sync(lead, crew)
    first, second = (i["id"] for i in items(crew, walk)[:2])
    tick(lead, first, person_id="ana", clock=clock_at(NINE))
    tick(crew, second, person_id="bo", note="Extinguisher tag expired", clock=clock_at(NINE))
    sync(lead, crew)
    for store in (lead, crew):
        done = {i["id"]: (i["done_by"], i["note"]) for i in items(store, walk) if i["done"]}
        assert done == {first: ("ana", ""), second: ("bo", "Extinguisher tag expired")}
        assert progress(store, walk).done == 2


def test_a_note_and_a_tick_on_the_same_item_both_survive(tmp_path: Path) -> None:
    lead, crew = Store.open(tmp_path / "lead"), Store.open(tmp_path / "crew")
    pid = production(lead)
    walk = safety_walk(lead, pid)
    sync(lead, crew)
    first = items(lead, walk)[0]["id"]
    with crew.transaction() as tx:  # the note is written first: a tick must not clear it
        tx.update("checklist_items", first, {"note": "Exit 2 blocked by a flight case"})
    tick(lead, first, person_id="ana")
    sync(lead, crew)
    for store in (lead, crew):
        merged = store.get("checklist_items", first)
        assert (merged["done"], merged["note"]) == (True, "Exit 2 blocked by a flight case")


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 9)), min_size=1, max_size=12))
def test_any_interleaving_of_offline_ticks_converges(
    tmp_path_factory: pytest.TempPathFactory, ticks: list[tuple[bool, int]]
) -> None:
    root = tmp_path_factory.mktemp("converge")
    lead, crew = Store.open(root / "lead"), Store.open(root / "crew")
    pid = production(lead)
    walk = safety_walk(lead, pid)
    sync(lead, crew)
    ids = [i["id"] for i in items(lead, walk)]
    expected: set[str] = set()
    for on_lead, index in ticks:
        tick(lead if on_lead else crew, ids[index], person_id="lead" if on_lead else "crew")
        expected.add(ids[index])
    sync(lead, crew)
    assert items(lead, walk) == items(crew, walk)
    assert {i["id"] for i in items(lead, walk) if i["done"]} == expected


def test_a_note_alone_leaves_the_item_open_and_a_tick_keeps_who_and_when(store: Store) -> None:
    pid = production(store)
    walk = safety_walk(store, pid)
    first, second = (i["id"] for i in items(store, walk)[:2])
    noted = note_item(store, first, "Exit B chained")
    assert (noted["done"], noted["done_by"], noted["note"]) == (False, None, "Exit B chained")
    assert progress(store, walk).done == 0
    tick(store, second, person_id="ana", clock=clock_at(NINE))
    later = note_item(store, second, "Checked again")
    assert (later["done"], later["done_by"], later["done_at"]) == (True, "ana", NINE.isoformat())


def test_a_signed_off_list_refuses_a_note(store: Store) -> None:
    checklist, only = signed_off_list(store)
    with pytest.raises(ChecklistError, match="signed off"):
        note_item(store, only, "Too late")
    assert items(store, checklist)[0].get("note") in (None, "")


def test_a_tick_without_a_note_keeps_the_note_already_there(store: Store) -> None:
    pid = production(store)
    walk = safety_walk(store, pid)
    first = items(store, walk)[0]["id"]
    tick(store, first, person_id="ana", note="Checked twice")
    untick(store, first)
    assert tick(store, first, person_id="bo")["note"] == "Checked twice"


def test_a_sign_off_merged_with_an_offline_untick_is_flagged(tmp_path: Path) -> None:
    lead, crew = Store.open(tmp_path / "lead"), Store.open(tmp_path / "crew")
    pid = production(lead)
    walk = safety_walk(lead, pid)
    for item in items(lead, walk):
        tick(lead, item["id"], person_id="ana", clock=clock_at(NINE))
    sync(lead, crew)
    required = next(i for i in items(crew, walk) if i["required"])
    untick(crew, required["id"])  # offline: the crew found the exit blocked again
    sign_off(lead, walk, person_id="ana", clock=clock_at(NINE))
    assert signed_off_with_open_items(lead, walk) == []
    sync(lead, crew)
    for store in (lead, crew):
        assert store.get("checklists", walk)["signed_off_at"] is not None
        assert signed_off_with_open_items(store, walk) == [required["text"]]
