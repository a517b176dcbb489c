"""The Expenses destination: the list with its totals, the budget, and petty-cash floats.

Three panes behind one segmented switch, so the coordinator's three questions ("what
was spent", "how does that sit against the budget", "who holds cash") are one tap
apart. The screen redraws itself after its own edits (the forms and the detail call
back) and after changes from elsewhere (another tab, a sync) through
``views.refresh.watch``; filters and the open pane survive the redraw because they
live here, not in the controls.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.expenses import EXPENSE_STATUSES
from app.productions import production_days
from app.schedule_today import local_day
from views.context import AppContext
from views.expenses.budget_view import budget_view
from views.expenses.detail import ExpenseDetail
from views.expenses.exports import ExportDialog
from views.expenses.floats import floats_view
from views.expenses.form import ExpenseForm
from views.expenses.listing import (
    ALL,
    ExpenseFilter,
    Names,
    money_text,
    production_expenses,
    production_names,
    spend_totals,
)
from views.expenses.rows import ROW_HEIGHT, expense_row
from views.expenses.style import STATUS_LABELS
from views.refresh import update_if_shown, watch
from views.today.clock import short_day
from views.widgets import choice, empty_state, no_production

PANES = {"list": "Expenses", "budget": "Budget", "floats": "Floats"}
PAGE_SIZE = 100
"""Rows drawn at first; "Show more" adds as many again, so a long production stays quick."""


def expenses_screen(ctx: AppContext) -> ft.Control:
    """The Expenses destination's builder (see ``views.destinations``)."""
    if ctx.production_id is None:
        return no_production(ft.Icons.RECEIPT_LONG, "log spend against its budget")
    return ExpensesScreen(ctx).root


