"""How expense vocabulary looks on screen: status badges, readable labels, form layout.

The store speaks in codes ("petty_cash", "submitted"); people read words and colours.
Colours come from the theme's container roles so badges stay legible in dark mode.
"""

from __future__ import annotations

import flet as ft

from app.expenses import APPROVED, DRAFT, REIMBURSED, REJECTED, SUBMITTED
from views.context import AppContext

STATUS_LABELS = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    APPROVED: "Approved",
    REJECTED: "Rejected",
    REIMBURSED: "Reimbursed",
}
_STATUS_COLORS = {
    DRAFT: (ft.Colors.SURFACE_CONTAINER_HIGHEST, ft.Colors.ON_SURFACE_VARIANT),
    SUBMITTED: (ft.Colors.TERTIARY_CONTAINER, ft.Colors.ON_TERTIARY_CONTAINER),
    APPROVED: (ft.Colors.PRIMARY_CONTAINER, ft.Colors.ON_PRIMARY_CONTAINER),
    REJECTED: (ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER),
    REIMBURSED: (ft.Colors.SECONDARY_CONTAINER, ft.Colors.ON_SECONDARY_CONTAINER),
}
PAYMENT_LABELS = {
    "petty_cash": "Petty cash",
    "company_card": "Company card",
    "personal": "Paid personally",
}


def status_badge(status: str) -> ft.Control:
    """A small coloured label; not a Chip, which screen readers announce as a checkbox."""
    bgcolor, color = _STATUS_COLORS.get(status, _STATUS_COLORS[DRAFT])
    return ft.Container(
        content=ft.Text(STATUS_LABELS.get(status, status), size=12, color=color),
        bgcolor=bgcolor,
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def payment_label(method: str) -> str:
    return PAYMENT_LABELS.get(method, method.replace("_", " "))


def full_width(control: ft.Control) -> ft.Control:
    """Stretch a dropdown across a form: left alone, it is as wide as its longest option,
    so a form's fields end at ragged edges."""
    control.expand = True
    return ft.Row([control])


def pane_action(button: ft.Control) -> ft.Control:
    """A pane's main action, above its cards and lined up with their edges."""
    return ft.Container(button, padding=ft.Padding(12, 12, 12, 4))


def form_dialog(
    ctx: AppContext,
    title: str,
    fields: list[ft.Control],
    confirm: ft.Button,
    *,
    scrollable: bool = False,
) -> ft.AlertDialog:
    """A form of the Expenses tab: its fields stretched down one column, Cancel and
    ``confirm`` below, so the expense and the float forms line up the same way."""
    return ft.AlertDialog(
        title=ft.Text(title),
        scrollable=scrollable,
        content=ft.Column(
            fields,
            tight=True,
            spacing=12,
            width=420,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        ),
        actions=[ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()), confirm],
    )
