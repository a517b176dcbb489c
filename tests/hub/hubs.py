"""An upstream server and base-camp hubs in one process, and devices paired at either."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from server.conftest import Paired

from app.hlc import wall_ms
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.cli import join_uri
from sync.server.hub import Relay, create_hub_app
from sync.server.hub.joining import join_upstream
from sync.server.storage import Storage, open_storage

UPSTREAM_URL = "http://upstream.test"
_numbers = itertools.count()


@dataclass
class Node:
    """A server (upstream, or a hub) in process: its storage, app and data directory."""

    storage: Storage
    app: Any
    data: Path
    url: str

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                 base_url=self.url, headers=headers)

    @property
    def relay(self) -> Relay:
        relay: Relay = self.app.state.relay
        return relay

    def invite(self, team: str = "Film", role: str = "crew") -> str:
        code = new_invite_code()
        self.storage.create_invite(team, role, secret_hash(code), wall_ms())
        return code

    async def pair(self, team: str = "Film", role: str = "crew") -> Paired:
        """A device paired here with a new invite of ``role``."""
        device_id = f"phone{next(_numbers)}"
        async with self.client() as anonymous:
            response = await anonymous.post("/v1/devices", json={
                "invite": self.invite(team, role), "device_id": device_id, "name": device_id})
        assert response.status_code == 200, response.text
        body = response.json()
        return Paired(device_id, body["token"], body["team_id"], body["role"],
                      self.client(body["token"]))

    async def health(self) -> dict[str, Any]:
        async with self.client() as anonymous:
            return dict((await anonymous.get("/v1/health")).json())


def upstream_node(data: Path, clock: Callable[[], int] = wall_ms) -> Node:
    storage = open_storage(data, "")
    return Node(storage, create_app(storage, data / "blobs", clock=clock), data, UPSTREAM_URL)


def hub_node(data: Path, transport: httpx.AsyncBaseTransport,
             clock: Callable[[], int] = wall_ms) -> Node:
    """A hub over ``data`` (opened again: a restart), its upstream over ``transport``."""
    storage = open_storage(data, "")
    app = create_hub_app(storage, data / "blobs", clock=clock, transport=transport)
    return Node(storage, app, data, f"http://hub{next(_numbers)}.test")


async def join(hub: Node, upstream: Node, team: str = "Film", role: str = "hub") -> None:
    """Pair ``hub`` upstream with a new invite, as ``crewkit-server hub --join`` does."""
    link = join_uri(upstream.url, upstream.invite(team, role))
    await join_upstream(hub.storage, link, "Base camp", wall_ms(), hub.relay.transport)


def relayed_to(upstream: Node) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=upstream.app)


class Flaky(httpx.AsyncBaseTransport):
    """A link upstream that loses the answers of requests to ``lose`` paths (each loss
    once), after upstream handled them, or is down altogether."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lose: list[str] = []
        self.down = False
        self.requests: list[httpx.Request] = []
        #: Run once before the first request to a path (what happens meanwhile at the hub).
        self.before: dict[str, Callable[[], Awaitable[object]]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("no route to upstream", request=request)
        self.requests.append(request)
        meanwhile = self.before.pop(request.url.path, None)
        if meanwhile is not None:
            await meanwhile()
        response = await self.inner.handle_async_request(request)
        if request.url.path in self.lose:
            self.lose.remove(request.url.path)
            await response.aread()
            raise httpx.ReadError("connection lost before the answer", request=request)
        return response
