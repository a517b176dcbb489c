"""Locations: where the unit works, with the address, notes and a map link.

Added and edited here (a tap on a card edits or removes it; removal rules:
``app.removal``); schedule items and checklists then pick them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

from app.productions import add_location, list_locations, update_location
from app.removal import remove_location
from views.context import AppContext
from views.more.record_form import FormField, RecordKind, open_add_form, open_edit_form
from views.refresh import watch
from views.today.timeline_item import maps_url
from views.widgets import empty_state, show_message

LOCATION_FIELDS = (
    FormField("name", "Name", hint="e.g. Stage 2, Unit base"),
    FormField("address", "Address", multiline=True),
    FormField("notes", "Notes", hint="Parking, access, contact on site", multiline=True),
)
LOCATION = RecordKind(
    "location", LOCATION_FIELDS, add=add_location, update=update_location,
    remove=remove_location, added="Location added.",
)


def locations_list(ctx: AppContext) -> ft.Control:
    return LocationsList(ctx).control


class LocationsList:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.add = ft.FilledButton(
            content="Add location", icon=ft.Icons.ADD_LOCATION_ALT, on_click=self._add
        )
        self.control = ft.Container(expand=True)
        self.refresh()
        watch(ctx, lambda changed: self.refresh() if "locations" in changed else None)

    def refresh(self) -> None:
        assert self.ctx.production_id is not None
        locations = list_locations(self.ctx.store, self.ctx.production_id)
        header = ft.Container(self.add, padding=ft.Padding.symmetric(horizontal=16, vertical=8))
        if not locations:
            body: ft.Control = empty_state(
                ft.Icons.PLACE_OUTLINED,
                "No locations yet. Add the stages, unit base and venues you work at; "
                "schedule items and checklists can then say where they happen.",
            )
        else:
            body = ft.ListView(
                [self._card(loc) for loc in locations], expand=True, spacing=8, padding=12
            )
        self.control.content = ft.Column([header, body], expand=True, spacing=0)

    def _card(self, location: Mapping[str, Any]) -> ft.Control:
        lines: list[ft.Control] = [
            ft.Text(location["name"], theme_style=ft.TextThemeStyle.TITLE_MEDIUM)
        ]
        if location.get("address"):
            lines.append(ft.Text(location["address"]))
        if location.get("notes"):
            lines.append(ft.Text(location["notes"], color=ft.Colors.ON_SURFACE_VARIANT, size=13))
        buttons: list[ft.Control] = [
            ft.TextButton("Edit", icon=ft.Icons.EDIT_OUTLINED, on_click=self._editor(location))
        ]
        url = maps_url(location)
        if url:
            buttons.append(ft.TextButton("Open map", icon=ft.Icons.MAP, url=url))
        lines.append(ft.Row(buttons, spacing=0, wrap=True))
        return ft.Card(content=ft.Container(ft.Column(lines, spacing=4, tight=True), padding=16))

    def _done(self, message: str) -> None:
        self.refresh()
        show_message(self.ctx.page, message)

    def _add(self, _: ft.Event[ft.FilledButton]) -> None:
        open_add_form(self.ctx, LOCATION, self._done)

    def _editor(self, location: Mapping[str, Any]) -> Callable[[ft.Event[ft.TextButton]], None]:
        return lambda _: open_edit_form(self.ctx, LOCATION, location, self._done)
