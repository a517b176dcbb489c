"""Data export: the equipment list as CSV (re-importable here or elsewhere) and the
production's schedule as an iCalendar file for the crew's own calendars."""

from __future__ import annotations

import flet as ft

from app.calendar_export import production_calendar
from app.interchange import export_equipment_csv
from views.context import AppContext
from views.export import export_tile, slug
from views.widgets import section_header


def data_export(ctx: AppContext) -> ft.Control:
    production = ctx.production()
    assert production is not None
    name, pid, store = slug(production["name"]), production["id"], ctx.store
    return ft.ListView(
        expand=True,
        padding=ft.Padding.symmetric(horizontal=16),
        spacing=12,
        controls=[
            section_header("Equipment"),
            export_tile(
                ctx,
                "Equipment CSV",
                ft.Icons.TABLE_VIEW,
                lambda: ("equipment.csv", export_equipment_csv(store).encode("utf-8")),
            ),
            section_header("Schedule"),
            export_tile(
                ctx,
                "Calendar (.ics)",
                ft.Icons.EVENT,
                lambda: (f"{name}.ics", production_calendar(store, pid, clock=ctx.now)),
            ),
            ft.Text(
                "A copy of every export is also kept in the app's data folder (see About).",
                color=ft.Colors.ON_SURFACE_VARIANT,
                size=13,
            ),
        ],
    )
