"""Checklists: the day's lists, and one list opened to tick through.

The day is the one Today shows (the same session key), so moving to tomorrow on one
screen moves the other. Which list is open is kept in the session too, so a rebuild
(or a trip to Gear and back) returns to it. As on Today, the screen redraws after its
own changes and watches for changes from elsewhere (``views.refresh.watch``).
"""

from __future__ import annotations

import flet as ft

from views.checklists.day_list import day_cards
from views.checklists.detail import ChecklistDetail
from views.checklists.template_picker import open_template_picker
from views.context import AppContext
from views.refresh import update_if_shown, watch
from views.today.day_nav import DayScreen, day_nav
from views.widgets import empty_state, no_production, section_header

OPEN_KEY = "checklists.open"


class ChecklistsScreen(DayScreen):
    def __init__(self, ctx: AppContext, production_id: str) -> None:
        super().__init__(ctx, production_id)
        self.view = ft.ListView(expand=True, spacing=8, padding=ft.Padding.all(12))
        self.refresh()
        watch(ctx, lambda _: self.refresh())

    def open(self, checklist_id: str | None) -> None:
        self.ctx.extras[OPEN_KEY] = checklist_id
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the open list or the day's lists and send them if shown."""
        self.view.controls = self._open_list() or self._day_lists()
        update_if_shown(self.view)

    def _open_list(self) -> list[ft.Control]:
        opened = self.ctx.extras.get(OPEN_KEY)
        if not opened:
            return []
        detail = ChecklistDetail(self.ctx, opened, back=lambda: self.open(None),
                                 redraw=self.refresh)  # fmt: skip
        return detail.build()

    def _day_lists(self) -> list[ft.Control]:
        production = self.ctx.production() or {}
        cards = day_cards(self.ctx.store, self.production_id, self.day, self.open)
        start = ft.TextButton("Start from template", icon=ft.Icons.PLAYLIST_ADD,
                              on_click=lambda _: self._pick_template())  # fmt: skip
        return [
            day_nav(self.ctx, self.day, self.today, production, self.show_day),
            section_header("Lists for this day", start),
            *(cards or [empty_state(
                ft.Icons.CHECKLIST, "No checklists for this day.",
                ft.Button(content="Start a checklist from a template", icon=ft.Icons.PLAYLIST_ADD,
                          on_click=lambda _: self._pick_template()),
            )]),
        ]  # fmt: skip

    def _pick_template(self) -> None:
        open_template_picker(self.ctx, self.day, started=self.open)


def build_checklists(ctx: AppContext) -> ft.Control:
    """The Checklists destination, or what to do when there is no production yet."""
    if ctx.production_id is None:
        return no_production(ft.Icons.CHECKLIST, "tick off its checklists")
    return ChecklistsScreen(ctx, ctx.production_id).view
