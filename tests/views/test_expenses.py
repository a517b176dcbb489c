"""Expenses screen: list and totals, filters, the expense form, workflow steps, budget,
floats and report export, built against the sample production in a real store."""

from __future__ import annotations

import asyncio
import contextvars
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import flet as ft
import pytest
from PIL import Image

from app.budget import budget_lines, update_budget_line
from app.expenses import APPROVED, DRAFT, SUBMITTED, set_status
from app.schedule_today import local_day
from views.context import AppContext
from views.expenses import expenses_screen
from views.expenses.detail import ExpenseDetail, next_steps
from views.expenses.listing import (
    production_expenses,
    production_names,
    spend_totals,
)
from views.expenses.screen import ExpensesScreen
from views.refresh import COALESCE_S
from views.shell import Shell

Ui = Any  # tests/views/conftest.py's harness (conftest modules are not importable)
LISBON = ZoneInfo("Europe/Lisbon")


def _today(ctx: AppContext) -> str:
    assert ctx.production_id
    return local_day(ctx.store, ctx.production_id, ctx.now())


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 600), "white").save(out, "JPEG")
    return out.getvalue()


def _by_vendor(ctx: AppContext, vendor: str) -> dict[str, Any]:
    assert ctx.production_id
    return next(
        e for e in production_expenses(ctx.store, ctx.production_id) if e["vendor"] == vendor
    )


async def _open_pane(ui: Ui, screen: ft.Control, key: str) -> None:
    switch = ui.find(screen, ft.SegmentedButton)
    switch.selected = [key]
    await ui.fire(switch, "change", [key])


