"""Hearing of other devices' changes between rounds, by long-poll (``GET /v1/pull?wait=S``).

While a device is synced it keeps one waiting pull open; the server answers it as soon as
the team has a change newer than the device's cursor, and the engine then runs its usual
round, which pulls and merges. The waiting pull asks for one change only: it is a signal,
and the round remains the one path by which changes reach the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ._api import SyncApi, SyncError, Unauthorized, Unreachable


async def _forever() -> None:
    await asyncio.Event().wait()


async def await_news(api: SyncApi, cursor: Callable[[], int], wait_s: float) -> None:
    """Return once the server has a change newer than ``cursor()``, or once it cannot be
    reached or refuses the token (the round that follows reports it). Otherwise wait on:
    long-poll after long-poll, or, where the server refuses to wait or answers without
    waiting (one that predates long-polls), until the caller gives up."""
    loop = asyncio.get_running_loop()
    while True:
        known = cursor()
        started = loop.time()
        try:
            page = await api.pull(known, 1, wait_s=wait_s)
        except (Unreachable, Unauthorized):
            return
        except SyncError:  # busy, or refusing to wait: the caller's poll interval rules
            await _forever()
        if page["cursor"] > known or page["changes"]:
            return
        if loop.time() - started < wait_s / 2:
            await _forever()
