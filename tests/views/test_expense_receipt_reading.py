"""The expense form reads the receipt photo: proposals fill empty fields, marked, and the
person keeps, clears or changes each; the saved expense records what was proposed and
changed. Reading itself is replaced by a fixed reading here (the OCR is tested on real
receipts in tests/receipts and in the browser test)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import flet as ft
import pytest
from PIL import Image

from app.receipts import engine
from app.receipts.reading import Proposal, ReceiptReading
from views.context import AppContext
from views.expenses import expenses_screen
from views.expenses.listing import production_expenses
from views.expenses.receipt_reading import READ

Ui = Any
shown_while_reading: list[str] = []

READING = ReceiptReading(
    total_minor=Proposal(2390, 0.9),
    currency=Proposal("EUR", 0.8),
    spent_on=Proposal(dt.date(2025, 6, 9), 0.9),
    vendor=Proposal("DROGARIA CENTRAL LDA", 0.8),
)


def _jpeg(shade: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 600), shade).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def photo(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The photo the next "Add receipt photo" takes (change ``photo["next"]`` to swap)."""
    taken = {"next": _jpeg()}

    async def capture(_: AppContext, **__: Any) -> bytes:
        return taken["next"]

    monkeypatch.setattr("views.expenses.receipt.capture_photo", capture)
    return taken


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, ui: Ui) -> list[bytes]:
    """Reading any photo gives :data:`READING`; the photos read are listed, and what the
    form showed while reading is kept in ``shown_while_reading``."""
    seen: list[bytes] = []

    async def read_receipt(image: bytes, **_: Any) -> ReceiptReading:
        seen.append(image)
        form = ui.dialog()
        bars = [bar for bar in ui.find_all(form, ft.ProgressBar) if bar.visible]
        shown_while_reading[:] = [*ui.texts(form), *(["progress bar"] if bars else [])]
        return READING

    monkeypatch.setattr(engine, "available", lambda: True)
    monkeypatch.setattr(engine, "read_receipt", read_receipt)
    return seen


async def _new_form_with_photo(ctx: AppContext, ui: Ui) -> ft.AlertDialog:
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    await ui.click(ui.find(form, ft.OutlinedButton, "Add receipt photo"))
    return form


def _saved(ctx: AppContext, note: str) -> dict[str, Any]:
    assert ctx.production_id
    return next(e for e in production_expenses(ctx.store, ctx.production_id)
                if e["note"] == note)


async def _tap(ui: Ui, form: ft.AlertDialog, label: str) -> None:
    await ui.click(ui.find(form, ft.Semantics, label).content)


async def test_proposals_fill_empty_fields_marked_and_are_recorded(
    ctx: AppContext, ui: Ui, photo: dict[str, bytes], reads: list[bytes]
) -> None:
    form = await _new_form_with_photo(ctx, ui)
    assert len(reads) == 1 and reads[0][:2] == b"\xff\xd8", "the stored JPEG is read"
    assert {"Reading the receipt…", "progress bar"} <= set(shown_while_reading)
    assert not [bar for bar in ui.find_all(form, ft.ProgressBar) if bar.visible]
    assert READ in ui.texts(form)
    amount = ui.find(form, ft.TextField, "Amount")
    vendor = ui.find(form, ft.TextField, "Vendor")
    day = ui.find(form, ft.TextField, "Date")
    assert (amount.value, vendor.value, day.value) == ("23.90", "DROGARIA CENTRAL LDA",
                                                       "2025-06-09")
    assert ui.texts(form).count("Proposed from the receipt") == 3
    await _tap(ui, form, "Keep the proposed amount")
    await ui.type_into(vendor, "Drogaria Central")  # changed: the mark goes with the edit
    await _tap(ui, form, "Clear the proposed date")
    assert day.value == ctx.now().date().isoformat()
    marks = [r for r in ui.find_all(form, ft.Row, "Proposed from the receipt") if r.visible]
    assert marks == []
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    ui.find(form, ft.TextField, "Note").value = "read from a receipt"
    await ui.click(ui.find(form, ft.Button, "Save expense"))

    saved = _saved(ctx, "read from a receipt")
    assert (saved["amount_minor"], saved["vendor"]) == (2390, "Drogaria Central")
    assert saved["proposed_fields"] == ["amount_minor", "spent_on", "vendor"]
    assert saved["changed_fields"] == ["spent_on", "vendor"]


