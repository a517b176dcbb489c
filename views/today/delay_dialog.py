"""Asking why an item runs late before flagging it.

The reason goes into the item's notes with the time (``app.schedule.mark_delayed``),
which is what the daily report and the producer read later; it may be left empty when
there is no time to type.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft


def ask_delay_reason(page: ft.Page, title: str, on_confirm: Callable[[str], None]) -> None:
    """Show the dialog; ``on_confirm(reason)`` runs when "Mark delayed" is pressed."""
    reason = ft.TextField(label="Reason (optional)", autofocus=True, multiline=True, max_lines=3)

    def confirm(_: ft.Event[ft.FilledButton]) -> None:
        page.pop_dialog()
        on_confirm(reason.value or "")

    page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(f"Delayed: {title}"),
            content=reason,
            actions=[
                ft.TextButton("Cancel", on_click=lambda _: page.pop_dialog()),
                ft.FilledButton("Mark delayed", on_click=confirm),
            ],
        )
    )
