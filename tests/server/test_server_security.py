"""Who may do what: tokens, teams, roles, hostile input, and what the database holds."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from app.hlc import wall_ms
from sync.server.auth import new_invite_code, secret_hash
from sync.server.limits import Limits

from .conftest import Backend, Paired, PairFn, Server

BLOB = "/v1/blobs/" + "a" * 64


def body(device: Paired, *ops: dict[str, Any]) -> dict[str, Any]:
    return {"device_id": device.device_id, "schema": 1, "ops": list(ops)}


@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic abc", "Bearer "])
async def test_requests_without_a_valid_token_get_401(
    server: Server, pair: PairFn, authorization: str | None
) -> None:
    device = await pair()
    headers = {"Authorization": authorization} if authorization else {}
    async with server.client() as client:
        for method, path, payload in [("POST", "/v1/push", body(device)),
                                      ("GET", "/v1/pull", None), ("GET", BLOB, None),
                                      ("HEAD", BLOB, None), ("PUT", BLOB, None)]:
            response = await client.request(method, path, json=payload, headers=headers)
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"] == "Bearer"
            if method != "HEAD":
                assert response.json()["error"] == "unauthorized"


async def test_a_revoked_token_gets_401(server: Server, pair: PairFn) -> None:
    device = await pair()
    assert (await device.client.get("/v1/pull")).status_code == 200
    assert server.storage.revoke(device.device_id, wall_ms())
    assert not server.storage.revoke(device.device_id, wall_ms())
    assert (await device.client.get("/v1/pull")).status_code == 401
    response = await device.client.post("/v1/push", json=body(device))
    assert response.status_code == 401


async def test_the_body_must_name_the_tokens_device(pair: PairFn) -> None:
    device, other = await pair(), await pair()
    response = await device.client.post("/v1/push", json=body(other, other.op("notes", "n",
                                                                               title="x")))
    assert response.status_code == 403 and response.json()["error"] == "device_mismatch"


async def test_another_team_is_invisible_and_unwritable(pair: PairFn) -> None:
    film, stage = await pair("Film"), await pair("Stage")
    await film.push(film.op("equipment", "cam-1", name="Film camera"))
    assert (await stage.pull())["changes"] == []
    await stage.push(stage.op("equipment", "cam-1", name="Stage camera"))
    [film_cam] = (await film.pull())["changes"]
    [stage_cam] = (await stage.pull())["changes"]
    assert film_cam["fields"]["name"] == "Film camera"
    assert stage_cam["fields"]["name"] == "Stage camera"


@pytest.mark.parametrize(("content", "code"), [
    (b"{not json", "malformed_json"),
    (b"", "invalid_request"),
    (b"[]", "invalid_request"),
    (b'{"device_id": 7, "schema": 1, "ops": []}', "invalid_request"),
    (b'{"device_id": "DEV", "schema": "1", "ops": []}', "invalid_request"),
    (b'{"device_id": "DEV", "schema": 1, "ops": {}}', "invalid_request"),
    (b'{"device_id": "DEV", "schema": 1}', "invalid_request"),
    (b'{"device_id": "DEV", "schema": 3, "ops": []}', "unsupported_schema"),
    (b'{"device_id": "DEV", "schema": 0, "ops": []}', "unsupported_schema"),
    (b'{"device_id": "DEV", "schema": 1, "ops": [], "x": 1}', "invalid_request"),
])
async def test_malformed_push_bodies_get_400(pair: PairFn, content: bytes, code: str) -> None:
    device = await pair()
    response = await device.client.post(
        "/v1/push", content=content.replace(b"DEV", device.device_id.encode()),
        headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == code and response.json()["message"]


@pytest.mark.parametrize("payload", [
    {"invite": "X", "device_id": "has:colon", "name": "n"},
    {"invite": "X", "device_id": "", "name": "n"},
    {"invite": 5, "device_id": "d", "name": "n"},
    {"invite": "X", "device_id": "d"},
])
async def test_malformed_pairing_gets_400(server: Server, payload: dict[str, Any]) -> None:
    async with server.client() as client:
        response = await client.post("/v1/devices", json=payload)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


@pytest.fixture
async def small(make_server: Any, pair: PairFn) -> AsyncIterator[tuple[Server, Paired]]:
    """A server with tiny limits, and a device paired to it."""
    device = await pair()
    limited = make_server(Limits(max_body_bytes=2000, max_ops_per_push=3, max_blob_bytes=100,
                                 max_pull_limit=10))
    async with limited.client(device.token) as client:
        yield limited, Paired(device.device_id, device.token, device.team_id, device.role,
                              client)


async def test_oversized_bodies_get_413(small: tuple[Server, Paired]) -> None:
    _, device = small
    huge = body(device, device.op("notes", "n1", body="x" * 5000))
    response = await device.client.post("/v1/push", json=huge)
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b" " * 500

    response = await device.client.post("/v1/push", content=streamed())
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"
    response = await device.client.put("/v1/blobs/" + "b" * 64, content=b"x" * 101)
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"


async def test_too_many_ops_gets_413(small: tuple[Server, Paired]) -> None:
    _, device = small
    ops = [device.op("notes", f"n{i}", title="x") for i in range(4)]
    response = await device.client.post("/v1/push", json=body(device, *ops))
    assert response.status_code == 413 and response.json()["error"] == "too_many_ops"
    assert len((await device.push(*ops[:3]))["acked"]) == 3


@pytest.mark.parametrize("query", ["limit=11", "limit=0", "cursor=-1", "cursor=abc",
                                   "limit=1.5"])
async def test_bad_pull_parameters_get_400(small: tuple[Server, Paired], query: str) -> None:
    _, device = small
    response = await device.client.get(f"/v1/pull?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request" and response.json()["message"]


async def test_unknown_paths_and_methods_answer_json(server: Server) -> None:
    async with server.client() as client:
        missing = await client.get("/v1/nothing")
        wrong = await client.delete("/v1/push")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert wrong.status_code == 405 and wrong.json()["error"] == "method_not_allowed"


async def test_a_crash_is_a_500_without_a_stack_trace(server: Server, pair: PairFn,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    device = await pair()

    def broken(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(server.storage, "pull", broken)
    async with server.client(device.token, raise_errors=False) as client:
        response = await client.get("/v1/pull")
    assert response.status_code == 500 and response.json()["error"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


def _database_text(backend: Backend) -> str:
    """Every value in every table, as text."""
    if backend.name == "sqlite":
        conn: Any = sqlite3.connect(backend.data_dir / "crewkit.sqlite3")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    else:
        conn = psycopg.connect(backend.database_url)
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    with conn:
        return repr([conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables])


async def test_tokens_and_invites_are_stored_hashed(server: Server, backend: Backend) -> None:
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    async with server.client() as client:
        token = (await client.post("/v1/devices", json={
            "invite": code, "device_id": "phone", "name": "Ana"})).json()["token"]
    stored = _database_text(backend)
    assert secret_hash(token) in stored and secret_hash(code) in stored
    assert token not in stored and code not in stored
    if backend.name == "sqlite":
        raw = b"".join(p.read_bytes() for p in backend.data_dir.glob("crewkit.sqlite3*"))
        assert token.encode() not in raw and code.encode() not in raw
