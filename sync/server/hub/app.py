"""``create_hub_app``: the sync endpoint of a base-camp hub, with its relay.

Served (``crewkit-server hub``), the app runs ``Relay.run_forever`` for as long as it
serves. In process under ``httpx.ASGITransport`` nothing runs by itself: a test drives
the relay with ``app.state.relay.run_once()``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from app.hlc import wall_ms

from ..app import create_app
from ..limits import DEFAULT_LIMITS, Limits
from ..storage import Storage
from .relay import Relay
from .side import HubSide


def create_hub_app(
    storage: Storage,
    blob_dir: Path,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], int] = wall_ms,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The hub's ASGI app over ``storage`` (linked with ``link_upstream`` or
    ``start_hub_team``); ``app.state.relay`` is its ``Relay``, whose upstream requests
    go over ``transport`` (default real HTTP)."""
    side = HubSide()
    app = create_app(storage, blob_dir, limits, clock, hub=side)
    relay = Relay(app.state.context, transport)
    app.state.relay = relay

    @contextlib.asynccontextmanager
    async def relaying(_: FastAPI) -> AsyncIterator[None]:
        running = asyncio.ensure_future(relay.run_forever())
        try:
            yield
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running

    app.router.lifespan_context = relaying
    return app
