"""The navigation shell: app bar, production strip, bottom bar or side rail, and the screen.

Phones get a bottom ``NavigationBar`` (reachable with a thumb); tablets and laptops get
a ``NavigationRail`` so the screen keeps its height. Both controls live for the whole
session and only their visibility flips when the window crosses ``WIDE_MIN_WIDTH``,
which keeps resizing cheap and the selected destination in sync between the two.

A device with no production shows the first-run screen instead of the destinations,
until one arrives: the first sync after pairing opens the team's production at once.
The shell owns the session's store subscription (``views.refresh``): a change this
session did not make rebuilds the current screen, or calls the screen's own watcher.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import flet as ft

from views import refresh
from views.context import AppContext
from views.destinations import DESTINATIONS
from views.first_run import first_run
from views.production_switcher import ProductionSwitcher
from views.screen import Destination, install_heading
from views.sync_chip import SyncChip
from views.theme import apply_theme
from views.widgets import empty_state

log = logging.getLogger(__name__)

WIDE_MIN_WIDTH = 640
"""Logical pixels from which the rail replaces the bottom bar (Material's medium size)."""


class Shell:
    """Owns the page layout and swaps the screen when a destination is chosen."""

    def __init__(self, ctx: AppContext, destinations: Sequence[Destination] = DESTINATIONS) -> None:
        self.ctx = ctx
        self.destinations = tuple(destinations)
        self.index = 0
        self.title = ft.Text()
        self.body = ft.Container(expand=True)
        self.chip = SyncChip(ctx)
        self.switcher = ProductionSwitcher(ctx, self.open_production)
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
        self.refresher = refresh.install(ctx, self.show_current)
        install_heading(ctx, self._set_heading)

    def mount(self) -> None:
        """Lay the shell out on the page and open the first destination (or first run)."""
        page = self.ctx.page
        page.title = "Crewkit"
        page.padding = 0
        apply_theme(page)
        page.appbar = ft.AppBar(
            title=self.title,
            actions=[self.chip.button, ft.Container(width=12)],
        )
        page.navigation_bar = self.bar
        page.add(
            ft.Row(
                [
                    self.rail,
                    self.rail_divider,
                    ft.Column([self.switcher.control, self.body], expand=True, spacing=0),
                ],
                expand=True,
                spacing=0,
            )
        )
        page.on_resize = self._on_resize
        page.on_close = self._on_close
        self.chip.start()
        self.show_current()

    def select(self, index: int) -> None:
        """Show destination ``index``, building its screen afresh from the context."""
        self.index = index
        self.show_current()

    def show_current(self) -> None:
        """(Re)build what the session should see now: first run, or the current screen."""
        self.refresher.screen_changed()
        self.ctx.open_arrived_production()
        self.switcher.refresh()
        if self.ctx.production_id is None:
            self._show_first_run()
        else:
            self._show_destination(self.destinations[self.index])
        self.ctx.page.update()

    def open_production(self, production_id: str) -> None:
        """Make ``production_id`` the open production and show it on the current screen."""
        self.ctx.open_production(production_id)
        self.show_current()

    def _show_first_run(self) -> None:
        self.title.value = "Crewkit"
        self.switcher.control.visible = False
        self._fit_width(self.ctx.page.width, navigation=False)
        self.body.content = first_run(self.ctx, self.open_production)

    def _show_destination(self, destination: Destination) -> None:
        self.bar.selected_index = self.rail.selected_index = self.index
        self.title.value = destination.label
        self.switcher.control.visible = True
        self._fit_width(self.ctx.page.width)
        try:
            self.body.content = destination.build(self.ctx)
        except Exception as exc:  # one broken screen must not take the app down
            log.exception("building %s failed", destination.label)
            self.body.content = empty_state(
                ft.Icons.ERROR_OUTLINE, f"{destination.label} could not be shown: {exc}"
            )

    def _set_heading(self, text: str) -> None:
        self.title.value = text
        if refresh.page_of(self.title) is not None:
            self.title.update()

    def _fit_width(self, width: float | None, *, navigation: bool = True) -> None:
        """Show the rail on wide windows and the bottom bar on narrow ones."""
        wide = width is not None and width >= WIDE_MIN_WIDTH
        self.rail.visible = self.rail_divider.visible = navigation and wide
        self.bar.visible = navigation and not wide

    def _on_navigate(self, e: ft.Event[ft.NavigationBar] | ft.Event[ft.NavigationRail]) -> None:
        self.select(e.control.selected_index or 0)

    def _on_resize(self, e: ft.PageResizeEvent) -> None:
        self._fit_width(e.width, navigation=self.ctx.production_id is not None)
        self.ctx.page.update()

    def _on_close(self, _: ft.Event[ft.Page]) -> None:
        """The session has ended (tab closed and its grace period over): let go of it."""
        self.refresher.close()
        self.chip.close()
