"""The collection schema: names and field types the sync contract validates."""

from __future__ import annotations

from typing import Any

import pytest

from sync.schema import COLLECTIONS, SCHEMA_VERSION, validate_fields

from .conftest import PairFn

BRIEF_COLLECTIONS = {
    "productions", "people", "locations", "schedule_items", "checklists", "checklist_items",
    "equipment", "custody_events", "expenses", "budget_lines", "notes",
}


def test_collections_are_the_briefs() -> None:
    assert set(COLLECTIONS) == BRIEF_COLLECTIONS


async def test_a_device_on_the_older_schema_still_syncs_its_notes(pair: PairFn) -> None:
    """Schema 2 added a note's ``at``: a phone still on schema 1 pushes notes without
    it and is acked; a current phone's ``at`` is checked like every other time."""
    device = await pair()

    async def push(schema: int, **values: Any) -> dict[str, Any]:
        body = {"device_id": device.device_id, "schema": schema,
                "ops": [device.op("notes", f"n{schema}", **values)]}
        response = await device.client.post("/v1/push", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    assert (await push(1, title="Old phone"))["acked"]
    assert (await push(SCHEMA_VERSION, title="New phone", at="2026-05-02T09:15:00+12:00"))["acked"]
    refused = await push(SCHEMA_VERSION, title="Bad", at="yesterday morning")
    assert [r["code"] for r in refused["rejected"]] == ["invalid_field"]


@pytest.mark.parametrize(("coll", "fields"), [
    ("productions", {"name": "Tour", "starts_on": "2026-11-28", "ends_on": "2026-12-02",
                     "timezone": "Europe/Berlin", "currency": "EUR", "archived": False}),
    ("locations", {"lat": 52.5, "lon": 13, "production_id": None}),
    ("locations", {"lat": None}),
    ("schedule_items", {"planned_start": "2026-11-28T07:30:00+01:00",
                        "actual_end": "2026-11-28T19:00:00Z", "people_ids": ["p1", "p2"],
                        "location_id": None, "day": "2026-11-28"}),
    ("checklist_items", {"position": 3, "done": True, "photo": "a" * 64, "done_at": None}),
    ("equipment", {"value_minor": 129900, "flag": "repair", "photo": None}),
    ("expenses", {"amount_minor": -250, "receipt": "0" * 64, "spent_on": "2026-02-28"}),
])
def test_valid_fields_have_no_problems(coll: str, fields: dict[str, object]) -> None:
    assert validate_fields(coll, fields) == []


@pytest.mark.parametrize(("coll", "fields", "problem"), [
    ("gadgets", {}, "unknown collection"),
    ("equipment", {"colour": "red"}, "no field 'colour'"),
    ("equipment", {"_deleted": True}, "no field '_deleted'"),
    ("equipment", {"value_minor": True}, "64-bit integer"),
    ("equipment", {"value_minor": 1.5}, "64-bit integer"),
    ("equipment", {"value_minor": 2**63}, "64-bit integer"),
    ("equipment", {"name": 7}, "text of at most"),
    ("equipment", {"flag": "stolen"}, "one of none, repair"),
    ("equipment", {"currency": "eur"}, "ISO 4217"),
    ("checklist_items", {"done": 1}, "true or false"),
    ("checklist_items", {"photo": "../../etc/passwd"}, "sha256"),
    ("locations", {"lat": "52.5"}, "finite number"),
    ("locations", {"lat": float("nan")}, "finite number"),
    ("locations", {"lat": True}, "finite number"),
    ("schedule_items", {"people_ids": ["p1", 2]}, "a list of at most"),
    ("schedule_items", {"people_ids": "p1"}, "a list of at most"),
    ("schedule_items", {"day": "20261128"}, "YYYY-MM-DD"),
    ("schedule_items", {"day": "2026-02-30"}, "YYYY-MM-DD"),
    ("schedule_items", {"planned_start": "2026-11-28T07:30:00"}, "UTC offset"),
    ("schedule_items", {"planned_start": "2026-11-28"}, "UTC offset"),
    ("schedule_items", {"planned_start": None}, "UTC offset"),
    ("schedule_items", {"location_id": ""}, "not empty"),
    ("people", {"production_id": 12}, "a record id of at most"),
])
def test_invalid_fields_are_named(coll: str, fields: dict[str, object], problem: str) -> None:
    problems = validate_fields(coll, fields)
    assert len(problems) == 1
    assert problem in problems[0]


def test_every_problem_is_reported() -> None:
    assert len(validate_fields("equipment", {"name": 1, "serial": 2, "code": "ok"})) == 2
