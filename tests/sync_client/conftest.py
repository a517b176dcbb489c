"""A sync server in process and devices that sync with it, for the client's tests.

``world`` is one real server app (over SQLite or PostgreSQL) that can be restarted over
the same database; ``world.device()`` is a real Store in a temp directory, paired with
the server, with a sync engine whose transport can be told to misbehave.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from server.conftest import Backend

from app.blobs import BlobStore
from app.hlc import wall_ms
from app.store import Store
from sync import SyncEngine, SyncSettings
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.limits import DEFAULT_LIMITS, Limits
from sync.server.storage import Storage

SERVER_URL = "http://crewkit.test"
#: What a transport does with one request: pass it, or fail in one of the ways a phone sees.
FAULTS = ("pass", "offline", "busy", "drop_after_commit", "duplicate")

Chooser = Callable[[httpx.Request], str]


class FaultyNetwork(httpx.AsyncBaseTransport):
    """Sends each request to the world's current app, unless ``choose`` picks a fault.

    ``drop_after_commit`` lets the server handle the request and then loses the answer:
    the case where a push is durable on the server but the device never hears so.
    Every push the server answered is recorded in ``answered_pushes``.
    """

    def __init__(self, world: World, choose: Chooser | None = None) -> None:
        self.world = world
        self.choose: Chooser = choose or (lambda request: "pass")
        self.answered_pushes: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.faults: Counter[tuple[str, str]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.choose(request)
        self.faults[(fault, request.url.path)] += 1
        if fault == "offline":
            raise httpx.ConnectError("no signal", request=request)
        if fault == "busy":
            return httpx.Response(503, json={"error": "internal_error", "message": "busy"})
        response = await self._forward(request)
        if fault == "duplicate":
            response = await self._forward(request)
        if fault == "drop_after_commit":
            raise httpx.ReadError("connection lost", request=request)
        return response

    def app(self) -> Any:
        """The app requests go to (the world's current one)."""
        return self.world.app

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app())
        response = await transport.handle_async_request(request)
        body = await response.aread()
        if request.url.path == "/v1/push" and response.status_code == 200:
            self.answered_pushes.append((json.loads(request.content), json.loads(body)))
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              request=request)


@dataclass
class Device:
    store: Store
    engine: SyncEngine
    network: FaultyNetwork


@dataclass
class World:
    backend: Backend
    root: Path
    limits: Limits = DEFAULT_LIMITS
    clock: Callable[[], int] = wall_ms
    storage: Storage = field(init=False)
    app: Any = field(init=False)
    devices: list[Device] = field(default_factory=list)
    _numbers: itertools.count = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        self.storage = self.backend.open()
        self.app = self._app()

    def _app(self) -> Any:
        return create_app(self.storage, self.root / "server-blobs", self.limits, self.clock)

    def restart(self) -> None:
        """A new app over the same database, as after a server process restart."""
        self.storage.close()
        self.storage = self.backend.open()
        self.app = self._app()

    def join_link(self, team: str = "Film", role: str = "coordinator") -> str:
        code = new_invite_code()
        self.storage.create_invite(team, role, secret_hash(code), wall_ms())
        return f"crewkit://join?server={SERVER_URL}&code={code}"

    def network(self, choose: Chooser | None = None) -> FaultyNetwork:
        return FaultyNetwork(self, choose)

    def device(self, settings: SyncSettings | None = None) -> Device:
        directory = self.root / f"device{next(self._numbers)}"
        store = Store.open(directory)
        network = self.network()
        engine = SyncEngine(store, transport=network, blobs=BlobStore(directory / "blobs"),
                            settings=settings)
        device = Device(store, engine, network)
        self.devices.append(device)
        return device

    async def paired_device(self, team: str = "Film", role: str = "coordinator",
                            settings: SyncSettings | None = None) -> Device:
        device = self.device(settings)
        await device.engine.pair(self.join_link(team, role), name="test phone")
        return device


async def _world(backend: Backend, root: Path) -> AsyncIterator[World]:
    made = World(backend, root)
    yield made
    for device in made.devices:
        await device.engine.stop()
        device.store.close()
    made.storage.close()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """A world on SQLite: most client behaviour does not depend on the server's database."""
    async for made in _world(Backend("sqlite", tmp_path / "data", ""), tmp_path):
        yield made


@pytest.fixture
async def world_on_each_backend(backend: Backend, tmp_path: Path) -> AsyncIterator[World]:
    """A world on SQLite, then on PostgreSQL."""
    async for made in _world(backend, tmp_path):
        yield made
