"""Invites against a guesser: failed pairings are throttled per address, invites expire,
and the record of applied ops is pruned without making a replay unsafe."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest

from app.hlc import wall_ms
from sync.server.auth import new_invite_code, secret_hash
from sync.server.limits import Limits
from sync.server.storage import PairingError

from .conftest import Backend, Paired, PairFn, Server

DAY_MS = 24 * 3600 * 1000


class Clock:
    def __init__(self, now_ms: int) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms


async def _pair(client: httpx.AsyncClient, code: str, device_id: str) -> httpx.Response:
    return await client.post("/v1/devices",
                             json={"invite": code, "device_id": device_id, "name": "phone"})


def applied_ops(backend: Backend, device_id: str) -> int:
    """How many op ids the server keeps for a device (read from its database)."""
    if backend.name == "sqlite":
        conn: Any = sqlite3.connect(backend.data_dir / "crewkit.sqlite3")
        query = "SELECT count(*) FROM applied_ops WHERE device_id = ?"
    else:
        conn = psycopg.connect(backend.database_url)
        query = "SELECT count(*) FROM applied_ops WHERE device_id = %s"
    with conn:
        return int(conn.execute(query, (device_id,)).fetchone()[0])


async def test_failed_pairings_are_throttled_per_address(
    make_server: Callable[..., Server],
) -> None:
    clock = Clock(wall_ms())
    server = make_server(Limits(pairing_failures=3, pairing_failure_ms=10_000), clock)
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), clock())
    async with server.client() as guesser:
        for n in range(3):
            assert (await _pair(guesser, f"WRONG-{n}", "g")).status_code == 403
        throttled = await _pair(guesser, code, "phone")  # even the right code waits
        assert throttled.status_code == 429, throttled.text
        assert throttled.json()["error"] == "too_many_attempts"
        assert throttled.headers["retry-after"] == "10"
        clock.now_ms += 9_000
        assert (await _pair(guesser, code, "phone")).headers["retry-after"] == "1"
        clock.now_ms += 1_000  # one more failure allowed per 10 s
        assert (await _pair(guesser, "WRONG-3", "g")).status_code == 403
        assert (await _pair(guesser, code, "phone")).status_code == 429
        clock.now_ms += 10_000
        assert (await _pair(guesser, code, "phone")).status_code == 200
    # Another address is not held back by this one's failures.
    other = httpx.ASGITransport(app=server.app, client=("192.0.2.7", 5000))
    async with httpx.AsyncClient(transport=other, base_url="http://crewkit.test") as client:
        assert (await _pair(client, "WRONG-9", "g")).status_code == 403


async def test_invites_expire(make_server: Callable[..., Server]) -> None:
    clock = Clock(wall_ms())
    server = make_server(clock=clock)
    default, short = new_invite_code(), new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(default), clock())
    server.storage.create_invite("Film", "crew", secret_hash(short), clock(),
                                 expires_ms=clock() + 3600_000)
    clock.now_ms += 3600_000
    async with server.client() as client:
        expired = await _pair(client, short, "phone1")
        assert expired.status_code == 403 and expired.json()["error"] == "invite_expired"
        assert "new invite" in expired.json()["message"]
        clock.now_ms += 7 * DAY_MS - 3600_000 - 1
        assert (await _pair(client, default, "phone2")).status_code == 200
    late = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(late), clock())
    clock.now_ms += 7 * DAY_MS
    async with server.client() as client:
        assert (await _pair(client, late, "phone3")).json()["error"] == "invite_expired"


async def test_applied_ops_are_pruned_and_a_replay_stays_harmless(
    make_server: Callable[..., Server], pair: PairFn, backend: Backend
) -> None:
    clock = Clock(wall_ms())
    server = make_server(Limits(applied_ops_days=30), clock)
    device = await pair()
    async with server.client(device.token) as client:
        phone = Paired(device.device_id, device.token, device.team_id, device.role, client)
        old = phone.op("notes", "n1", title="first")
        await phone.push(old)
        newer = phone.op("notes", "n1", title="second")
        await phone.push(newer)
        assert applied_ops(backend, device.device_id) == 2
        clock.now_ms += 31 * DAY_MS
        later = phone.op("notes", "n2", title="a month on")
        await phone.push(later)  # pushes prune what is older than 30 days
        assert applied_ops(backend, device.device_id) == 1
        cursor = (await phone.pull())["cursor"]
        # Both pruned ops replayed: acked again, and nothing changes.
        assert (await phone.push(old, newer))["acked"] == [old["op_id"], newer["op_id"]]
        after = await phone.pull()
        assert after["cursor"] == cursor
        assert {c["id"]: c["fields"]["title"] for c in after["changes"]} == {
            "n1": "second", "n2": "a month on"}


FIRST_RELEASE_TABLES = (
    "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, seq BIGINT NOT NULL,"
    " created_ms BIGINT NOT NULL)",
    "CREATE TABLE invites (code_hash TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES"
    " teams(id), role TEXT NOT NULL, created_ms BIGINT NOT NULL, used_by TEXT)",
    "CREATE TABLE applied_ops (device_id TEXT NOT NULL, op_id TEXT NOT NULL,"
    " PRIMARY KEY (device_id, op_id))",
    "INSERT INTO teams VALUES ('team-old', 'Film', 0, 0)",
)


def test_a_first_release_database_gets_expiring_invites(backend: Backend) -> None:
    if backend.name == "sqlite":
        backend.data_dir.mkdir(parents=True)
        conn: Any = sqlite3.connect(backend.data_dir / "crewkit.sqlite3")
    else:
        conn = psycopg.connect(backend.database_url)
    now = wall_ms()
    fresh, stale = new_invite_code(), new_invite_code()
    with conn:
        for statement in FIRST_RELEASE_TABLES:
            conn.execute(statement)
        for code, created in ((fresh, now), (stale, now - 8 * DAY_MS)):
            conn.execute(f"INSERT INTO invites VALUES ('{secret_hash(code)}', 'team-old',"
                         f" 'crew', {created}, NULL)")
        conn.execute("INSERT INTO applied_ops VALUES ('old-phone', 'op1')")
    conn.close()
    storage = backend.open()
    assert storage.pair(secret_hash(fresh), "p1", "phone", "t1", now).team_id == "team-old"
    with pytest.raises(PairingError, match="expired"):
        storage.pair(secret_hash(stale), "p2", "phone", "t2", now)
    assert storage.prune_applied_ops(now) == 1  # kept from before: no age, pruned first
