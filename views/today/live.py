"""A container that redraws its screen after every store commit while it is on the page.

Screens change the store and then wait to hear about it, like any other change: a
tick made here, an edit from another browser tab and records arriving by sync all
take the same path, so a screen has one way to stay current. The subscription lives
exactly as long as the control is mounted (``did_mount`` / ``will_unmount``), so a
screen the shell has replaced stops listening. A commit made on Flet's loop (any
session's handler) redraws at once; one made on the sync thread is scheduled onto the
page's loop, and commits arriving while that redraw is pending fold into it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import flet as ft
from flet.controls.base_control import skip_field

from app.store import Store


@ft.control
class Live(ft.Container):
    """Calls ``refresh`` (which rebuilds ``content``) after each commit, then updates."""

    store: Store | None = skip_field()
    refresh: Callable[[], None] | None = skip_field()

    def did_mount(self) -> None:
        super().did_mount()
        assert self.store is not None
        self._pending = False
        self._unsubscribe = self.store.subscribe(self._changed)

    def will_unmount(self) -> None:
        self._unsubscribe()
        super().will_unmount()

    def _changed(self, _: Any) -> None:
        page = self._page()
        if page is None:
            return
        if _on_loop(page):  # a handler of this or another session committed
            self._redraw()
        elif not self._pending:  # the sync thread committed
            self._pending = True
            page.run_task(self._redraw_later)

    async def _redraw_later(self) -> None:
        self._pending = False
        if self._page() is not None:  # not replaced by another screen meanwhile
            self._redraw()

    def _redraw(self) -> None:
        if self.refresh is not None:
            self.refresh()
        self.update()

    def _page(self) -> ft.Page | None:
        return page_of(self)


def page_of(control: ft.Control) -> ft.Page | None:
    """The page ``control`` is on, or None when it is not (or no longer) shown."""
    try:
        return control.page
    except RuntimeError:
        return None


def update_if_shown(control: ft.Control) -> None:
    """Send ``control``'s changes now. A handler that opened or closed a dialog has
    already called ``update``, and Flet then skips its update after the handler, so
    a screen redrawn there must send itself."""
    if page_of(control) is not None:
        control.update()


def _on_loop(page: ft.Page) -> bool:
    try:
        return asyncio.get_running_loop() is page.session.connection.loop
    except RuntimeError:  # no loop runs on this thread
        return False
