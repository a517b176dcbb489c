"""What every screen receives when it builds its content.

Screens get one small object instead of reaching for globals, so a view test can build
any screen against a real store by constructing an ``AppContext`` itself. Screens call
the services in ``app/`` with ``ctx.store`` (and ``ctx.blobs`` for photos); they never
touch TinyDB or httpx.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import flet as ft

from app.blobs import BlobStore
from app.clock import utc_now
from app.device_settings import remember_production, remembered_production
from app.productions import get_production, list_productions
from app.store import Store

T = TypeVar("T")


@dataclass
class AppContext:
    """The page, the device's data and services, and which production is open."""

    page: ft.Page
    data_dir: Path
    store: Store
    blobs: BlobStore
    production_id: str | None = None
    sync: Any = None  # sync.SyncEngine once the device is paired; None before
    now: Callable[[], datetime] = utc_now
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_page(cls, page: ft.Page, store: Store, **options: Any) -> AppContext:
        """A session's context over the process's one store (a browser tab is a session;
        every session shares the store, which must be opened once per process)."""
        ctx = cls(page=page, data_dir=store.directory, store=store,
                  blobs=BlobStore(store.directory / "blobs"), **options)
        ctx.production_id = _production_to_open(store)
        return ctx

    def open_production(self, production_id: str) -> None:
        """Make ``production_id`` the open production, and reopen it on the next start."""
        self.production_id = production_id
        remember_production(self.store, production_id)

    def open_arrived_production(self) -> bool:
        """With no production open, open the one to open now, if any has arrived (the
        first sync after pairing brings the team's productions); True if one was."""
        if self.production_id is not None:
            return False
        arrived = _production_to_open(self.store)
        if arrived is None:
            return False
        self.open_production(arrived)
        return True

    def production(self) -> dict[str, Any] | None:
        """The open production's record, or None on a device with no production yet."""
        return get_production(self.store, self.production_id) if self.production_id else None

    async def off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work (images, PDFs, imports) in a thread, not on Flet's loop."""
        return await asyncio.to_thread(fn, *args)


def _production_to_open(store: Store) -> str | None:
    """The production this device had open if it is still there, else the next or
    current one (the first listed), else None on a device with no production."""
    ids = [p["id"] for p in list_productions(store)]
    remembered = remembered_production(store)
    if remembered in ids:
        return remembered
    return ids[0] if ids else None
