"""The production switcher: a strip at the top of every screen naming the open production.

Crews work on more than one job (prep for the next while wrapping the last), so the
open production is always visible and one tap away from changing. It is a labelled
strip rather than an icon in the app bar: the name is what people look for, and an app
bar on a phone has no room for it next to the screen title and the sync chip.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.productions import list_productions
from views.context import AppContext
from views.production_form import open_production_form

NEW_PRODUCTION = "New production…"


class ProductionSwitcher:
    """``control`` is the strip; ``on_switch(production_id)`` opens a production."""

    def __init__(self, ctx: AppContext, on_switch: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.on_switch = on_switch
        self.name = ft.Text(
            weight=ft.FontWeight.W_600, overflow=ft.TextOverflow.ELLIPSIS, max_lines=1
        )
        self.menu = ft.PopupMenuButton(
            tooltip="Switch production",
            menu_position=ft.PopupMenuPosition.UNDER,
            content=ft.Container(
                padding=ft.Padding.symmetric(horizontal=16, vertical=10),
                content=ft.Row(
                    spacing=8,
                    controls=[
                        ft.Icon(ft.Icons.MOVIE_OUTLINED, color=ft.Colors.PRIMARY, size=20),
                        ft.Container(self.name, expand=True),
                        ft.Icon(ft.Icons.ARROW_DROP_DOWN),
                    ],
                ),
            ),
        )
        self.control = ft.Container(
            content=self.menu,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
        )
        self.refresh()

    def refresh(self) -> None:
        """Re-read the productions (one may have been added, renamed or synced in)."""
        production = self.ctx.production()
        self.name.value = production["name"] if production else "No production"
        self.menu.items = [
            ft.PopupMenuItem(
                content=p["name"],
                checked=p["id"] == self.ctx.production_id,
                on_click=self._switcher(p["id"]),
            )
            for p in list_productions(self.ctx.store)
        ]
        self.menu.items += [
            ft.PopupMenuItem(),  # a divider
            ft.PopupMenuItem(content=NEW_PRODUCTION, icon=ft.Icons.ADD, on_click=self._new),
        ]

    def _switcher(self, production_id: str) -> Callable[[ft.Event[ft.PopupMenuItem]], None]:
        def switch(_: ft.Event[ft.PopupMenuItem]) -> None:
            self.on_switch(production_id)

        return switch

    def _new(self, _: ft.Event[ft.PopupMenuItem]) -> None:
        open_production_form(self.ctx, on_created=self.on_switch)
