from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from app.models import ValidationError
from app.productions import (
    add_location,
    add_person,
    archive_production,
    create_production,
    get_production,
    list_locations,
    list_people,
    list_productions,
    production_days,
    production_zone,
    update_location,
    update_person,
    update_production,
)
from app.store import RecordNotFound, Store


def make(store: Store, name: str = "Harbour Lights", starts_on: str = "2026-11-26") -> str:
    return create_production(
        store,
        name=name,
        starts_on=starts_on,
        ends_on="2026-11-28",
        timezone="Europe/Lisbon",
        currency="eur",
    )


def test_a_production_is_stored_with_clean_values(store: Store) -> None:
    production = get_production(store, make(store))
    assert production["currency"] == "EUR"
    assert production["archived"] is False
    assert production_days(production) == ["2026-11-26", "2026-11-27", "2026-11-28"]
    assert production_zone(production) == ZoneInfo("Europe/Lisbon")


def test_a_bad_production_stores_nothing(store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        create_production(
            store,
            name="Gig",
            starts_on="2026-11-28",
            ends_on="2026-11-26",
            timezone="Europe/Lisbon",
            currency="EUR",
        )
    assert caught.value.field == "ends_on"
    assert store.all("productions") == []


def test_an_update_keeps_the_dates_in_order(store: Store) -> None:
    production_id = make(store)
    with pytest.raises(ValidationError, match="before"):
        update_production(store, production_id, ends_on="2026-11-01")
    assert get_production(store, production_id)["ends_on"] == "2026-11-28"
    assert update_production(store, production_id, ends_on="2026-11-30")["ends_on"] == "2026-11-30"


def test_listing_hides_archived_productions_and_puts_the_latest_first(store: Store) -> None:
    older = make(store, "Spring tour", "2026-03-01")
    newer = make(store, "Harbour Lights", "2026-11-26")
    assert [p["id"] for p in list_productions(store)] == [newer, older]
    archive_production(store, older)
    assert [p["id"] for p in list_productions(store)] == [newer]
    assert len(list_productions(store, include_archived=True)) == 2


def test_an_unknown_production_is_a_clear_error(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        get_production(store, "missing")
    with pytest.raises(RecordNotFound):
        add_person(store, "missing", name="Ana")


def test_people_are_listed_by_department_then_name(store: Store) -> None:
    production_id, other = make(store), make(store, "Other")
    add_person(store, production_id, name="Zoe", department="Camera")
    add_person(store, production_id, name="bea", department="Camera")
    add_person(store, production_id, name="Al", department="Sound")
    add_person(store, other, name="Elsewhere")
    names = [p["name"] for p in list_people(store, production_id)]
    assert names == ["bea", "Zoe", "Al"]


def test_people_are_validated(store: Store) -> None:
    production_id = make(store)
    with pytest.raises(ValidationError, match="email"):
        add_person(store, production_id, name="Ana", email="not an address")
    person = add_person(store, production_id, name="Ana", role="Gaffer")
    with pytest.raises(ValidationError, match="empty"):
        update_person(store, person, name=" ")
    assert update_person(store, person, phone="+351 900 000 000")["role"] == "Gaffer"
    assert [p["name"] for p in list_people(store, production_id)] == ["Ana"]


def test_locations_with_positions(store: Store) -> None:
    production_id = make(store)
    pier = add_location(store, production_id, name="Pier 4", lat=38.70, lon=-9.14)
    add_location(store, production_id, name="Base camp")
    with pytest.raises(ValidationError) as caught:
        add_location(store, production_id, name="Nowhere", lat=123.0)
    assert caught.value.field == "lat"
    assert [loc["name"] for loc in list_locations(store, production_id)] == ["Base camp", "Pier 4"]
    assert update_location(store, pier, address="Cais 4, Lisboa")["lat"] == 38.70
