"""The budget at a glance: per line, allocated against spent, with a bar for each.

Progress bars rather than a chart widget: one bar per line reads on a phone held in one
hand, scales to any number of lines, and screen readers announce each bar's figures.
A line over budget turns the error colour and says by how much. Money in a currency
other than the line's is listed beside it, never converted (see :mod:`app.budget`).
Lines are added and edited here (:mod:`views.expenses.budget_form`).
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.budget import BudgetSummary, CurrencyTotal, LineSummary, budget_summary
from app.money import format_amount
from views.context import AppContext
from views.expenses.budget_form import BudgetLineForm
from views.expenses.listing import money_text
from views.expenses.style import pane_action
from views.widgets import empty_state, section_header


def budget_view(ctx: AppContext, production_id: str, redraw: Callable[[], None]) -> ft.Control:
    """The budget pane; ``redraw`` runs after a line is added or edited here."""
    summary = budget_summary(ctx.store, production_id)

    def edit(line_id: str | None) -> None:
        line = ctx.store.get("budget_lines", line_id) if line_id else None
        BudgetLineForm(ctx, production_id, line, on_saved=redraw).open()

    add = ft.Button(content="Add a budget line", icon=ft.Icons.ADD, on_click=lambda _: edit(None))
    if not summary.lines and not summary.totals:
        return empty_state(
            ft.Icons.SAVINGS_OUTLINED,
            "No budget lines yet. Add one per department or cost category; expenses "
            "booked on it are counted against what it was allocated.",
            add,
        )
    return ft.ListView(
        controls=[
            pane_action(add),
            *_controls(summary, edit),
        ],
        padding=ft.Padding.only(bottom=24),
    )


def _controls(summary: BudgetSummary, edit: Callable[[str], None]) -> list[ft.Control]:
    controls: list[ft.Control] = [section_header("Whole production")]
    controls += [_total_card(currency, total) for currency, total in summary.totals.items()]
    controls.append(section_header("By budget line"))
    controls += [_line_card(line, edit) for line in summary.lines]
    if summary.unassigned:
        controls.append(
            _card(
                ft.Column(
                    [
                        ft.Text("Not on a budget line", weight=ft.FontWeight.BOLD),
                        ft.Text(f"Spent {money_text(summary.unassigned)}"),
                    ],
                    tight=True,
                )
            )
        )
    return controls


def _total_card(currency: str, total: CurrencyTotal) -> ft.Control:
    title = ft.Text(f"Total in {currency}", weight=ft.FontWeight.BOLD)
    spent = format_amount(total.spent_minor, currency)
    if not total.allocated_minor:  # spend in a currency no line is budgeted in
        return _card(
            ft.Column(
                [title, ft.Text(f"Spent {spent} (no budget in {currency})")], tight=True, spacing=6
            )
        )
    return _card(
        ft.Column(
            [
                title,
                ft.Text(f"Spent {spent} of {format_amount(total.allocated_minor, currency)}"),
                _bar(total.spent_minor, total.allocated_minor, f"Total in {currency}"),
                _remaining(total.remaining_minor, currency),
            ],
            tight=True,
            spacing=6,
        )
    )


def _line_card(line: LineSummary, edit: Callable[[str], None]) -> ft.Control:
    over = line.remaining_minor < 0
    title = ft.Row(
        [ft.Text(line.category, weight=ft.FontWeight.BOLD, expand=True)]
        + (
            [ft.Text("Over budget", color=ft.Colors.ERROR, weight=ft.FontWeight.BOLD)]
            if over
            else []
        )
        + [
            ft.TextButton(
                "Edit",
                icon=ft.Icons.EDIT_OUTLINED,
                on_click=lambda _: edit(line.line_id),
            )
        ],
    )
    rows: list[ft.Control] = [
        title,
        ft.Text(
            f"{format_amount(line.spent_minor, line.currency)} of "
            f"{format_amount(line.allocated_minor, line.currency)}"
        ),
        _bar(line.spent_minor, line.allocated_minor, line.category),
        _remaining(line.remaining_minor, line.currency),
    ]
    if line.other_currencies:
        rows.append(
            ft.Text(
                f"Also spent {money_text(line.other_currencies)} (not converted)",
                size=12,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    return _card(ft.Column(rows, tight=True, spacing=6), over=over)


def _bar(spent: int, allocated: int, label: str) -> ft.Control:
    share = spent / allocated if allocated else (1.0 if spent else 0.0)
    over = spent > allocated
    return ft.ProgressBar(
        value=min(share, 1.0),
        bar_height=10,
        border_radius=5,
        color=ft.Colors.ERROR if over else ft.Colors.PRIMARY,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
        semantics_label=f"{label}: {share:.0%} of budget spent",
    )


def _remaining(remaining: int, currency: str) -> ft.Control:
    if remaining < 0:
        return ft.Text(f"Over by {format_amount(-remaining, currency)}", color=ft.Colors.ERROR)
    return ft.Text(
        f"Remaining {format_amount(remaining, currency)}", color=ft.Colors.ON_SURFACE_VARIANT
    )


def _card(content: ft.Control, *, over: bool = False) -> ft.Control:
    return ft.Container(
        content=content,
        padding=16,
        margin=ft.Margin.symmetric(horizontal=12, vertical=4),
        border_radius=12,
        bgcolor=ft.Colors.ERROR_CONTAINER if over else ft.Colors.SURFACE_CONTAINER_LOW,
        border=ft.Border.all(2, ft.Colors.ERROR) if over else None,
    )
