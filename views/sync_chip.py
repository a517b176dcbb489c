"""The sync status chip in the app bar: one glance says whether the crew's data is shared.

When synced it says where: "Synced 3 min ago · Base camp hub" or "… · Server".
The label is a pure function of the engine's ``SyncStatus`` and the clock, so its
wording is tested without an engine. The chip follows the engine's status as it changes
and re-reads the clock every ``TICK_S`` so "synced 3 min ago" stays true; tapping it
opens the sync details.

It is an outlined button shaped like a Material assist chip rather than ``ft.Chip``:
Flutter exposes a tappable ``Chip`` as a checkbox, while this is an action, and screen
readers and browser tests should meet it as a button named by its label.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

import flet as ft

from sync import SyncState, SyncStatus
from views.context import AppContext
from views.sync_details import open_sync_details
from views.sync_hubs import kind_words

TICK_S = 30.0
NOT_PAIRED = "Not paired"


def chip_label(status: SyncStatus | None, now: datetime) -> tuple[str, ft.IconData]:
    """What the chip says and shows, most urgent first.

    ``None`` is a device without a sync engine (a view test, or sync unavailable).
    """
    if status is None or status.state is SyncState.UNPAIRED:
        return NOT_PAIRED, ft.Icons.CLOUD_OFF
    if status.state is SyncState.SYNCING:
        progress = status.progress
        if progress is not None and progress.total:
            return f"Syncing {100 * progress.done // progress.total}%", ft.Icons.SYNC
        return "Syncing…", ft.Icons.SYNC
    if status.rejected:
        return f"{status.rejected} rejected", ft.Icons.ERROR_OUTLINE
    if status.state is SyncState.PAIR_AGAIN:
        return "Pair again", ft.Icons.SYNC_PROBLEM
    if status.state is SyncState.OFFLINE:
        suffix = f" · {status.pending} pending" if status.pending else ""
        return f"Offline{suffix}", ft.Icons.CLOUD_OFF
    if status.state is SyncState.ERROR:
        return "Sync error", ft.Icons.SYNC_PROBLEM
    if status.pending:
        return f"{status.pending} pending", ft.Icons.CLOUD_UPLOAD_OUTLINED
    where = f" · {kind_words(status.endpoint)}" if status.endpoint else ""
    return f"Synced {ago(status.synced_at_ms, now)}{where}", ft.Icons.CLOUD_DONE_OUTLINED


def ago(at_ms: int | None, now: datetime) -> str:
    """ "just now", "12 min ago", "3 h ago", "2 d ago" (or "never")."""
    if at_ms is None:
        return "never"
    minutes = max(0, int(now.timestamp() * 1000 - at_ms) // 60_000)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} d ago"


class SyncChip:
    """The chip control plus its subscriptions; ``close()`` when the session ends."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.button = ft.OutlinedButton(
            style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=8)),
            on_click=self._open,
        )
        self._unsubscribe: Callable[[], None] | None = None
        self._ticking = False
        self.render()

    def status(self) -> SyncStatus | None:
        return self.ctx.sync.status if self.ctx.sync is not None else None

    def render(self) -> None:
        label, icon = chip_label(self.status(), self.ctx.now())
        self.button.content = label
        self.button.icon = icon

    def start(self) -> None:
        """Follow the engine's status and the clock (call on the loop, chip on the page)."""
        if self.ctx.sync is None or self._unsubscribe is not None:
            return  # no engine: the label never changes
        self._unsubscribe = self.ctx.sync.subscribe(self._on_status)
        self._ticking = True
        asyncio.get_running_loop().create_task(self._tick(), name="crewkit-chip-clock")

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._ticking = False

    def _on_status(self, _: SyncStatus) -> None:
        self._refresh()

    def _refresh(self) -> None:
        self.render()
        try:
            self.button.update()
        except RuntimeError:  # the session is gone
            self.close()

    async def _tick(self) -> None:
        while self._ticking:
            await asyncio.sleep(TICK_S)
            if self._ticking:
                self._refresh()

    def _open(self, _: ft.Event[ft.OutlinedButton]) -> None:
        open_sync_details(self.ctx)
