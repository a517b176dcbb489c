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
from app.productions import production_zone
from app.schedule_today import local_day
from views.context import AppContext
from views.date_picker import DayField
from views.expenses.amount import AmountInput
from views.expenses.listing import production_names
from views.expenses.receipt import ReceiptField
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
        self.receipt = ReceiptField(ctx, e.get("receipt"))
        self.amount = AmountInput(
            e.get("currency", production["currency"]), minor=e.get("amount_minor")
        )
        # Kept as typed: vendors spell themselves "eBay", "da Silva", "IKEA".
        self.vendor = ft.TextField(
            label="Vendor", value=e.get("vendor", ""), capitalization=ft.TextCapitalization.NONE
        )
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
        self.dialog = form_dialog(
            ctx,
            "Edit expense" if expense else "New expense",
            [
                self.receipt.control,
                self.amount.row(),
                self.vendor,
                full_width(self.line),
                self.day.control,
                full_width(self.method),
                full_width(self.paid_by),
                self.note,
                self.error,
            ],
            ft.Button(content="Save expense", icon=ft.Icons.CHECK, on_click=self._save),
            scrollable=True,
        )

    async def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)
        await self.receipt.load()

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
