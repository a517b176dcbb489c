from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.custody_actions import check_in, check_out
from app.equipment import create_item
from app.interchange import import_crew_csv
from app.productions import (
    add_location,
    add_person,
    create_production,
    list_locations,
    list_people,
)
from app.removal import StillNeeded, remove_location, remove_person
from app.schedule import add_item
from app.store import Store

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def production(store: Store) -> str:
    return create_production(
        store, name="Harbour Lights", starts_on="2026-11-26", ends_on="2026-11-28",
        timezone="Europe/Lisbon", currency="EUR",
    )  # fmt: skip


def test_someone_nothing_names_is_deleted(store: Store, production: str) -> None:
    typo = add_person(store, production, name="Ana Slva")
    removal = remove_person(store, typo)
    assert not removal.kept
    assert removal.message == "Removed Ana Slva."
    assert store.get("people", typo) is None
    assert list_people(store, production, include_removed=True) == []


def test_someone_holding_gear_cannot_be_removed_until_it_is_back(
    store: Store, production: str
) -> None:
    ana = add_person(store, production, name="Ana Silva")
    camera = create_item(store, name="Camera A", currency="EUR")
    check_out(store, camera, ana, at=AT, production_id=production)
    with pytest.raises(StillNeeded, match=r"Ana Silva still has 1 item \(Camera A\)"):
        remove_person(store, ana)
    assert [p["id"] for p in list_people(store, production)] == [ana]

    check_in(store, camera, at=AT.replace(hour=18))
    removal = remove_person(store, ana)
    assert removal.kept
    assert removal.message == "Ana Silva is off the crew list, and still named in 2 gear records."
    assert list_people(store, production) == []
    kept = store.get("people", ana)
    assert kept is not None and kept["archived"] is True and kept["name"] == "Ana Silva"
    assert [p["id"] for p in list_people(store, production, include_removed=True)] == [ana]


def test_someone_on_the_schedule_is_kept_for_it(store: Store, production: str) -> None:
    ben = add_person(store, production, name="Ben Okafor")
    add_item(store, production, day="2026-11-26", kind="scene", title="Sc. 4",
             planned_start="2026-11-26T09:00", people_ids=[ben])  # fmt: skip
    assert remove_person(store, ben).uses == ("1 schedule item",)
    assert list_people(store, production) == []


def test_a_crew_list_puts_someone_removed_back_on_it(store: Store, production: str) -> None:
    ben = add_person(store, production, name="Ben Okafor", email="ben@example.com")
    add_item(store, production, day="2026-11-26", kind="scene", title="Sc. 4",
             planned_start="2026-11-26T09:00", people_ids=[ben])  # fmt: skip
    remove_person(store, ben)
    csv = "Name,Email\nBen O.,ben@example.com\n"
    report = import_crew_csv(store, csv, production_id=production)
    assert report.ok and report.updated == 1 and report.created == 0
    assert [(p["id"], p["name"]) for p in list_people(store, production)] == [(ben, "Ben O.")]


def test_a_location_is_kept_while_the_schedule_names_it(store: Store, production: str) -> None:
    stage = add_location(store, production, name="Stage 2")
    spare = add_location(store, production, name="Spare room")
    add_item(store, production, day="2026-11-26", kind="setup", title="Prelight",
             planned_start="2026-11-26T07:00", location_id=stage)  # fmt: skip

    assert remove_location(store, spare).message == "Removed Spare room."
    assert store.get("locations", spare) is None
    removal = remove_location(store, stage)
    assert removal.message == (
        "Stage 2 is off the locations list, and still named in 1 schedule item."
    )
    assert list_locations(store, production) == []
    assert [loc["name"] for loc in list_locations(store, production, include_removed=True)] == [
        "Stage 2"
    ]
