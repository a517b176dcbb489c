"""Keeping what a session shows in step with the store.

One ``Refresher`` per session (the shell creates it) holds the session's one store
subscription. When the store reports a commit that this session did not make (a sync
pull, another browser tab, the sync engine's bookkeeping), the refresher coalesces the
burst and, on the page's event loop:

* calls the current screen's watcher if it registered one with :func:`watch`, or
* rebuilds the current screen (the shell's default: screens are builders over the store,
  so building again shows the store as it is now).

Changes the session made itself are left to the screen that made them: it already
knows, and a rebuild would throw away what the user is doing (an open dialog's screen
state, a scan cart, a half-typed search). Whether a commit is "ours" is read from
Flet's current-page context variable, which is set while this session's handlers run
and is carried into ``ctx.off_loop`` threads (``asyncio.to_thread`` copies context).

Screens with state worth keeping (a search box, a cart, a scrolled list) register a
watcher that updates in place::

    def build(ctx):
        ...
        def on_change(collections: frozenset[str]) -> None:
            if "equipment" in collections:
                refill_list()
        watch(ctx, on_change)
        return column

A watcher lives until the shell shows another screen; it runs on the event loop, so
it may touch controls and call ``update()``. After its own edits a screen redraws
itself and sends the result with :func:`update_if_shown`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import flet as ft

from app.store import Store, StoreChange
from views.context import AppContext

log = logging.getLogger(__name__)

Watcher = Callable[[frozenset[str]], None]

COALESCE_S = 0.15
"""A sync pull commits in batches; one refresh per burst, not one per batch."""

_EXTRAS_KEY = "refresher"


class Refresher:
    """The session's store subscription; see the module docstring for the rules."""

    def __init__(self, page: ft.Page, store: Store, rebuild: Callable[[], None]) -> None:
        self.page = page
        self.rebuild = rebuild
        self.watchers: list[Watcher] = []
        self._changed: set[str] = set()
        self._scheduled = False
        self._unsubscribe: Callable[[], None] | None = store.subscribe(self._on_commit)

    def watch(self, watcher: Watcher) -> None:
        self.watchers.append(watcher)

    def screen_changed(self) -> None:
        """Forget the previous screen's watchers (the shell calls this on navigation)."""
        self.watchers.clear()

    def close(self) -> None:
        """Stop listening (the session has ended); safe to call twice."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_commit(self, change: StoreChange) -> None:
        """Store listener: runs on whatever thread committed, so it only schedules."""
        if not change.collections:
            return
        if not change.remote and _committing_page() is self.page:
            return  # this session's own edit: the screen that made it shows it
        self._changed.update(change.collections)
        if self._scheduled:
            return
        if _session_loop(self.page) is None:
            return  # the tab is disconnected: the next commit after it is back shows these
        self._scheduled = True
        try:
            self.page.run_task(self._flush)
        except RuntimeError:  # the session's loop is gone: the tab was closed
            self._scheduled = False
            self.close()

    async def _flush(self) -> None:
        await asyncio.sleep(COALESCE_S)
        changed, self._changed = frozenset(self._changed), set()
        self._scheduled = False
        try:
            if self.watchers:
                for watcher in list(self.watchers):
                    watcher(changed)
            else:
                self.rebuild()
        except Exception:  # a screen's bug must not end the session's refreshes
            log.exception("refreshing the screen failed")
        self.page.update()


def _session_loop(page: ft.Page) -> asyncio.AbstractEventLoop | None:
    """The running loop of the session's browser connection, or None while it has none
    (a closed or disconnected tab), when a refresh cannot be scheduled at all."""
    try:
        connection = page.session.connection
    except RuntimeError:
        return None
    loop = getattr(connection, "loop", None)
    if loop is None or loop.is_closed():
        return None
    return loop


def _committing_page() -> ft.Page | None:
    """The session whose handler made the commit being reported, if any."""
    try:
        return ft.context.page
    except RuntimeError:
        return None


def install(ctx: AppContext, rebuild: Callable[[], None]) -> Refresher:
    """Give the session its refresher (the shell does this once, when it mounts)."""
    refresher = Refresher(ctx.page, ctx.store, rebuild)
    ctx.extras[_EXTRAS_KEY] = refresher
    return refresher


def watch(ctx: AppContext, watcher: Watcher) -> None:
    """Call ``watcher(collections)`` on foreign changes while this screen is shown.

    Without a shell (a screen built alone in a test) there is nothing to watch and the
    call does nothing.
    """
    refresher = ctx.extras.get(_EXTRAS_KEY)
    if isinstance(refresher, Refresher):
        refresher.watch(watcher)


def restart_watching(ctx: AppContext) -> None:
    """Forget the watchers of the page on show. A screen that swaps pages inside itself
    (More's sections) calls this before showing another page, which then watches anew."""
    refresher = ctx.extras.get(_EXTRAS_KEY)
    if isinstance(refresher, Refresher):
        refresher.screen_changed()


def is_watched(ctx: AppContext) -> bool:
    """Whether the page on show has registered a watcher (so it redraws itself)."""
    refresher = ctx.extras.get(_EXTRAS_KEY)
    return isinstance(refresher, Refresher) and bool(refresher.watchers)


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