async def test_list_shows_expenses_newest_first_with_totals(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    assert ctx.production_id
    expenses = production_expenses(ctx.store, ctx.production_id)
    tiles = ui.find_all(screen, ft.ListTile)
    assert [t.title.value for t in tiles] == [e["vendor"] for e in expenses]
    days = [e["spent_on"] for e in expenses]
    assert days == sorted(days, reverse=True)
    shown = ui.texts(screen)
    totals = spend_totals(ctx.store, ctx.production_id, _today(ctx))
    assert totals.today and set(totals.production) == {"EUR", "GBP"}
    assert any("GBP" in t and "EUR" in t for t in shown), shown
    assert "Amazon.co.uk" in shown and any("rejected" in t.lower() for t in shown)


async def test_filters_narrow_the_list_and_can_be_cleared(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    status = ui.find(screen, ft.Dropdown, "Status")
    status.value = SUBMITTED
    await ui.fire(status, "select", SUBMITTED)
    tiles = ui.find_all(screen, ft.ListTile)
    assert tiles and all(ui.find_all(t, ft.Text, "Submitted") for t in tiles)
    person = ui.find(screen, ft.Dropdown, "Paid by")
    person.value = "sofia"
    await ui.fire(person, "select", "sofia")
    assert ui.find_all(screen, ft.ListTile) == []
    await ui.click(ui.find(screen, ft.TextButton, "Clear filters"))
    assert len(ui.find_all(screen, ft.ListTile)) == len(
        production_expenses(ctx.store, ctx.production_id or "")
    )


async def test_add_expense_with_receipt_and_typed_amount(
    ctx: AppContext, ui: Ui, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def capture(_: AppContext, **__: Any) -> bytes:
        return _jpeg()

    monkeypatch.setattr("views.expenses.receipt.capture_photo", capture)
    assert ctx.production_id
    before = spend_totals(ctx.store, ctx.production_id, _today(ctx)).today["EUR"]
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    await ui.click(ui.find(form, ft.OutlinedButton, "Add receipt photo"))
    assert ui.find_all(form, ft.Image), "the receipt thumbnail is shown"
    amount = ui.find(form, ft.TextField, "Amount")
    await ui.type_into(amount, "12,5O")
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert amount.error and "not an amount" in str(amount.error)
    await ui.type_into(amount, "12,50")
    ui.find(form, ft.TextField, "Vendor").value = "Drogaria Central"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert "Not saved: say who paid" in ui.find(form, ft.Text, "Not saved").value  # type: ignore[operator]
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    await ui.click(ui.find(form, ft.Button, "Save expense"))

    saved = _by_vendor(ctx, "Drogaria Central")
    assert (saved["amount_minor"], saved["currency"], saved["status"]) == (1250, "EUR", DRAFT)
    assert saved["spent_on"] == _today(ctx) and saved["receipt"]
    assert ctx.blobs.has(saved["receipt"])
    after = spend_totals(ctx.store, ctx.production_id, _today(ctx)).today["EUR"]
    assert after == before + 1250
    assert ui.find_all(screen, ft.ListTile)[0].title.value == "Drogaria Central"
    assert "Saved Drogaria Central as a draft" in ui.snackbars()


async def test_the_date_is_typed_or_picked_on_a_calendar(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    day = ui.find(form, ft.TextField, "Date")
    assert day.value == _today(ctx)
    await ui.type_into(day, "11/06")
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert day.error == "Type the date as YYYY-MM-DD, e.g. 2025-06-11"
    await ui.click(ui.find(form, ft.Semantics, "Pick the date").content)
    assert ui.dialog() is form, "the calendar opens over the form, which stays open"
    picker = next(d for d in ui.dialogs() if isinstance(d, ft.DatePicker))
    assert picker.value.astimezone(LISBON).date().isoformat() == _today(ctx)  # not "11/06"
    # 10 June tapped on a phone still on Tokyo time: 15:00 UTC the day before.
    await ui.pick_date(datetime(2025, 6, 9, 15, 0, tzinfo=UTC))
    assert (day.value, day.error) == ("2025-06-10", None)
    await ui.type_into(ui.find(form, ft.TextField, "Amount"), "8")
    ui.find(form, ft.TextField, "Vendor").value = "Pastelaria Tokyo"
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert _by_vendor(ctx, "Pastelaria Tokyo")["spent_on"] == "2025-06-10"


async def test_edit_a_draft(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    tolls = _by_vendor(ctx, "Via Verde (A5 Lisboa-Cascais)")
    await ui.click(ui.find(screen, ft.ListTile, "Via Verde"))
    await ui.click(ui.find(ui.dialog(), ft.OutlinedButton, "Edit"))
    form = ui.dialog()
    amount = ui.find(form, ft.TextField, "Amount")
    assert amount.value == "14.35"
    await ui.type_into(amount, "€ 15.10")
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert _by_vendor(ctx, tolls["vendor"])["amount_minor"] == 1510


async def test_workflow_steps_and_a_refused_step(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    radio = _by_vendor(ctx, "Feira da Ladra stall 41")
    assert [label for _, label in next_steps(radio)] == ["Approve", "Reject", "Withdraw to draft"]
    await ui.click(ui.find(screen, ft.ListTile, "Feira da Ladra"))
    await ui.click(ui.find(ui.dialog(), ft.Button, "Approve"))
    assert _by_vendor(ctx, radio["vendor"])["status"] == APPROVED
    await ui.click(ui.find(screen, ft.ListTile, "Feira da Ladra"))
    await ui.click(ui.find(ui.dialog(), ft.Button, "Mark reimbursed"))
    assert _by_vendor(ctx, radio["vendor"])["status"] == "reimbursed"

    coffee = _by_vendor(ctx, "Café da Adraga")
    names = production_names(ctx.store, ctx.production_id or "")
    detail = ExpenseDetail(ctx, coffee, names, on_change=lambda: None)
    await detail.open()
    set_status(ctx.store, coffee["id"], APPROVED)  # another device got there first
    await ui.click(ui.find(ui.dialog(), ft.Button, "Reject"))
    assert (
        ui.snackbars()[-1] == "a approved expense cannot become rejected (it can become reimbursed)"
    )
    assert _by_vendor(ctx, coffee["vendor"])["status"] == APPROVED


async def test_a_crew_device_is_not_offered_approval(ctx: AppContext, ui: Ui) -> None:
    with ctx.store.transaction() as tx:  # what pairing with a crew invite stores
        for key, value in (("sync.server", "http://hub.local"), ("sync.token", "t"),
                           ("sync.team_id", "team"), ("sync.role", "crew")):
            tx.set_meta(key, value)
    screen = ui.mount(expenses_screen(ctx))
    radio = _by_vendor(ctx, "Feira da Ladra stall 41")
    await ui.click(ui.find(screen, ft.ListTile, "Feira da Ladra"))
    offered = {b.content for b in ui.find_all(ui.dialog(), ft.Button)}
    assert "Withdraw to draft" in offered and not offered & {"Approve", "Reject"}
    assert _by_vendor(ctx, radio["vendor"])["status"] == SUBMITTED


def test_company_card_spend_is_never_offered_reimbursement(ctx: AppContext) -> None:
    fuel = _by_vendor(ctx, "Galp Alcântara")
    assert fuel["status"] == APPROVED and next_steps(fuel) == []


async def test_budget_pane_shows_lines_and_highlights_overspend(ctx: AppContext, ui: Ui) -> None:
    assert ctx.production_id
    line_id = next(iter(production_names(ctx.store, ctx.production_id).lines))
    update_budget_line(ctx.store, line_id, {"allocated_minor": 100})
    screen = ui.mount(expenses_screen(ctx))
    await _open_pane(ui, screen, "budget")
    shown = ui.texts(screen)
    assert "Catering" in shown and "Transport and fuel" in shown and "Total in EUR" in shown
    assert "Over budget" in shown and any(t.startswith("Over by") for t in shown)
    assert any("GBP" in t and "not converted" in t for t in shown)
    assert ui.find_all(screen, ft.ProgressBar)


async def test_add_a_budget_line_refusing_bad_input_first(ctx: AppContext, ui: Ui) -> None:
    assert ctx.production_id
    before = budget_lines(ctx.store, ctx.production_id)
    screen = ui.mount(expenses_screen(ctx))
    await _open_pane(ui, screen, "budget")
    await ui.click(ui.find(screen, ft.Button, "Add a budget line"))
    form = ui.dialog()
    category = ui.find(form, ft.TextField, "Category")
    allocated = ui.find(form, ft.TextField, "Allocated")
    await ui.type_into(allocated, "-5")
    await ui.click(ui.find(form, ft.Button, "Add line"))
    assert allocated.error == "negative amounts are not accepted: '-5'"
    await ui.type_into(allocated, "1 500")
    await ui.click(ui.find(form, ft.Button, "Add line"))
    assert category.error and "category" in category.error
    assert allocated.error is None
    assert budget_lines(ctx.store, ctx.production_id) == before  # nothing stored yet
    await ui.type_into(category, "Grip and electric")
    await ui.click(ui.find(form, ft.Button, "Add line"))
    assert not form.open
    added = [line for line in budget_lines(ctx.store, ctx.production_id) if line not in before]
    assert [(a["category"], a["allocated_minor"], a["currency"]) for a in added] == [
        ("Grip and electric", 150000, "EUR")
    ]
    shown = ui.texts(screen)
    assert "Grip and electric" in shown and "0.00 EUR of 1,500.00 EUR" in shown


async def test_edit_a_budget_line_keeps_its_currency(ctx: AppContext, ui: Ui) -> None:
    assert ctx.production_id
    catering = next(
        line
        for line in budget_lines(ctx.store, ctx.production_id)
        if line["category"] == "Catering"
    )
    screen = ui.mount(expenses_screen(ctx))
    await _open_pane(ui, screen, "budget")
    assert "Over budget" not in ui.texts(screen)
    card = next(
        c for c in ui.find_all(screen, ft.Container) if ui.texts(c)[:1] == ["Catering"]
    )
    await ui.click(ui.find(card, ft.TextButton, "Edit"))
    form = ui.dialog()
    assert ui.find(form, ft.Dropdown, "Currency").disabled
    await ui.type_into(ui.find(form, ft.TextField, "Allocated"), "10")
    await ui.click(ui.find(form, ft.Button, "Save"))
    assert not form.open
    stored = ctx.store.get("budget_lines", catering["id"])
    assert stored and stored["allocated_minor"] == 1000 and stored["currency"] == "EUR"
    assert "Over budget" in ui.texts(screen)


async def test_editing_a_line_deleted_elsewhere_says_so(ctx: AppContext, ui: Ui) -> None:
    assert ctx.production_id
    line = budget_lines(ctx.store, ctx.production_id)[0]
    screen = ui.mount(expenses_screen(ctx))
    await _open_pane(ui, screen, "budget")
    await ui.click(ui.find(screen, ft.TextButton, "Edit"))
    form = ui.dialog()
    with ctx.store.transaction(remote=True) as tx:  # as a sync pull applies a delete
        tx.delete("budget_lines", line["id"])
    await ui.click(ui.find(form, ft.Button, "Save"))
    assert form.open
    category = ui.find(form, ft.TextField, "Category")
    assert category.error == "This budget line was deleted on another device."
    assert ctx.store.get("budget_lines", line["id"]) is None


async def test_issue_a_float_and_see_the_balance(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    await _open_pane(ui, screen, "floats")
    assert any(t.startswith("Holds") for t in ui.texts(screen))
    await ui.click(ui.find(screen, ft.Button, "Issue a float"))
    form = ui.dialog()
    ui.find(form, ft.Dropdown, "Given to").value = "clara"
    await ui.type_into(ui.find(form, ft.TextField, "Amount"), "50")
    await ui.click(ui.find(form, ft.Button, "Issue float"))
    assert "Issued 50.00 EUR · spent 0.00 EUR" in ui.texts(screen)


async def test_export_downloads_in_one_tap_without_a_server_path(ctx: AppContext, ui: Ui) -> None:
    ctx.page.platform, ctx.page.web = ft.PagePlatform.LINUX, True  # as served to a browser
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.TextButton, "Export report"))
    dialog = ui.dialog()
    await ui.click(ui.find(dialog, ft.Button, "CSV"))
    exported = list((ctx.data_dir / "exports").glob("expenses-*.csv"))
    assert len(exported) == 1 and "Amazon.co.uk" in exported[0].read_text("utf-8-sig")
    assert [s["file_name"] for s in ui.invoked("save_file")] == [exported[0].name]
    said = ui.texts(dialog)
    assert any(t.startswith(f"Downloaded {exported[0].name} (") for t in said)
    assert not [t for t in said if str(ctx.data_dir) in t]
    await ui.click(ui.find(dialog, ft.TextButton, "Download again"))
    assert len(ui.invoked("save_file")) == 2
    await ui.click(ui.find(dialog, ft.Button, "PDF"))
    assert next((ctx.data_dir / "exports").glob("*.pdf")).read_bytes().startswith(b"%PDF")


async def test_a_change_from_elsewhere_redraws_once_in_place(
    ctx: AppContext, ui: Ui, monkeypatch: pytest.MonkeyPatch
) -> None:
    redraws: list[ExpensesScreen] = []
    refresh = ExpensesScreen.refresh

    def counted(self: ExpensesScreen) -> None:
        redraws.append(self)
        refresh(self)

    monkeypatch.setattr(ExpensesScreen, "refresh", counted)
    shell = Shell(ctx)
    shell.mount()
    shell.select(3)
    screen = shell.body.content
    assert ui.find_all(screen, ft.SegmentedButton), "the Expenses screen is shown"
    redraws.clear()
    coffee = _by_vendor(ctx, "Café da Adraga")
    # As the sync engine commits: outside any session's handler.
    contextvars.Context().run(lambda: set_status(ctx.store, coffee["id"], APPROVED))
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()
    assert shell.body.content is screen  # redrawn in place: filters and pane are kept
    assert len(redraws) == 1
    tile = ui.find(screen, ft.ListTile, "Café da Adraga")
    assert ui.find_all(tile, ft.Text, "Approved")


def test_no_production_says_what_to_do(empty_ctx: AppContext, empty_ui: Ui) -> None:
    screen = empty_ui.mount(expenses_screen(empty_ctx))
    assert any("load the sample production" in t for t in empty_ui.texts(screen))


async def test_the_vendor_is_kept_exactly_as_typed(ctx: AppContext, ui: Ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    vendor = ui.find(form, ft.TextField, "Vendor")
    # The keyboard does not capitalise words for the person: "eBay", "da Silva" stay.
    assert vendor.capitalization in (None, ft.TextCapitalization.NONE)
    await ui.type_into(ui.find(form, ft.TextField, "Amount"), "3,20")
    await ui.type_into(vendor, "eBay via pingo doce")
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert _by_vendor(ctx, "eBay via pingo doce")["amount_minor"] == 320


class _Engine:
    """What the receipt views use of the sync engine: its status subscription."""

    def __init__(self) -> None:
        self.listeners: list[Any] = []

    def subscribe(self, listener: Any) -> Any:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def report(self) -> None:
        for listener in list(self.listeners):
            listener(None)


async def test_a_receipt_from_another_device_appears_in_the_open_detail_when_it_arrives(
    ctx: AppContext, ui: Ui
) -> None:
    coffee = _by_vendor(ctx, "Café da Adraga")
    sha = coffee["receipt"]
    photo = ctx.blobs.read(sha)
    ctx.blobs.path(sha).unlink()  # the record synced here; its photo has not yet
    ctx.blobs.thumb_path(sha).unlink()
    ctx.sync = engine = _Engine()
    names = production_names(ctx.store, ctx.production_id or "")
    detail = ExpenseDetail(ctx, coffee, names, on_change=lambda: None)
    await detail.open()
    dialog = ui.dialog()
    assert ui.find(dialog, ft.Text, "has not reached this device yet").visible
    assert not ui.find_all(dialog, ft.Image)
    engine.report()  # a sync round went by without it
    await ui.settle()
    assert not ui.find_all(dialog, ft.Image)

    ctx.blobs.put(photo)  # fetched by sync: the photo alone, no thumbnail
    engine.report()
    await asyncio.sleep(0)  # page.run_task hands the redraw to the loop
    await ui.settle()
    ui.assert_all_sent()
    [image] = ui.find_all(dialog, ft.Image)
    assert image.src == ctx.blobs.thumb_path(sha).read_bytes()
    assert not ui.find(dialog, ft.Text, "has not reached this device yet").visible
    assert engine.listeners == []  # it stopped looking


async def test_a_closed_detail_stops_waiting_for_its_receipt(ctx: AppContext, ui: Ui) -> None:
    coffee = _by_vendor(ctx, "Café da Adraga")
    ctx.blobs.path(coffee["receipt"]).unlink()
    ctx.blobs.thumb_path(coffee["receipt"]).unlink()
    ctx.sync = engine = _Engine()
    names = production_names(ctx.store, ctx.production_id or "")
    await ExpenseDetail(ctx, coffee, names, on_change=lambda: None).open()
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "Close"))
    engine.report()
    assert engine.listeners == []
