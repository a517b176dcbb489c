"""End to end: ``crewkit-server serve`` as a real process, spoken to over real HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.hlc import Stamp, wall_ms
from bench.postgres import free_port
from bench.serving import serving

from .conftest import Backend
from .test_server_cli import SCRIPT, invite


@pytest.fixture
def running(backend: Backend, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [SCRIPT, "--data", backend.data_dir, "serve", "--port", str(port)]
    with serving(command, f"{url}/v1/health", log=tmp_path / "server.log", env=backend.env()):
        yield url


def test_two_devices_sync_through_a_real_server(backend: Backend, running: str) -> None:
    tokens = {}
    for device_id, role in [("laptop", "coordinator"), ("phone", "crew")]:
        code = invite(backend, "--team", "Film", "--role", role)["code"]
        answer = httpx.post(f"{running}/v1/devices",
                            json={"invite": code, "device_id": device_id, "name": device_id})
        assert answer.status_code == 200, answer.text
        tokens[device_id] = {"Authorization": f"Bearer {answer.json()['token']}"}

    photo = b"damage photo"
    sha = hashlib.sha256(photo).hexdigest()
    put = httpx.put(f"{running}/v1/blobs/{sha}", content=photo, headers=tokens["phone"])
    assert put.status_code == 201
    stamp = str(Stamp(wall_ms(), 0, "phone"))
    pushed = httpx.post(f"{running}/v1/push", headers=tokens["phone"], json={
        "device_id": "phone", "schema": 1, "ops": [
            {"op_id": "op-1", "coll": "custody_events", "id": "ev-1", "hlc": stamp,
             "set": {"action": "damage", "equipment_id": "cam-1", "photo": sha}},
            {"op_id": "op-2", "coll": "productions", "id": "p-1", "hlc": stamp,
             "set": {"name": "not mine to change"}}]})
    assert pushed.json()["acked"] == ["op-1"]
    assert pushed.json()["rejected"][0]["code"] == "forbidden"

    pulled = httpx.get(f"{running}/v1/pull", params={"cursor": 0}, headers=tokens["laptop"])
    [change] = pulled.json()["changes"]
    assert change["fields"]["photo"] == sha and change["seq"] == 1
    got = httpx.get(f"{running}/v1/blobs/{sha}", headers=tokens["laptop"])
    assert got.content == photo
    assert httpx.get(f"{running}/v1/pull", headers={"Authorization": "Bearer x"}).status_code == (
        401)
