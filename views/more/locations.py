"""Locations: where the unit works, with the address, notes and a map link."""

from __future__ import annotations

import flet as ft

from app.productions import list_locations
from views.context import AppContext
from views.today.timeline_item import maps_url
from views.widgets import empty_state


def locations_list(ctx: AppContext) -> ft.Control:
    locations = list_locations(ctx.store, ctx.production_id) if ctx.production_id else []
    if not locations:
        return empty_state(
            ft.Icons.PLACE_OUTLINED,
            "No locations yet. Add them to schedule items on Today to see them here.",
        )
    cards = []
    for location in locations:
        lines: list[ft.Control] = [
            ft.Text(location["name"], theme_style=ft.TextThemeStyle.TITLE_MEDIUM)
        ]
        if location.get("address"):
            lines.append(ft.Text(location["address"]))
        if location.get("notes"):
            lines.append(ft.Text(location["notes"], color=ft.Colors.ON_SURFACE_VARIANT, size=13))
        url = maps_url(location)
        if url:
            lines.append(ft.TextButton("Open map", icon=ft.Icons.MAP, url=url))
        cards.append(
            ft.Card(
                content=ft.Container(ft.Column(lines, spacing=4, tight=True), padding=16),
            )
        )
    return ft.ListView(cards, expand=True, spacing=8, padding=12)
