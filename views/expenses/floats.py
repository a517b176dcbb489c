"""Petty-cash floats: cash handed to crew members and what each should still hold.

Balances come from :func:`app.budget.petty_cash_floats` (issued minus petty-cash spend,
per currency). Issuing a float is a one-dialog flow: who, how much, a note.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.budget import FloatBalance, petty_cash_floats
from app.expenses import issue_float
from app.money import format_amount
from app.schedule_today import local_day
from views.context import AppContext
from views.expenses.amount import AmountInput
from views.expenses.listing import production_names
from views.expenses.style import form_dialog, full_width, pane_action
from views.widgets import choice, empty_state, show_message


def floats_view(ctx: AppContext, production_id: str, redraw: Callable[[], None]) -> ft.Control:
    """The balances, and "Issue a float"; ``redraw`` runs after a float is issued."""
    floats = petty_cash_floats(ctx.store, production_id)
    people = production_names(ctx.store, production_id)

    def issue(_: ft.Event[ft.Button]) -> None:
        IssueFloatForm(ctx, production_id, on_issued=redraw).open()

    button = ft.Button(content="Issue a float", icon=ft.Icons.PAYMENTS_OUTLINED, on_click=issue)
    if not floats:
        return empty_state(
            ft.Icons.PAYMENTS_OUTLINED,
            "No petty cash handed out yet. Issue a float when you give someone cash; "
            "their petty-cash expenses are taken off it.",
            button,
        )
    cards = [_person_card(people.person(person), balances) for person, balances in floats.items()]
    return ft.ListView(
        controls=[pane_action(button), *cards],
        padding=ft.Padding.only(bottom=24),
    )


def _person_card(name: str, balances: dict[str, FloatBalance]) -> ft.Control:
    lines: list[ft.Control] = [ft.Text(name, weight=ft.FontWeight.BOLD)]
    for currency, balance in balances.items():
        holds = balance.balance_minor
        lines.append(
            ft.Text(
                f"Issued {format_amount(balance.issued_minor, currency)} · "
                f"spent {format_amount(balance.spent_minor, currency)}"
            )
        )
        lines.append(
            ft.Text(f"Holds {format_amount(holds, currency)}", weight=ft.FontWeight.W_500)
            if holds >= 0
            else ft.Text(
                f"Owed {format_amount(-holds, currency)} (spent more than issued)",
                color=ft.Colors.ERROR,
            )
        )
    return ft.Container(
        ft.Column(lines, tight=True, spacing=4),
        padding=16,
        margin=ft.Margin.symmetric(horizontal=12, vertical=4),
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )


class IssueFloatForm:
    """Hand cash to one person: recorded as a float issue (see :mod:`app.expenses`)."""

    def __init__(
        self, ctx: AppContext, production_id: str, *, on_issued: Callable[[], None]
    ) -> None:
        production = ctx.production()
        assert production is not None
        self.ctx, self.production_id, self.on_issued = ctx, production_id, on_issued
        self.today = local_day(ctx.store, production_id, ctx.now())
        people = production_names(ctx.store, production_id).people
        self.person = choice("Given to", None, people)
        self.amount = AmountInput(production["currency"])
        self.note = ft.TextField(label="Note", hint_text="e.g. petty cash for the shoot days")
        self.error = ft.Text(color=ft.Colors.ERROR, visible=False)
        self.dialog = form_dialog(
            ctx,
            "Issue a petty-cash float",
            [full_width(self.person), self.amount.row(), self.note, self.error],
            ft.Button(content="Issue float", on_click=self._issue),
        )

    def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)

    def _issue(self, _: ft.Event[ft.Button]) -> None:
        minor = self.amount.read()
        if minor is None:
            return
        if not self.person.value:
            self.error.value, self.error.visible = "Choose who receives the cash.", True
            return
        try:
            issue_float(
                self.ctx.store,
                self.production_id,
                self.person.value,
                minor,
                self.amount.currency.value or "",
                self.today,
                self.note.value or "",
            )
        except ValueError as error:  # ExpenseError, ValidationError
            self.error.value, self.error.visible = f"Not issued: {error}", True
            return
        self.ctx.page.pop_dialog()
        show_message(self.ctx.page, "Float issued")
        self.on_issued()
