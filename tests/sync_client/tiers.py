"""A device that syncs with two endpoints: the world's server and a second server app in
process that stands in for a base-camp hub of the same team.

The stand-in is a real ``create_app`` over its own storage, holding the device the way a
hub does (``register_devices``, same token hash); its health answer carries the ``hub``
block a hub's does, naming the upstream team. ``Router`` sends each request by host;
``FakeFinder`` is the engine's hub finder with hubs a test shows and hides.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from server.conftest import Backend

from app.blobs import BlobStore
from app.hlc import wall_ms
from app.store import Store
from sync import SyncEngine, SyncSettings, current_pairing
from sync.discovery import Hub
from sync.schema import SCHEMA_VERSION
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.storage import Storage
from sync.server.storage.model import TeamDevice
from sync.wire import PROTOCOL_VERSION

from .conftest import SERVER_URL, Chooser, FaultyNetwork, World

HUB_HOST, HUB_PORT = "127.0.0.9", 8765
HUB_URL = f"http://{HUB_HOST}:{HUB_PORT}"


class HubStandIn(FaultyNetwork):
    """Requests to the stand-in hub's app, with the world's faults available."""

    def __init__(self, world: World, root: Path, choose: Chooser | None = None) -> None:
        super().__init__(world, choose)
        self.storage: Storage = Backend("sqlite", root / "hub-data", "").open()
        self.hub_app = create_app(self.storage, root / "hub-blobs")
        self.name = "Base camp"
        self.team_id = ""  # the upstream team the hub serves, set when a device joins it
        self.own_team = self.storage.create_invite("Film", "coordinator",
                                                   secret_hash(new_invite_code()), wall_ms())
        self.relay_waiting = 0
        #: Upstream rejections every pull answer reports (a hub sends each once; a
        #: repeat is what a lost answer looks like to the device).
        self.rejections: list[dict[str, Any]] = []

    def app(self) -> Any:
        return self.hub_app

    def learn(self, store: Store, name: str = "phone") -> None:
        """Copy the paired device in, as a hub learns its team's devices upstream."""
        pairing = current_pairing(store)
        assert pairing is not None
        self.team_id = pairing.team_id
        refusals = self.storage.register_devices(self.own_team, [TeamDevice(
            pairing.device_id, name, pairing.role, secret_hash(pairing.token), wall_ms())])
        assert refusals == [None]

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        response = await super()._forward(request)
        path = request.url.path
        if path not in ("/v1/health", "/v1/pull") or response.status_code != 200:
            return response
        body = json.loads(response.content)
        if path == "/v1/health":
            body["hub"] = {"team_id": self.team_id, "name": self.name, "upstream": "linked",
                           "relay_waiting": self.relay_waiting, "last_upstream_ms": None}
        elif self.rejections:
            body["rejected"] = self.rejections
        return httpx.Response(200, json=body, request=request)

    def close(self) -> None:
        self.storage.close()


class Router(httpx.AsyncBaseTransport):
    """Each request to the transport for its host; unknown hosts do not answer."""

    def __init__(self, routes: dict[str, httpx.AsyncBaseTransport]) -> None:
        self.routes = routes
        self.down: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.down or host not in self.routes:
            raise httpx.ConnectError(f"no route to {host}", request=request)
        return await self.routes[host].handle_async_request(request)


@dataclass
class FakeFinder:
    """A hub finder whose hubs the test sets; ``available`` as mDNS would report."""

    shown: list[Hub] = field(default_factory=list)
    available: bool = True
    started: int = 0
    closed: int = 0
    on_change: Callable[[], None] | None = None

    def hubs(self, team_id: str) -> Sequence[Hub]:
        return [hub for hub in self.shown if hub.team_id == team_id]

    async def start(self, on_change: Callable[[], None]) -> None:
        self.started += 1
        self.on_change = on_change

    async def close(self) -> None:
        self.closed += 1

    def show(self, *hubs: Hub) -> None:
        self.shown = list(hubs)
        if self.on_change is not None:
            self.on_change()


def hub_record(team_id: str, name: str = "Base camp", host: str = HUB_HOST,
               port: int = HUB_PORT) -> Hub:
    """What mDNS reports of a hub of ``team_id`` at ``host``:``port``."""
    return Hub(team_id, name, PROTOCOL_VERSION, SCHEMA_VERSION, (host,), port)


@dataclass
class TwoTierDevice:
    store: Store
    engine: SyncEngine
    router: Router
    server: FaultyNetwork
    hub: HubStandIn
    finder: FakeFinder


async def two_tier_device(world: World, root: Path, *, role: str = "coordinator",
                          settings: SyncSettings | None = None,
                          monotonic: Callable[[], float] = time.monotonic) -> TwoTierDevice:
    """A device paired with the world's server, known to a stand-in hub of its team
    (not shown by the finder yet)."""
    server, hub = world.network(), HubStandIn(world, root)
    router = Router({httpx.URL(SERVER_URL).host: server, HUB_HOST: hub})
    finder = FakeFinder()
    store = Store.open(root / "two-tier-device")
    engine = SyncEngine(store, transport=router, blobs=BlobStore(root / "two-tier-blobs"),
                        settings=settings, hub_finder=finder, monotonic=monotonic)
    await engine.pair(world.join_link(role=role), name="phone")
    hub.learn(store)
    return TwoTierDevice(store, engine, router, server, hub, finder)


async def close_two_tier(device: TwoTierDevice) -> None:
    await device.engine.stop()
    device.store.close()
    device.hub.close()
