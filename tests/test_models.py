from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models import (
    ENUMS,
    REQUIRED,
    ValidationError,
    defaults,
    insert_record,
    update_record,
    validate,
)
from app.store import RecordNotFound, Store
from sync.schema import COLLECTIONS, validate_fields

VALID: dict[str, dict[str, Any]] = {
    "productions": {
        "name": "Harbour Lights",
        "starts_on": "2026-11-26",
        "ends_on": "2026-11-28",
        "timezone": "Europe/Lisbon",
        "currency": "EUR",
    },
    "people": {"name": "Ana Ribeiro"},
    "locations": {"name": "Pier 4", "lat": 38.7, "lon": -9.1},
    "schedule_items": {
        "production_id": "p1",
        "day": "2026-11-26",
        "kind": "crew_call",
        "title": "Crew call",
        "planned_start": "2026-11-26T07:00:00+00:00",
        "planned_end": "2026-11-26T07:30:00+00:00",
    },
    "checklists": {"title": "Safety walk"},
    "checklist_items": {"checklist_id": "c1", "text": "Fire exits clear"},
    "equipment": {"code": "crewkit:eq:1", "name": "ARRI SkyPanel S60", "currency": "EUR"},
    "custody_events": {
        "equipment_id": "e1",
        "action": "check_out",
        "person_id": "u1",
        "at": "2026-11-26T08:00:00+00:00",
    },
    "expenses": {
        "production_id": "p1",
        "amount_minor": 1250,
        "currency": "EUR",
        "spent_on": "2026-11-26",
        "payment_method": "petty_cash",
    },
    "budget_lines": {
        "production_id": "p1",
        "category": "Catering",
        "allocated_minor": 500000,
        "currency": "EUR",
    },
    "notes": {"production_id": "p1", "title": "Generator noisy", "severity": "minor",
              "at": "2026-05-01T09:15:00+12:00"},
}


