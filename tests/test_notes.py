"""The notes log service: writing notes, resolving and reopening them, and their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models import ValidationError
from app.notes import OPEN, RESOLVED, add_note, edit_note, list_notes, reopen, resolve
from app.productions import create_production
from app.reports.facts import notes, production_facts
from app.store import RecordNotFound, Store

AUCKLAND = ZoneInfo("Pacific/Auckland")
MORNING = datetime(2026, 5, 2, 9, 15, tzinfo=AUCKLAND)


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
        store, production, title="Generator smoking", body="Unit base", severity="major",
        at=MORNING,
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
    note_id = add_note(store, production, title="Parking permit collected", at=MORNING)
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
        add_note(store, production, at=MORNING, **changes)
    assert refused.value.field == field
    assert store.all("notes") == []


def test_resolve_and_reopen(store: Store, production: str) -> None:
    note_id = add_note(store, production, title="Lens cap lost", at=MORNING)
    resolve(store, note_id)
    assert store.get("notes", note_id)["status"] == RESOLVED  # type: ignore[index]
    reopen(store, note_id)
    assert store.get("notes", note_id)["status"] == OPEN  # type: ignore[index]


def test_resolving_an_unknown_note_is_refused(store: Store, production: str) -> None:
    with pytest.raises(RecordNotFound):
        resolve(store, "0190e1a2-0000-7000-8000-000000000000")


def test_list_puts_open_first_then_worst_then_newest(store: Store, production: str) -> None:
    minutes = iter(range(0, 100, 10))

    def add(title: str, severity: str) -> str:
        at = MORNING + timedelta(minutes=next(minutes))
        return add_note(store, production, title=title, severity=severity, at=at)

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
    add_note(store, other, title="Elsewhere", at=MORNING)
    late_evening = datetime(2026, 5, 1, 22, 30, tzinfo=UTC)  # 10:30 on 2 May in Auckland
    note_id = add_note(store, production, title="Here", at=late_evening)
    listed = list_notes(store, production)
    assert [n["id"] for n in listed] == [note_id]
    assert listed[0]["written_on"] == "2026-05-02"


def test_a_note_keeps_the_time_it_was_given_not_when_it_was_typed(
    store: Store, production: str
) -> None:
    note_id = add_note(store, production, title="Rigging fall", at=MORNING)
    assert store.get("notes", note_id)["at"] == "2026-05-02T09:15:00.000+12:00"  # type: ignore[index]
    evening = MORNING.replace(hour=19)
    edit_note(store, note_id, title="Rigging fall, no injury", at=evening, severity="major")
    note = store.get("notes", note_id)
    assert note is not None
    assert (note["at"], note["title"], note["severity"]) == (
        "2026-05-02T19:15:00.000+12:00", "Rigging fall, no injury", "major"
    )


def test_a_note_time_needs_a_zone(store: Store, production: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        add_note(store, production, title="Floating", at=datetime(2026, 5, 2, 9, 15))
    assert store.all("notes") == []


def test_the_report_day_follows_the_time_a_note_says_it_happened(
    store: Store, production: str
) -> None:
    """A note logged on day 3 about day 2 belongs to day 2's report, and a note
    from an older device (no ``at``) is placed by the moment its id was made."""
    note_id = add_note(store, production, title="Dolly track bent", at=MORNING)
    resolve(store, note_id)
    facts = production_facts(store, production)
    assert [n["id"] for n in notes(store, facts, "2026-05-02")] == [note_id]
    assert notes(store, facts, "2026-05-03") == []
    old_id = "019de520-6a00-7000-8000-000000000000"  # UUIDv7 of 2026-05-01 20:00 UTC
    with store.transaction() as tx:
        tx.insert("notes", {"production_id": production, "title": "From an old phone",
                            "body": "", "severity": "info", "status": "resolved",
                            "photo": None}, old_id)
    assert [n["title"] for n in notes(store, facts, "2026-05-02")] == [
        "From an old phone", "Dolly track bent"
    ]
