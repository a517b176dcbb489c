"""Server test fixtures: every storage-backed test runs on SQLite and on a real PostgreSQL.

PostgreSQL is the session's one throwaway server (``postgres_server`` in
``tests/conftest.py``, started by ``bench.postgres``), with one fresh database per test.
A machine without PostgreSQL fails loudly rather than skipping: a skipped PostgreSQL run
would let the second backend rot unnoticed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from app.hlc import Stamp, wall_ms
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.limits import DEFAULT_LIMITS, Limits
from sync.server.storage import Storage, open_storage

_database_numbers = itertools.count()


@dataclass
class Backend:
    """One storage backend for one test: open it (again, after a 'restart') at will."""

    name: str
    data_dir: Path
    database_url: str  # "" for SQLite
    opened: list[Storage] = field(default_factory=list)

    def open(self) -> Storage:
        storage = open_storage(self.data_dir, self.database_url)
        self.opened.append(storage)
        return storage

    def env(self) -> dict[str, str]:
        """Environment for a ``crewkit-server`` subprocess using this backend."""
        env = {k: v for k, v in os.environ.items() if k != "CREWKIT_DATABASE_URL"}
        return env | ({"CREWKIT_DATABASE_URL": self.database_url} if self.database_url else {})


@contextlib.contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A new database on the session's PostgreSQL server, dropped afterwards: its URL."""
    name = f"crewkit_test_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        # FILE_COPY: with fsync off it is several times faster than the WAL_LOG default.
        admin.execute(f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _backend(name: str, data_dir: Path, url: str) -> Iterator[Backend]:
    found = Backend(name, data_dir, url)
    yield found
    for storage in found.opened:
        storage.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield from _backend("sqlite", tmp_path / "data", "")
        return
    with postgres_database(request.getfixturevalue("postgres_server")) as url:
        yield from _backend("postgres", tmp_path / "data", url)


@pytest.fixture
def postgres_backend(postgres_server: str, tmp_path: Path) -> Iterator[Backend]:
    """PostgreSQL alone, for what only a database server can do (restart, refuse)."""
    with postgres_database(postgres_server) as url:
        yield from _backend("postgres", tmp_path / "data", url)


@pytest.fixture
def storage(backend: Backend) -> Storage:
    return backend.open()


@dataclass
class Server:
    """The app in process, and a way to talk to it as a given device."""

    storage: Storage
    app: Any
    blob_dir: Path

    def client(self, token: str | None = None, raise_errors: bool = True) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=raise_errors)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(transport=transport, base_url="http://crewkit.test",
                                 headers=headers)


@pytest.fixture
def make_server(storage: Storage, tmp_path: Path) -> Callable[..., Server]:
    def make(limits: Limits = DEFAULT_LIMITS, clock: Callable[[], int] = wall_ms) -> Server:
        blob_dir = tmp_path / "blobs"
        return Server(storage, create_app(storage, blob_dir, limits, clock), blob_dir)

    return make


@pytest.fixture
def server(make_server: Callable[..., Server]) -> Server:
    return make_server()


@dataclass
class Paired:
    device_id: str
    token: str
    team_id: str
    role: str
    client: httpx.AsyncClient
    counter: itertools.count = field(default_factory=itertools.count)

    def hlc(self, ms: int | None = None) -> str:
        """A stamp by this device: ``ms`` pins the physical time for LWW tests."""
        return str(Stamp(wall_ms() if ms is None else ms, next(self.counter), self.device_id))

    def op(self, coll: str, record_id: str, hlc: str | None = None, delete: bool = False,
           **values: Any) -> dict[str, Any]:
        op_id = f"{self.device_id}-op{next(self.counter)}"
        return {"op_id": op_id, "coll": coll, "id": record_id, "hlc": hlc or self.hlc(),
                "set": values, "delete": delete}

    async def push(self, *ops: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/push", json={"device_id": self.device_id, "schema": 1, "ops": list(ops)})
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def pull(self, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
        response = await self.client.get("/v1/pull", params={"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.text
        return dict(response.json())


PairFn = Callable[..., Awaitable[Paired]]
_device_numbers = itertools.count()


@pytest.fixture
async def pair(server: Server) -> AsyncIterator[PairFn]:
    """Pair a new device into a team (created on first use) through ``POST /v1/devices``."""
    clients: list[httpx.AsyncClient] = []

    async def pair_device(team: str = "Film", role: str = "coordinator") -> Paired:
        code = new_invite_code()
        server.storage.create_invite(team, role, secret_hash(code), wall_ms())
        device_id = f"dev{next(_device_numbers)}"
        async with server.client() as anonymous:
            response = await anonymous.post(
                "/v1/devices", json={"invite": code, "device_id": device_id, "name": device_id})
        assert response.status_code == 200, response.text
        body = response.json()
        client = server.client(body["token"])
        clients.append(client)
        return Paired(device_id, body["token"], body["team_id"], body["role"], client)

    yield pair_device
    for client in clients:
        await client.aclose()