async def test_what_the_person_typed_first_is_never_overwritten(
    ctx: AppContext, ui: Ui, photo: dict[str, bytes], reads: list[bytes]
) -> None:
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    await ui.type_into(ui.find(form, ft.TextField, "Amount"), "5")
    await ui.type_into(ui.find(form, ft.TextField, "Date"), "2025-06-10")
    await ui.click(ui.find(form, ft.OutlinedButton, "Add receipt photo"))
    assert ui.find(form, ft.TextField, "Amount").value == "5"
    assert ui.find(form, ft.TextField, "Date").value == "2025-06-10"
    assert ui.find(form, ft.TextField, "Vendor").value == "DROGARIA CENTRAL LDA"
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    ui.find(form, ft.TextField, "Note").value = "typed first"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    saved = _saved(ctx, "typed first")
    assert (saved["amount_minor"], saved["spent_on"]) == (500, "2025-06-10")
    assert (saved["proposed_fields"], saved["changed_fields"]) == (["vendor"], [])


async def test_without_the_ocr_extra_capture_works_as_before(
    ctx: AppContext, ui: Ui, photo: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "available", lambda: False)
    form = await _new_form_with_photo(ctx, ui)
    assert engine.NOT_AVAILABLE in ui.texts(form)
    assert ui.find(form, ft.TextField, "Amount").value == ""
    await ui.type_into(ui.find(form, ft.TextField, "Amount"), "7,20")
    ui.find(form, ft.TextField, "Vendor").value = "Typed"
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    ui.find(form, ft.TextField, "Note").value = "no ocr"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    saved = _saved(ctx, "no ocr")
    assert saved["amount_minor"] == 720 and saved["receipt"]
    assert (saved["proposed_fields"], saved["changed_fields"]) == ([], [])


async def test_an_unreadable_photo_says_so_and_fills_nothing(
    ctx: AppContext, ui: Ui, photo: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreadable(image: bytes, **_: Any) -> ReceiptReading:
        return ReceiptReading(error=engine.COULD_NOT_READ)

    monkeypatch.setattr(engine, "available", lambda: True)
    monkeypatch.setattr(engine, "read_receipt", unreadable)
    form = await _new_form_with_photo(ctx, ui)
    assert engine.COULD_NOT_READ in ui.texts(form)
    assert ui.find(form, ft.TextField, "Vendor").value == ""


async def test_the_same_receipt_twice_is_flagged_before_saving(
    ctx: AppContext, ui: Ui, photo: dict[str, bytes], reads: list[bytes]
) -> None:
    photo["next"] = _jpeg("#eeeeee")
    form = await _new_form_with_photo(ctx, ui)
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    ui.find(form, ft.TextField, "Note").value = "first"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert _saved(ctx, "first")

    form = await _new_form_with_photo(ctx, ui)
    flagged = ui.find(form, ft.Text, "Possible duplicate")
    assert "DROGARIA CENTRAL LDA, 23.90 EUR on 2025-06-09" in str(flagged.value)
    assert "same receipt photo" in str(flagged.value)
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    ui.find(form, ft.TextField, "Note").value = "second"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert ui.dialog() is form, "the first tap only warns"
    assert ui.find(form, ft.Button, "Save anyway")
    await ui.click(ui.find(form, ft.Button, "Save anyway"))
    assert _saved(ctx, "second")["receipt"] == _saved(ctx, "first")["receipt"]
