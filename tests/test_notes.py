"""The notes log service: writing notes, resolving and reopening them, and their order."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from app.models import ValidationError
from app.notes import OPEN, RESOLVED, add_note, list_notes, reopen, resolve
from app.productions import create_production
from app.reports.facts import created_at
from app.store import RecordNotFound, Store


@pytest.fixture
def production(store: Store) -> str:
    return create_production(
        store,
        name="Shoot",
        starts_on="2026-05-01",
        ends_on="2026-05-03",
        timezone="Pacific/Auckland",
        currency="NZD",
    )


def test_a_new_note_is_open_with_its_fields(store: Store, production: str) -> None:
    note_id = add_note(
        store, production, title="Generator smoking", body="Unit base", severity="major"
    )
    note = store.get("notes", note_id)
    assert note is not None
    assert (note["title"], note["body"], note["severity"], note["status"]) == (
        "Generator smoking",
        "Unit base",
        "major",
        OPEN,
    )


def test_severity_defaults_to_info(store: Store, production: str) -> None:
    note_id = add_note(store, production, title="Parking permit collected")
    note = store.get("notes", note_id)
    assert note is not None and note["severity"] == "info" and note["body"] == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": ""}, "title"), ({"title": "x", "severity": "apocalyptic"}, "severity")],
)
def test_a_bad_note_is_refused_naming_the_field(
    store: Store, production: str, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_note(store, production, **changes)
    assert refused.value.field == field
    assert store.all("notes") == []


def test_resolve_and_reopen(store: Store, production: str) -> None:
    note_id = add_note(store, production, title="Lens cap lost")
    resolve(store, note_id)
    assert store.get("notes", note_id)["status"] == RESOLVED  # type: ignore[index]
    reopen(store, note_id)
    assert store.get("notes", note_id)["status"] == OPEN  # type: ignore[index]


def test_resolving_an_unknown_note_is_refused(store: Store, production: str) -> None:
    with pytest.raises(RecordNotFound):
        resolve(store, "0190e1a2-0000-7000-8000-000000000000")


def test_list_puts_open_first_then_worst_then_newest(store: Store, production: str) -> None:
    def add(title: str, severity: str) -> str:
        return add_note(store, production, title=title, severity=severity)

    old_info = add("old info", "info")
    critical_done = add("critical, resolved", "critical")
    major = add("major", "major")
    new_info = add("new info", "info")
    critical = add("critical", "critical")
    resolve(store, critical_done)
    order = [n["id"] for n in list_notes(store, production)]
    assert order == [critical, major, new_info, old_info, critical_done]


def test_list_keeps_to_the_production_and_dates_notes_locally(
    store: Store, production: str
) -> None:
    other = create_production(
        store,
        name="Other",
        starts_on="2026-05-01",
        ends_on="2026-05-03",
        timezone="Europe/Lisbon",
        currency="EUR",
    )
    add_note(store, other, title="Elsewhere")
    note_id = add_note(store, production, title="Here")
    listed = list_notes(store, production)
    assert [n["id"] for n in listed] == [note_id]
    written = created_at(note_id)
    assert written is not None
    auckland = written.astimezone(ZoneInfo("Pacific/Auckland")).date().isoformat()
    assert listed[0]["written_on"] == auckland
