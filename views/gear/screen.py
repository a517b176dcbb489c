"""The Gear destination: the item list, and the views opened from it, one at a time.

Gear's views (an item, scan-to-cart, check-in, conflicts) open on top of the list inside
the destination, with a back button, rather than as dialogs: they hold long lists and
text fields that a phone's dialog would cramp. A sync or another tab's check-out redraws
the open view in place (``views.refresh.watch``), keeping a half-filled cart or a typed
search; this session's own changes are redrawn by the view that made them.
"""

from __future__ import annotations

from typing import Any, Protocol

import flet as ft

from views.context import AppContext
from views.gear.listing import GearList
from views.refresh import watch
from views.widgets import no_production

WATCHED = frozenset({"equipment", "custody_events", "people"})


class GearView(Protocol):
    """A view of the Gear destination: a control, redrawn from the store on demand."""

    control: ft.Control

    def refresh(self) -> None: ...


class GearScreen:
    """Owns the stack of open Gear views and keeps the top one up to date."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.layers = ft.Column(expand=True, spacing=0)
        self.root = ft.Container(expand=True, content=self.layers)
        self._stack: list[GearView] = []
        self.list = GearList(self)
        self.open(self.list)
        watch(ctx, self._changed)

    def open(self, view: GearView) -> None:
        """Show ``view`` over the current one, which stays mounted but hidden (a control
        taken off the page and put back is not redrawn by Flet 1.0.5's diff)."""
        if self._stack:
            self.top.control.visible = False
        self._stack.append(view)
        self.layers.controls.append(view.control)

    def back(self, _: Any = None) -> None:
        """Close the top view and show the one below it, refreshed."""
        if len(self._stack) > 1:
            self._stack.pop()
            self.layers.controls.pop()
        self.top.refresh()
        self.top.control.visible = True

    @property
    def top(self) -> GearView:
        return self._stack[-1]

    def _changed(self, collections: frozenset[str]) -> None:
        """Another session or a sync changed the store: redraw the open view in place
        (the shell's refresher runs this on the loop and updates the page after)."""
        if WATCHED & collections:
            self.top.refresh()


def gear_screen(ctx: AppContext) -> ft.Control:
    """The Gear destination's builder (see ``views.destinations``)."""
    if ctx.production_id is None:
        return no_production(ft.Icons.INVENTORY_2, "scan gear in and out")
    return GearScreen(ctx).root
