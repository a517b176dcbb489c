"""One line of the expense list: what was bought, for how much, and where it stands.

Rows show a receipt *indicator*, not the photo: a list of thousands of expenses must
not read and ship thousands of thumbnails. The photo is one tap away in the detail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from app.money import format_amount
from views.expenses.listing import Names
from views.expenses.style import payment_label, status_badge
from views.today.clock import short_day

ROW_HEIGHT = 80
"""Fixed row height, so the list can lay out only the rows on screen (``item_extent``)."""


def expense_row(
    expense: dict[str, Any], names: Names, on_open: Callable[[dict[str, Any]], Awaitable[None]]
) -> ft.Control:
    details = " · ".join(
        [
            short_day(expense["spent_on"]),
            names.line(expense["budget_line_id"]),
            payment_label(expense["payment_method"]),
            names.person(expense["paid_by"]),
            *([] if expense["receipt"] else ["no receipt"]),
        ]
    )

    async def open_(_: ft.Event[ft.ListTile]) -> None:
        await on_open(expense)

    return ft.ListTile(
        height=ROW_HEIGHT,
        leading=ft.Icon(
            ft.Icons.RECEIPT_LONG if expense["receipt"] else ft.Icons.HIDE_IMAGE_OUTLINED,
            color=ft.Colors.PRIMARY if expense["receipt"] else ft.Colors.OUTLINE,
        ),
        title=ft.Text(
            expense["vendor"] or "(no vendor)", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS
        ),
        subtitle=ft.Text(details, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, size=12),
        trailing=ft.Column(
            [
                ft.Text(
                    format_amount(expense["amount_minor"], expense["currency"]),
                    weight=ft.FontWeight.BOLD,
                ),
                status_badge(expense["status"]),
            ],
            spacing=4,
            tight=True,
            alignment=ft.MainAxisAlignment.CENTER,
            horizontal_alignment=ft.CrossAxisAlignment.END,
        ),
        on_click=open_,
    )
