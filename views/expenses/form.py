"""The add / edit expense form, in a dialog that works one-handed on a phone.

The order follows what a crew member holds at the till: the receipt first (photograph
it before it goes in a pocket), then the amount, then the rest. Every problem is shown
where it is: the amount's under the amount field, the service's refusal under the form,
so nothing typed is lost to an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.expenses import ExpenseEntry, record_expense, update_expense
from app.money import format_amount
from app.productions import production_zone
from app.receipts.reading import ReceiptReading
from app.schedule_today import local_day
from views.context import AppContext
from views.date_picker import DayField
from views.expenses.amount import AmountInput
from views.expenses.duplicate_warning import DuplicateWarning
from views.expenses.listing import production_expenses, production_names
from views.expenses.proposals import Proposals
from views.expenses.receipt import ReceiptField
from views.expenses.receipt_reading import ReceiptReader
from views.expenses.style import PAYMENT_LABELS, form_dialog, full_width
from views.widgets import choice, show_message

NO_LINE = "none"
"""Dropdown key for "No budget line" (a dropdown option needs a non-empty key)."""


class ExpenseForm:
    """Records a new draft, or changes an existing one (``expense`` given); then calls
    ``on_saved`` so the screen redraws (the shell only redraws for others' changes)."""

    def __init__(
        self,
        ctx: AppContext,
        expense: dict[str, Any] | None = None,
        *,
        on_saved: Callable[[], None],
    ) -> None:
        production = ctx.production()
        assert production is not None and ctx.production_id is not None
        self.ctx, self.expense, self.on_saved = ctx, expense, on_saved
        self.production_id: str = ctx.production_id
        self.zone = production_zone(production)
        self.today = local_day(ctx.store, self.production_id, ctx.now())
        e = expense or {}
        names = production_names(ctx.store, self.production_id)
        self.proposals = Proposals()
        self.receipt = ReceiptField(ctx, e.get("receipt"), on_attached=self._read_receipt)
        self.reader = ReceiptReader(ctx, currency=production["currency"], today=self.today)
        self.amount = AmountInput(
            e.get("currency", production["currency"]), minor=e.get("amount_minor")
        )
        # Kept as typed: vendors spell themselves "eBay", "da Silva", "IKEA".
        self.vendor = ft.TextField(
            label="Vendor", value=e.get("vendor", ""), capitalization=ft.TextCapitalization.NONE
        )
        self.opened_on = e.get("spent_on", self.today)
        self.line = choice(
            "Budget line",
            e.get("budget_line_id") or NO_LINE,
            {**names.lines, NO_LINE: "No budget line"},
        )
        self.day = DayField(
            ctx,
            "Date",
            e.get("spent_on", self.today),
            self.zone,
            today=self.today,
            help_text="Date of the expense",
        )
        self.method = choice(
            "Payment method",
            e.get("payment_method", "petty_cash"),
            PAYMENT_LABELS,
        )
        self.paid_by = choice("Paid by", e.get("paid_by"), names.people)
        self.note = ft.TextField(
            label="Note", value=e.get("note", ""), multiline=True, min_lines=1, max_lines=4
        )
        self.error = ft.Text(color=ft.Colors.ERROR, visible=False)
        self.save = ft.Button(content="Save expense", icon=ft.Icons.CHECK, on_click=self._save)
        self.duplicate = DuplicateWarning(self.save)
        for name, control in (("amount_minor", self.amount.field), ("vendor", self.vendor),
                              ("spent_on", self.day.field)):
            control.on_change = lambda _, name=name: self.proposals.touched(name)
        self.dialog = form_dialog(
            ctx,
            "Edit expense" if expense else "New expense",
            [
                self.receipt.control,
                self.reader.control,
                self.amount.row(),
                self.proposals.mark("amount_minor", "amount"),
                self.vendor,
                self.proposals.mark("vendor", "vendor"),
                full_width(self.line),
                self.day.control,
                self.proposals.mark("spent_on", "date"),
                full_width(self.method),
                full_width(self.paid_by),
                self.note,
                self.duplicate.control,
                self.error,
            ],
            self.save,
            scrollable=True,
        )

    async def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)
        await self.receipt.load()

    async def _read_receipt(self, sha: str) -> None:
        """Propose total, date and vendor from the photo just attached."""
        photo = await self.ctx.off_loop(self.ctx.blobs.read, sha)
        reading = await self.reader.read(photo)
        if reading is None or not self.dialog.open:
            return
        self._propose(reading)
        self._flag_duplicates(self._fields(), saving=False)
        self.dialog.update()

    def _propose(self, reading: ReceiptReading) -> None:
        """Fill the fields still empty; what the person typed stays as typed."""
        total, vendor, day = reading.total_minor, reading.vendor, reading.spent_on
        if total is not None and total.value > 0 and not (self.amount.field.value or "").strip():
            printed = reading.currency
            currency = (printed.value if printed is not None and printed.confidence >= 0.6
                        else self.amount.currency.value or "")

            def fill_amount() -> None:
                self.amount.currency.value = currency
                self.amount.field.value = format_amount(total.value, currency).rsplit(" ", 1)[0]
                self.amount.field.error = None

            self.proposals.propose("amount_minor", total.value, fill_amount,
                                   lambda: setattr(self.amount.field, "value", ""))
        if vendor is not None and not (self.vendor.value or "").strip():
            self.proposals.propose(
                "vendor", vendor.value,
                lambda: setattr(self.vendor, "value", vendor.value),
                lambda: setattr(self.vendor, "value", ""),
            )
        untouched_day = (self.day.field.value or "").strip() == self.opened_on
        if day is not None and self.expense is None and untouched_day:
            self.proposals.propose(
                "spent_on", day.value.isoformat(),
                lambda: setattr(self.day.field, "value", day.value.isoformat()),
                lambda: setattr(self.day.field, "value", self.opened_on),
            )

    def _fields(self) -> dict[str, Any]:
        return {
            "id": self.expense["id"] if self.expense else None,
            "production_id": self.production_id,
            "amount_minor": self.amount.peek(),
            "spent_on": self.day.typed(),
            "vendor": (self.vendor.value or "").strip(),
            "receipt": self.receipt.sha,
        }

    def _flag_duplicates(self, candidate: dict[str, Any], *, saving: bool) -> bool:
        expenses = production_expenses(self.ctx.store, self.production_id)
        return self.duplicate.check(candidate, expenses, saving=saving)

    def _save(self, _: ft.Event[ft.Button]) -> None:
        minor = self.amount.read()
        spent_on = self.day.read()
        if minor is None or spent_on is None:
            return
        fields = {
            "amount_minor": minor,
            "currency": self.amount.currency.value or "",
            "spent_on": spent_on,
            "vendor": (self.vendor.value or "").strip(),
            "budget_line_id": None if self.line.value == NO_LINE else self.line.value,
            "payment_method": self.method.value or "",
            "paid_by": self.paid_by.value or "",
            "note": (self.note.value or "").strip(),
            "receipt": self.receipt.sha,
        }
        if self._flag_duplicates(
            {**fields, "id": self.expense["id"] if self.expense else None,
             "production_id": self.production_id},
            saving=True,
        ):
            return
        if self.proposals.proposed():
            fields |= self.proposals.record(fields)
        try:
            if self.expense is None:
                record_expense(self.ctx.store, self.production_id, ExpenseEntry(**fields))
            else:
                update_expense(self.ctx.store, self.expense["id"], fields)
        except ValueError as error:  # ExpenseError, ValidationError, MoneyError
            self.error.value, self.error.visible = f"Not saved: {error}", True
            return
        self.ctx.page.pop_dialog()
        show_message(
            self.ctx.page,
            f"Saved {fields['vendor'] or 'expense'} as a draft"
            if self.expense is None
            else "Expense updated",
        )
        self.on_saved()
