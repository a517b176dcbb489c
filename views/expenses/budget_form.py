"""Adding a budget line or changing one: its category and what is allocated to it.

A line's currency is chosen when it is added and shown, not offered, when it is edited:
expenses already booked on the line were counted in that currency, and switching it
would turn their sum into a figure in another money.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

from app.budget import add_budget_line, update_budget_line
from app.models import ValidationError
from app.store import RecordNotFound
from views.context import AppContext
from views.expenses.amount import AmountInput
from views.expenses.style import form_dialog
from views.widgets import show_message


class BudgetLineForm:
    """Adds a line to the production (``line`` None) or edits ``line``; ``on_saved``
    runs once the store has the change."""

    def __init__(
        self,
        ctx: AppContext,
        production_id: str,
        line: Mapping[str, Any] | None,
        *,
        on_saved: Callable[[], None],
    ) -> None:
        production = ctx.production()
        assert production is not None
        self.ctx, self.production_id, self.line, self.on_saved = ctx, production_id, line, on_saved
        currency = line["currency"] if line else production["currency"]
        self.category = ft.TextField(
            label="Category",
            value=line["category"] if line else "",
            hint_text="e.g. Catering, Camera rental, Transport",
            capitalization=ft.TextCapitalization.SENTENCES,
        )
        self.allocated = AmountInput(
            currency, minor=line["allocated_minor"] if line else None, label="Allocated"
        )
        self.allocated.currency.disabled = line is not None
        self.dialog = form_dialog(
            ctx,
            "Edit budget line" if line else "Add a budget line",
            [self.category, self.allocated.row()],
            ft.Button(content="Save" if line else "Add line", on_click=self._save),
        )

    def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)

    def _save(self, _: ft.Event[ft.Button]) -> None:
        self.category.error = None
        minor = self.allocated.read()
        if minor is None:
            return
        category = self.category.value or ""
        try:
            if self.line is None:
                add_budget_line(
                    self.ctx.store,
                    self.production_id,
                    category,
                    minor,
                    self.allocated.currency.value or "",
                )
            else:
                update_budget_line(
                    self.ctx.store,
                    self.line["id"],
                    {"category": category, "allocated_minor": minor},
                )
        except ValidationError as error:
            target = self.category if error.field == "category" else self.allocated.field
            target.error = str(error)
            return
        except RecordNotFound:
            self.category.error = "This budget line was deleted on another device."
            return
        self.ctx.page.pop_dialog()
        show_message(self.ctx.page, f"Saved budget line {category.strip()!r}")
        self.on_saved()
