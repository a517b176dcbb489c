from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.blobs import BlobStore
from app.budget import budget_summary, petty_cash_floats
from app.custody import all_custody, overdue
from app.equipment import kit_contents
from app.sample import SAMPLE_DIR, SampleError, load_sample
from app.store import Store

TODAY = date(2026, 11, 28)
DATA = json.loads((SAMPLE_DIR / "production.json").read_text(encoding="utf-8"))


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def test_sample_loads_a_full_production(store: Store, blobs: BlobStore) -> None:
    production_id = load_sample(store, blobs, TODAY)
    production = store.get("productions", production_id)
    assert production is not None
    assert (production["starts_on"], production["ends_on"]) == ("2026-11-27", "2026-11-29")
    assert len(store.all("people")) >= 12
    assert len({p["department"] for p in store.all("people")}) >= 6
    locations = store.all("locations")
    assert len(locations) >= 3
    assert all(loc["address"] and loc["lat"] is not None and loc["lon"] for loc in locations)
    assert len(store.all("equipment")) >= 40
    assert len(store.all("budget_lines")) >= 5


def test_every_day_has_a_full_running_order_and_today_is_not_empty(
    store: Store, blobs: BlobStore
) -> None:
    production_id = load_sample(store, blobs, TODAY)
    for offset in (-1, 0, 1):
        day = (TODAY + timedelta(days=offset)).isoformat()
        items = store.lookup("schedule_items", "production_id+day", (production_id, day))
        kinds = {item["kind"] for item in items}
        assert {"crew_call", "scene", "meal", "wrap"} <= kinds, day
    yesterday = store.lookup("schedule_items", "production_id+day", (production_id, "2026-11-27"))
    assert all(item["status"] == "done" and item["actual_end"] for item in yesterday)
    crew_call = next(i for i in yesterday if i["kind"] == "crew_call")
    assert crew_call["planned_start"] == "2026-11-27T07:00:00+00:00"  # Lisbon in winter


def test_times_carry_the_local_offset_in_summer(store: Store, blobs: BlobStore) -> None:
    production_id = load_sample(store, blobs, date(2026, 7, 15))
    items = store.lookup("schedule_items", "production_id+day", (production_id, "2026-07-14"))
    crew_call = next(i for i in items if i["kind"] == "crew_call")
    assert crew_call["planned_start"] == "2026-07-14T07:00:00+01:00"


def test_kits_custody_and_flags(store: Store, blobs: BlobStore) -> None:
    load_sample(store, blobs, TODAY)
    cases = [item for item in store.all("equipment") if item["kit_id"] is None]
    assert len(cases) >= 4
    assert all(kit_contents(store, case["id"]) for case in cases)
    statuses = [c.status for c in all_custody(store).values()]
    assert {"out", "available", "repair", "missing"} <= set(statuses)
    late = overdue(store, datetime(2026, 11, 28, 12, tzinfo=UTC))
    assert late, "the sample shows an overdue item"
    names = {store.get("equipment", c.item_id)["name"] for c in late}  # type: ignore[index]
    assert "Video village case" in names


def test_checklists_come_from_templates(store: Store, blobs: BlobStore) -> None:
    load_sample(store, blobs, TODAY)
    checklists = store.all("checklists")
    templates = {c["id"] for c in checklists if c["is_template"]}
    instances = [c for c in checklists if not c["is_template"]]
    assert templates and instances
    assert all(c["template_id"] in templates and c["day"] for c in instances)
    for checklist in instances:
        template_items = store.lookup("checklist_items", "checklist_id", checklist["template_id"])
        own = store.lookup("checklist_items", "checklist_id", checklist["id"])
        assert sorted(i["text"] for i in own) == sorted(i["text"] for i in template_items)


def test_expenses_have_stored_receipts_that_match_their_amounts(
    store: Store, blobs: BlobStore
) -> None:
    production_id = load_sample(store, blobs, TODAY)
    expenses = [e for e in store.all("expenses") if e["payment_method"] != "float_issue"]
    assert len(expenses) == len(DATA["expenses"])
    assert {e["status"] for e in expenses} >= {"draft", "submitted", "approved", "rejected"}
    pending = store.private("_blobs")
    for expense in expenses:
        assert blobs.has(expense["receipt"])
        assert blobs.thumb_path(expense["receipt"]).is_file()
        assert pending[expense["receipt"]]["status"] == "pending"
    summary = budget_summary(store, production_id)
    assert summary.totals["EUR"].spent_minor > 0
    assert any(line.other_currencies for line in summary.lines), "a GBP expense is kept apart"
    floats = petty_cash_floats(store, production_id)
    assert any(b.issued_minor and b.spent_minor for f in floats.values() for b in f.values())


def test_sample_refuses_a_store_that_has_a_production(store: Store, blobs: BlobStore) -> None:
    load_sample(store, blobs, TODAY)
    counts = {c: len(store.all(c)) for c in ("productions", "equipment", "expenses")}
    with pytest.raises(SampleError, match="already has a production"):
        load_sample(store, blobs, TODAY)
    assert {c: len(store.all(c)) for c in counts} == counts


def test_a_broken_sample_stores_nothing(store: Store, blobs: BlobStore, tmp_path: Path) -> None:
    broken = json.loads(json.dumps(DATA))
    broken["expenses"][-1]["status"] = "paid"
    directory = tmp_path / "sample"
    (directory / "receipts").mkdir(parents=True)
    (directory / "production.json").write_text(json.dumps(broken), encoding="utf-8")
    for receipt in (SAMPLE_DIR / "receipts").iterdir():
        (directory / "receipts" / receipt.name).write_bytes(receipt.read_bytes())
    with pytest.raises(ValueError, match="status"):
        load_sample(store, blobs, TODAY, directory=directory)
    assert store.all("productions") == [] and store.all("equipment") == []


def test_sample_notes_fall_on_the_sample_days_whenever_it_is_loaded(
    store: Store, blobs: BlobStore
) -> None:
    """Loaded on any day, the notes are stamped on the production's own days."""
    production_id = load_sample(store, blobs, date(2031, 2, 14))
    days = {n["title"]: n["at"] for n in store.all("notes")}
    assert days["Tide times at Adraga"] == "2031-02-14T06:30:00+00:00"  # day 2 is "today"
    assert days["Near miss: cable across a fire exit"] == "2031-02-13T10:05:00+00:00"
    assert all(n["production_id"] == production_id for n in store.all("notes"))