def rejects(coll: str, fields: dict[str, Any], field: str, **kwargs: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        validate(coll, fields, **kwargs)
    assert caught.value.field == field
    assert caught.value.coll == coll
    return str(caught.value)


@pytest.mark.parametrize("coll", sorted(COLLECTIONS))
def test_a_valid_new_record_gets_every_field_with_schema_types(coll: str) -> None:
    record = validate(coll, VALID[coll])
    assert set(record) == set(COLLECTIONS[coll])
    assert validate_fields(coll, record) == []
    for field, value in VALID[coll].items():
        assert record[field] == value


@pytest.mark.parametrize("coll", sorted(COLLECTIONS))
def test_each_required_field_is_demanded_on_insert(coll: str) -> None:
    for field in REQUIRED[coll]:
        fields = {k: v for k, v in VALID[coll].items() if k != field}
        assert "required" in rejects(coll, fields, field)


def test_defaults_are_sensible_starting_values() -> None:
    assert defaults("schedule_items")["status"] == "planned"
    assert defaults("schedule_items")["people_ids"] == []
    assert defaults("expenses")["status"] == "draft"
    assert defaults("equipment")["flag"] == "none"
    assert defaults("checklists")["is_template"] is False
    assert defaults("locations")["lat"] is None
    assert "name" not in defaults("productions")


def test_a_default_list_is_not_shared_between_records() -> None:
    first = validate("schedule_items", VALID["schedule_items"])
    first["people_ids"].append("x")
    assert validate("schedule_items", VALID["schedule_items"])["people_ids"] == []


def test_text_is_trimmed_and_currency_upper_cased() -> None:
    record = validate("productions", {**VALID["productions"], "name": "  Gig  ", "currency": "eur"})
    assert record["name"] == "Gig"
    assert record["currency"] == "EUR"


@pytest.mark.parametrize(
    ("coll", "field", "value"),
    [
        ("productions", "starts_on", "26/11/2026"),
        ("productions", "archived", "no"),
        ("schedule_items", "planned_start", "2026-11-26T07:00:00"),  # no offset
        ("schedule_items", "people_ids", "u1"),
        ("equipment", "value_minor", 12.5),
        ("equipment", "flag", "broken"),
        ("checklist_items", "photo", "not-a-hash"),
        ("expenses", "amount_minor", True),
    ],
)
def test_type_errors_name_the_field(coll: str, field: str, value: Any) -> None:
    message = rejects(coll, {**VALID[coll], field: value}, field)
    assert "must be" in message


def test_unknown_fields_and_collections_are_refused() -> None:
    assert "no field 'colour'" in rejects(
        "equipment", {**VALID["equipment"], "colour": "red"}, "colour"
    )
    with pytest.raises(ValidationError, match="no collection"):
        validate("gadgets", {})


@pytest.mark.parametrize(
    ("coll", "field"),
    [
        ("productions", "name"),
        ("people", "name"),
        ("locations", "name"),
        ("schedule_items", "title"),
        ("checklists", "title"),
        ("checklist_items", "text"),
        ("equipment", "name"),
        ("equipment", "code"),
        ("budget_lines", "category"),
        ("notes", "title"),
    ],
)
def test_blank_names_are_refused(coll: str, field: str) -> None:
    assert "must not be empty" in rejects(coll, {**VALID[coll], field: "   "}, field)


@pytest.mark.parametrize("coll", ["productions", "equipment", "expenses", "budget_lines"])
@pytest.mark.parametrize("code", ["EUX", "XAU", "ABC"])
def test_unknown_currencies_are_refused(coll: str, code: str) -> None:
    message = rejects(coll, {**VALID[coll], "currency": code}, "currency")
    assert message == (
        f"{code} is not a currency code. Type its three letters, e.g. EUR, GBP or USD."
    )


def test_a_currency_that_is_not_three_letters_is_told_in_crew_words() -> None:
    message = rejects("productions", {**VALID["productions"], "currency": "EURO"}, "currency")
    assert message == "EURO is not a currency code. Type its three letters, e.g. EUR, GBP or USD."
    assert "ISO" not in message


@pytest.mark.parametrize(
    ("coll", "field"),
    [
        ("equipment", "value_minor"),
        ("expenses", "amount_minor"),
        ("budget_lines", "allocated_minor"),
        ("checklist_items", "position"),
    ],
)
def test_negative_amounts_are_refused(coll: str, field: str) -> None:
    assert "negative" in rejects(coll, {**VALID[coll], field: -1}, field)
    assert validate(coll, {**VALID[coll], field: 0})[field] == 0


def test_implausibly_large_amounts_are_refused() -> None:
    rejects("expenses", {**VALID["expenses"], "amount_minor": 10**16}, "amount_minor")


@pytest.mark.parametrize(
    ("coll", "start", "end", "early", "late"),
    [
        ("productions", "starts_on", "ends_on", "2026-11-26", "2026-11-28"),
        (
            "schedule_items",
            "planned_start",
            "planned_end",
            "2026-11-26T09:00:00+01:00",
            "2026-11-26T08:30:00+00:00",
        ),
        (
            "schedule_items",
            "actual_start",
            "actual_end",
            "2026-11-26T07:00:00+00:00",
            "2026-11-26T07:45:00+00:00",
        ),
        (
            "custody_events",
            "at",
            "due_at",
            "2026-11-26T08:00:00+00:00",
            "2026-11-29T18:00:00+00:00",
        ),
    ],
)
def test_an_end_before_its_start_is_refused(
    coll: str, start: str, end: str, early: str, late: str
) -> None:
    assert validate(coll, {**VALID[coll], start: early, end: late})[end] == late
    assert "before" in rejects(coll, {**VALID[coll], start: late, end: early}, end)


def test_ordering_compares_instants_not_text() -> None:
    # 09:00+02:00 is 07:00 UTC: before 08:00 UTC although its text sorts later.
    fields = {
        **VALID["schedule_items"],
        "planned_start": "2026-11-26T09:00:00+02:00",
        "planned_end": "2026-11-26T08:00:00+00:00",
    }
    assert validate("schedule_items", fields)["planned_end"] == fields["planned_end"]


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "../etc/passwd", "CET+1"])
def test_bad_time_zones_are_refused(zone: str) -> None:
    assert "IANA" in rejects("productions", {**VALID["productions"], "timezone": zone}, "timezone")


@pytest.mark.parametrize(("field", "value"), [("lat", 91.0), ("lon", -180.5)])
def test_coordinates_must_be_on_earth(field: str, value: float) -> None:
    rejects("locations", {**VALID["locations"], field: value}, field)


@pytest.mark.parametrize(("coll", "field"), sorted(ENUMS))
def test_vocabulary_fields_accept_only_their_words(coll: str, field: str) -> None:
    for word in ENUMS[(coll, field)]:
        assert validate(coll, {**VALID[coll], field: word})[field] == word
    assert "use one of" in rejects(coll, {**VALID[coll], field: "sometime"}, field)


def test_a_check_out_names_who_takes_the_item() -> None:
    fields = {**VALID["custody_events"], "person_id": None}
    assert "person" in rejects("custody_events", fields, "person_id")
    assert validate("custody_events", {**fields, "action": "audit"})["person_id"] is None


