"""What a hub's routes and its relay share: the wake-up a committed push (or a pairing)
gives the relay, and the hub's state as ``GET /v1/health`` and ``crewkit-server status``
show it."""

from __future__ import annotations

import asyncio
from typing import Any

from ..storage import Storage


def hub_status(storage: Storage) -> dict[str, Any] | None:
    """The ``hub`` block of the health answer; None if this server is no hub."""
    link = storage.hub_link()
    if link is None:
        return None
    upstream = "none" if link.upstream_url is None else link.state
    return {"team_id": link.team_id, "name": link.team_name, "upstream": upstream,
            "relay_waiting": storage.relay_waiting(link.team_id),
            "last_upstream_ms": link.last_upstream_ms}


class HubSide:
    """Made before the app; its relay waits on ``pushed`` from any thread or loop."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def event(self) -> asyncio.Event:
        """The event ``pushed`` sets, bound to the running loop (the relay's)."""
        loop = asyncio.get_running_loop()
        if self._event is None or self._loop is not loop:
            self._event, self._loop = asyncio.Event(), loop
        return self._event

    def status(self, storage: Storage) -> dict[str, Any] | None:
        return hub_status(storage)

    def paired(self) -> None:
        """A device paired here: the relay registers it upstream at once, so the company
        server knows it (and can revoke it) before its first op."""
        self.pushed()

    def pushed(self) -> None:
        """A device push committed: ops may wait in the relay queue."""
        event, loop = self._event, self._loop
        if event is None or loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)
