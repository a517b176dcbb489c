"""Register an unknown label: create a new item with it, or attach it to an existing one.

Crews often own labels already (pre-printed blanks, a rental house's asset tags). A code
that matches nothing is therefore a question, not an error: whose label is this? The
search for an existing item shows a handful of matches at a time, so it stays quick
with thousands of items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.equipment import claim_label, create_item
from views.context import AppContext
from views.gear.rows import GearFilter, filter_rows, gear_rows
from views.widgets import show_message

MAX_MATCHES = 6


def register_label(ctx: AppContext, code: str, on_done: Callable[[str], None]) -> ft.AlertDialog:
    """Ask what the label ``code`` belongs to; ``on_done(item_id)`` once it is attached."""
    production = ctx.production() or {}
    rows = gear_rows(ctx.store, {})
    name = ft.TextField(label="New item name", autofocus=True)
    category = ft.TextField(label="Category", expand=True)
    serial = ft.TextField(label="Serial number", expand=True)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    search = ft.TextField(label="Find an existing item", prefix_icon=ft.Icons.SEARCH)
    matches = ft.Column(spacing=0)

    def finish(item_id: str, message: str) -> None:
        ctx.page.pop_dialog()
        show_message(ctx.page, message)
        on_done(item_id)
        ctx.page.update()  # showing the message used up the handler's auto-update

    def attempt(action: Callable[[], tuple[str, str]]) -> None:
        try:
            item_id, message = action()
        except ValueError as refusal:
            error.value, error.visible = str(refusal), True
            return
        finish(item_id, message)

    def create(_: Any) -> None:
        def run() -> tuple[str, str]:
            item_id = create_item(ctx.store, code=code, name=name.value or "",
                                  category=(category.value or "").strip(),
                                  serial=(serial.value or "").strip(),
                                  currency=production.get("currency", "EUR"))
            return item_id, f"Registered {name.value} with label {code}"
        attempt(run)

    def claim(item: dict[str, Any]) -> None:
        def run() -> tuple[str, str]:
            claim_label(ctx.store, code, item["id"])
            return item["id"], f"Label {code} now finds {item['name']}"
        attempt(run)

    def searched(_: Any) -> None:
        query = (search.value or "").strip()
        found = filter_rows(rows, GearFilter(query=query))[:MAX_MATCHES] if query else []
        matches.controls = [
            ft.ListTile(title=ft.Text(r.item["name"]), subtitle=ft.Text(r.item["serial"]),
                        dense=True, on_click=lambda _, i=r.item: claim(i))
            for r in found
        ] or ([ft.Text("No item matches.")] if query else [])

    search.on_change = searched
    dialog = ft.AlertDialog(
        title=ft.Text("Register this label"),
        content=ft.Column(tight=True, width=400, spacing=12, controls=[
            ft.Text(f"No item has the code {code}. Attach the label to a new item, "
                    "or to one you already have."),
            name, ft.Row([category, serial], spacing=8),
            ft.Button(content="Create item with this label", icon=ft.Icons.ADD, on_click=create),
            ft.Divider(), search, matches, error,
        ]),
        actions=[ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog())],
    )
    ctx.page.show_dialog(dialog)
    return dialog
