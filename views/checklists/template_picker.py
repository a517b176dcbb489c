"""Start a checklist for the day from a template: the built-in ones and the production's.

Templates of other productions are left out (a crew's own lists belong to its job).
The new list is a copy, so editing the template later never changes it.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.checklists import instantiate, items, list_templates
from app.productions import list_locations
from views.context import AppContext

NO_LOCATION = ""


def open_template_picker(ctx: AppContext, day: str, started: Callable[[str], None]) -> None:
    """Ask for a template and a location; ``started(checklist_id)`` after creating it."""
    assert ctx.production_id is not None
    production_id = ctx.production_id
    templates = [
        t for t in list_templates(ctx.store) if t.get("production_id") in (None, "", production_id)
    ]
    template = ft.Dropdown(
        label="Template",
        options=[
            ft.DropdownOption(
                t["id"],
                f"{t['title']} ({len(items(ctx.store, t['id']))} items"
                + (", this production)" if t.get("production_id") else ", built-in)"),
            )
            for t in templates
        ],
        expand=True,
    )
    location = ft.Dropdown(
        label="Location",
        value=NO_LOCATION,
        options=[ft.DropdownOption(NO_LOCATION, "No location")]
        + [
            ft.DropdownOption(loc["id"], loc["name"])
            for loc in list_locations(ctx.store, production_id)
        ],
        expand=True,
    )

    def start(_: ft.Event[ft.FilledButton]) -> None:
        if not template.value:
            template.error_text = "Choose a template."
            return
        try:
            checklist_id = instantiate(
                ctx.store, template.value, production_id=production_id, day=day,
                location_id=location.value or None,
            )  # fmt: skip
        except ValueError as e:
            template.error_text = str(e)
            return
        ctx.page.pop_dialog()
        started(checklist_id)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text("Start a checklist"),
            content=ft.Container(
                width=440,
                content=ft.Column([template, location], tight=True, spacing=12),
            ),
            actions=[
                ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()),
                ft.FilledButton("Start", on_click=start),
            ],
        )
    )