class ExpensesScreen:
    def __init__(self, ctx: AppContext) -> None:
        assert ctx.production_id is not None
        self.ctx, self.production_id = ctx, ctx.production_id
        self.pane = "list"
        self.filter = ExpenseFilter()
        self.shown = PAGE_SIZE
        self.switch = ft.SegmentedButton(
            segments=[ft.Segment(value=key, label=label) for key, label in PANES.items()],
            selected=[self.pane],
            show_selected_icon=False,
            on_change=self._switch,
        )
        self.body = ft.Container(expand=True)
        self.root = ft.Column(
            [ft.Container(self.switch, padding=ft.Padding(12, 12, 12, 4)), self.body],
            expand=True,
            spacing=0,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
        self.refresh()
        watch(ctx, lambda _: self.refresh())

    def refresh(self) -> None:
        """Rebuild the open pane from the store."""
        if self.pane == "budget":
            self.body.content = budget_view(self.ctx, self.production_id, self.redraw)
        elif self.pane == "floats":
            self.body.content = floats_view(self.ctx, self.production_id, self.redraw)
        else:
            self.body.content = self._list_pane()

    def redraw(self) -> None:
        """After this screen's own edit: rebuild and send (the edit's dialog already
        updated the page, so Flet will not update after the handler)."""
        self.refresh()
        update_if_shown(self.root)

    def _switch(self, e: ft.Event[ft.SegmentedButton]) -> None:
        self.pane = e.control.selected[0]
        self.refresh()

    def _list_pane(self) -> ft.Control:
        production = self.ctx.production()
        assert production is not None
        expenses = production_expenses(self.ctx.store, self.production_id)
        names = production_names(self.ctx.store, self.production_id)
        today = local_day(self.ctx.store, self.production_id, self.ctx.now())
        days = sorted(
            {*production_days(production), *(e["spent_on"] for e in expenses)}, reverse=True
        )
        matching = [e for e in expenses if self.filter.matches(e)]
        add = ft.FloatingActionButton(
            icon=ft.Icons.ADD, content="Add expense", on_click=self._add, right=16, bottom=16
        )
        header = [
            self._totals(today),
            self._filters(days, names),
            ft.Container(
                ft.Row(
                    [
                        ft.Text(
                            f"{len(matching)} of {len(expenses)} expenses",
                            expand=True,
                            color=ft.Colors.ON_SURFACE_VARIANT,
                        ),
                        ft.TextButton(
                            "Export report",
                            icon=ft.Icons.IOS_SHARE,
                            on_click=lambda _: ExportDialog(self.ctx).open(),
                        ),
                    ]
                ),
                padding=ft.Padding.only(left=16, right=8),
            ),
        ]
        return ft.Stack(
            [
                ft.Column([*header, self._list(expenses, matching, names)], expand=True, spacing=4),
                add,
            ],
            expand=True,
        )

    def _totals(self, today: str) -> ft.Control:
        totals = spend_totals(self.ctx.store, self.production_id, today)

        def figure(label: str, money: dict[str, int]) -> ft.Control:
            return ft.Column(
                [
                    ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(money_text(money, sep="\n"), weight=ft.FontWeight.BOLD, size=16),
                ],
                spacing=2,
                expand=True,
                tight=True,
            )

        return ft.Container(
            ft.Row(
                [
                    figure("Spent today", totals.today),
                    figure("Spent on the production", totals.production),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            padding=ft.Padding.symmetric(horizontal=16, vertical=12),
            margin=ft.Margin.symmetric(horizontal=12),
            border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        )

    def _filters(self, days: list[str], names: Names) -> ft.Control:
        def pick(label: str, field: str, choices: dict[str, str]) -> ft.Dropdown:
            def chosen(e: ft.Event[ft.Dropdown]) -> None:
                self.filter = ExpenseFilter(**{**vars(self.filter), field: e.control.value})
                self.shown = PAGE_SIZE
                self.refresh()

            return choice(
                label,
                getattr(self.filter, field),
                choices,
                dense=True,
                width=170,
                on_select=chosen,
            )

        row = ft.Row(
            [
                pick("Day", "day", {ALL: "All days", **{d: short_day(d) for d in days}}),
                pick(
                    "Status",
                    "status",
                    {ALL: "All statuses", **{s: STATUS_LABELS[s] for s in EXPENSE_STATUSES}},
                ),
                pick("Paid by", "person", {ALL: "Everyone", **names.people}),
            ],
            scroll=ft.ScrollMode.AUTO,
            spacing=8,
        )
        # Top padding leaves room for the outlined fields' floating labels.
        return ft.Container(row, padding=ft.Padding(12, 8, 12, 0))

    def _list(
        self, expenses: list[dict[str, Any]], matching: list[dict[str, Any]], names: Names
    ) -> ft.Control:
        if not expenses:
            return empty_state(
                ft.Icons.RECEIPT_LONG,
                "No expenses yet. Tap Add expense and "
                "photograph the receipt before it goes in a pocket.",
            )
        if not matching:
            return empty_state(
                ft.Icons.FILTER_ALT_OFF_OUTLINED,
                "No expenses match these filters.",
                ft.TextButton("Clear filters", on_click=self._clear),
            )
        rows = [expense_row(e, names, self._open) for e in matching[: self.shown]]
        if len(matching) > self.shown:
            rows.append(
                ft.Container(
                    ft.TextButton(
                        f"Show more ({len(matching) - self.shown} left)",
                        on_click=self._more,
                    ),
                    height=ROW_HEIGHT,
                    alignment=ft.Alignment.CENTER,
                )
            )
        # The bottom padding keeps the last row clear of the floating Add button.
        return ft.ListView(
            rows, item_extent=ROW_HEIGHT, expand=True, padding=ft.Padding.only(bottom=88)
        )

    def _clear(self, _: Any) -> None:
        self.filter = ExpenseFilter()
        self.refresh()

    def _more(self, _: Any) -> None:
        self.shown += PAGE_SIZE
        self.refresh()

    async def _add(self, _: Any) -> None:
        await ExpenseForm(self.ctx, on_saved=self.redraw).open()

    async def _open(self, expense: dict[str, Any]) -> None:
        names = production_names(self.ctx.store, self.production_id)
        await ExpenseDetail(self.ctx, expense, names, on_change=self.redraw).open()
