"""The navigation shell: app bar, bottom bar or side rail, and the current screen.

Phones get a bottom ``NavigationBar`` (reachable with a thumb); tablets and laptops get
a ``NavigationRail`` so the screen keeps its height. Both controls live for the whole
session and only their visibility flips when the window crosses ``WIDE_MIN_WIDTH``,
which keeps resizing cheap and the selected destination in sync between the two.
"""

from __future__ import annotations

from collections.abc import Sequence

import flet as ft

from views.context import AppContext
from views.destinations import DESTINATIONS
from views.screen import Destination
from views.sync_chip import sync_chip
from views.theme import apply_theme

WIDE_MIN_WIDTH = 640
"""Logical pixels from which the rail replaces the bottom bar (Material's medium size)."""


class Shell:
    """Owns the page layout and swaps the screen when a destination is chosen."""

    def __init__(self, ctx: AppContext, destinations: Sequence[Destination] = DESTINATIONS) -> None:
        self.ctx = ctx
        self.destinations = tuple(destinations)
        self.title = ft.Text()
        self.body = ft.Container(expand=True)
        self.bar = ft.NavigationBar(
            destinations=[
                ft.NavigationBarDestination(
                    label=d.label, icon=d.icon, selected_icon=d.selected_icon
                )
                for d in self.destinations
            ],
            on_change=self._on_navigate,
        )
        self.rail = ft.NavigationRail(
            destinations=[
                ft.NavigationRailDestination(
                    label=d.label, icon=d.icon, selected_icon=d.selected_icon
                )
                for d in self.destinations
            ],
            label_type=ft.NavigationRailLabelType.ALL,
            on_change=self._on_navigate,
        )
        self.rail_divider = ft.VerticalDivider(width=1)

    def mount(self) -> None:
        """Lay the shell out on the page and open the first destination."""
        page = self.ctx.page
        page.title = "Crewkit"
        page.padding = 0
        apply_theme(page)
        page.appbar = ft.AppBar(
            title=self.title,
            actions=[sync_chip(page), ft.Container(width=12)],
        )
        page.navigation_bar = self.bar
        page.add(ft.Row([self.rail, self.rail_divider, self.body], expand=True, spacing=0))
        page.on_resize = self._on_resize
        self._fit_width(page.width)
        self.select(0)

    def select(self, index: int) -> None:
        """Show destination ``index``, building its screen afresh from the context."""
        destination = self.destinations[index]
        self.bar.selected_index = index
        self.rail.selected_index = index
        self.title.value = destination.label
        self.body.content = destination.build(self.ctx)
        self.ctx.page.update()

    def _fit_width(self, width: float | None) -> None:
        """Show the rail on wide windows and the bottom bar on narrow ones."""
        wide = width is not None and width >= WIDE_MIN_WIDTH
        self.rail.visible = wide
        self.rail_divider.visible = wide
        self.bar.visible = not wide

    def _on_navigate(self, e: ft.Event[ft.NavigationBar] | ft.Event[ft.NavigationRail]) -> None:
        self.select(e.control.selected_index or 0)

    def _on_resize(self, e: ft.PageResizeEvent) -> None:
        self._fit_width(e.width)
        self.ctx.page.update()