def test_an_update_validates_against_the_merged_record() -> None:
    current = {"id": "s1", **validate("schedule_items", VALID["schedule_items"])}
    assert validate("schedule_items", {"title": "Call"}, current=current) == {"title": "Call"}
    late_start = "2026-11-26T08:00:00+00:00"
    rejects("schedule_items", {"planned_start": late_start}, "planned_end", current=current)


def test_an_update_ignores_rules_on_fields_it_does_not_touch() -> None:
    # A record merged from another device may hold an odd value; editing something
    # else must still work, and the odd value is reported once it is edited.
    current = {"id": "n1", **validate("notes", VALID["notes"]), "severity": "apocalyptic"}
    assert validate("notes", {"body": "Swapped to generator B"}, current=current)
    rejects("notes", {"severity": "worse"}, "severity", current=current)


def test_a_kit_cannot_contain_itself() -> None:
    current = {"id": "case", **validate("equipment", VALID["equipment"])}
    assert "itself" in rejects("equipment", {"kit_id": "case"}, "kit_id", current=current)


def test_a_cycle_of_kits_is_found_through_lookup() -> None:
    items = {"a": {"kit_id": "b"}, "b": {"kit_id": "c"}, "c": {"kit_id": None}}
    current = {"id": "c", **validate("equipment", VALID["equipment"])}

    def lookup(coll: str, rid: str) -> dict[str, Any] | None:
        assert coll == "equipment"
        return items.get(rid)

    rejects("equipment", {"kit_id": "a"}, "kit_id", current=current, lookup=lookup)
    # Nesting without a cycle (a cart holding cases) is fine, as is an unknown kit.
    assert validate("equipment", {"kit_id": "d"}, current=current, lookup=lookup)
    items["x"] = {"kit_id": "y"}
    items["y"] = {"kit_id": "x"}  # an existing cycle elsewhere must not hang the check
    assert validate("equipment", {"kit_id": "x"}, current=current, lookup=lookup)


@given(st.text())
def test_validation_never_fails_with_anything_but_validation_error(name: str) -> None:
    try:
        record = validate("people", {"name": name})
    except ValidationError as error:
        assert error.field == "name"
    else:
        assert record["name"] == name.strip() != ""


@pytest.mark.parametrize("email", ["ana@example.org", ""])
def test_an_email_address_is_optional_but_plausible(email: str) -> None:
    assert validate("people", {"name": "Ana", "email": email})["email"] == email


def test_a_mistyped_email_address_is_refused() -> None:
    rejects("people", {"name": "Ana", "email": "ana.example.org"}, "email")


def test_validated_writes_store_nothing_when_any_value_is_bad(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.transaction() as tx:
        kept = insert_record(tx, "people", {"name": "Ana"})
    with pytest.raises(ValidationError), store.transaction() as tx:
        insert_record(tx, "people", {"name": "Bo"})
        update_record(tx, "people", kept, {"name": ""})
    assert [p["name"] for p in store.all("people")] == ["Ana"]
    with store.transaction() as tx:
        assert update_record(tx, "people", kept, {"role": " Gaffer "})["role"] == "Gaffer"
    assert store.get("people", kept) == {
        "id": kept,
        **defaults("people"),
        "name": "Ana",
        "role": "Gaffer",
    }


def test_updating_a_missing_record_is_a_clear_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with pytest.raises(RecordNotFound, match="no people record nobody"), store.transaction() as tx:
        update_record(tx, "people", "nobody", {"name": "Ana"})


def test_kit_cycles_are_found_through_staged_writes(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.transaction() as tx:
        cart = insert_record(tx, "equipment", {**VALID["equipment"], "code": "crewkit:eq:c"})
        case = insert_record(tx, "equipment", {**VALID["equipment"], "kit_id": cart})
        with pytest.raises(ValidationError, match="itself"):
            update_record(tx, "equipment", cart, {"kit_id": case})


def test_an_end_before_its_start_is_told_in_crew_words() -> None:
    production = {**VALID["productions"], "starts_on": "2026-12-06", "ends_on": "2026-12-05"}
    message = rejects("productions", production, "ends_on")
    assert message.endswith(
        "The last day (Sat 5 Dec 2026) is before the first day (Sun 6 Dec 2026)."
    )


def test_an_end_time_before_its_start_names_both_times() -> None:
    item = {**VALID["schedule_items"], "planned_start": "2026-12-05T18:55:00+00:00",
            "planned_end": "2026-12-05T18:20:00+00:00"}  # fmt: skip
    message = rejects("schedule_items", item, "planned_end")
    assert message.endswith(
        "The planned end (Sat 5 Dec 2026 18:20) is before the planned start "
        "(Sat 5 Dec 2026 18:55)."
    )
