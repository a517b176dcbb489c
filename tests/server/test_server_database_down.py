"""PostgreSQL going away under a running server: stale connections are replaced and the
request retried, so clients see no error; while it is down, health and every request say
so with a 503 (never a 500), and service resumes by itself when it is back."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from bench.postgres import find_bin_dir

from .conftest import Backend, Paired, PairFn, Server


def _admin(backend: Backend) -> tuple[psycopg.Connection, str]:
    parts = urlsplit(backend.database_url)
    admin = psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)
    return admin, parts.path.lstrip("/")


def drop_connections(backend: Backend) -> int:
    """End every session on the test database, as a restart of PostgreSQL does."""
    admin, name = _admin(backend)
    with admin:
        rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        return len(rows.fetchall())


def allow_connections(backend: Backend, allowed: bool) -> None:
    admin, name = _admin(backend)
    with admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {str(allowed).lower()}")


@pytest.fixture
def backend(postgres_backend: Backend) -> Backend:
    """Only PostgreSQL: SQLite is a file in the server's own process, never 'down'."""
    return postgres_backend


async def _busy(device: Paired, requests: int) -> None:
    """Many requests at once, so the server holds several pooled connections."""
    answers = await asyncio.gather(*[device.client.get("/v1/pull") for _ in range(requests)])
    assert {a.status_code for a in answers} == {200}


async def test_stale_connections_are_replaced_without_an_error(
    postgres_backend: Backend, server: Server, pair: PairFn
) -> None:
    device = await pair()
    await device.push(device.op("notes", "n1", title="before"))
    await _busy(device, 8)
    assert drop_connections(postgres_backend) >= 1
    async with server.client(device.token, raise_errors=False) as client:
        answers = [await client.get("/v1/pull") for _ in range(15)]
        pushes = [await client.post("/v1/push", json={
            "device_id": device.device_id, "schema": 1,
            "ops": [device.op("notes", f"m{n}", title="after")]}) for n in range(15)]
    assert [a.status_code for a in answers + pushes] == [200] * 30
    assert len((await device.pull())["changes"]) == 16


async def test_health_says_when_the_database_is_down(
    postgres_backend: Backend, server: Server, pair: PairFn
) -> None:
    device = await pair()
    server.storage.reconnect_wait_s = 0.5  # type: ignore[attr-defined]
    async with server.client(device.token, raise_errors=False) as client:
        assert (await client.get("/v1/health")).status_code == 200
        allow_connections(postgres_backend, False)
        drop_connections(postgres_backend)
        try:
            health = await client.get("/v1/health")
            assert health.status_code == 503, health.text
            assert health.json()["error"] == "database_unavailable"
            pull = await client.get("/v1/pull")
            assert pull.status_code == 503 and pull.json()["error"] == "database_unavailable"
            assert int(pull.headers["retry-after"]) > 0
        finally:
            allow_connections(postgres_backend, True)
        assert (await client.get("/v1/health")).status_code == 200
        assert (await client.get("/v1/pull")).status_code == 200


def restart_postgres(backend: Backend) -> None:
    """Restart the PostgreSQL server itself (fast shutdown: every session is ended)."""
    admin, _ = _admin(backend)
    with admin:
        data = admin.execute("SHOW data_directory").fetchone()
    assert data is not None
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    log = Path(data[0]).parent / "log"  # where bench.postgres started it logging
    subprocess.run([*as_owner, str(find_bin_dir() / "pg_ctl"), "-D", data[0], "-l", str(log),
                    "-m", "fast", "-w", "restart"], check=True, capture_output=True, timeout=60)


async def test_a_restart_under_writers_costs_them_nothing(
    postgres_backend: Backend, server: Server, pair: PairFn
) -> None:
    writers = [await pair() for _ in range(4)]
    restarted = asyncio.Event()
    answers: list[Any] = []

    async def write(device: Paired, number: int) -> None:
        async with server.client(device.token, raise_errors=False) as client:
            for batch in range(12):
                if batch == 4 and number == 0:
                    await asyncio.to_thread(restart_postgres, postgres_backend)
                    restarted.set()
                ops = [device.op("notes", f"w{number}-{batch}-{i}", title="x") for i in range(20)]
                answers.append(await client.post("/v1/push", json={
                    "device_id": device.device_id, "schema": 1, "ops": ops}))
                await asyncio.sleep(0.05)

    await asyncio.gather(*[write(device, n) for n, device in enumerate(writers)])
    assert restarted.is_set()
    assert [a.status_code for a in answers] == [200] * 48, [a.text for a in answers]
    assert sum(len(a.json()["acked"]) for a in answers) == 48 * 20
    assert len((await writers[0].pull(limit=5000))["changes"]) == 48 * 20
