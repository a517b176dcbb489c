"""``crewkit-server`` management commands, run as real processes against both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.hlc import wall_ms
from bench.postgres import free_port
from bench.serving import serving
from sync.server.app import create_app

from .conftest import Backend, Server

SCRIPT = Path(sys.executable).with_name("crewkit-server")
DAY_MS = 24 * 3600 * 1000


def cli(backend: Backend, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), "--data", str(backend.data_dir), *args],
                          capture_output=True, text=True, env=backend.env(), timeout=60)


def invite(backend: Backend, *args: str) -> dict[str, Any]:
    done = cli(backend, "invite", *args, "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


async def test_invite_pair_list_revoke(backend: Backend, tmp_path: Path) -> None:
    before = wall_ms()
    created = invite(backend, "--team", "Film", "--role", "crew",
                     "--server-url", "https://sync.example.org:8443")
    assert set(created) == {"code", "uri", "team_id", "role", "expires_ms"}
    assert created["role"] == "crew"
    assert before + 7 * DAY_MS <= created["expires_ms"] <= wall_ms() + 7 * DAY_MS
    assert created["uri"] == (
        f"crewkit://join?server=https://sync.example.org:8443&code={created['code']}")
    assert invite(backend, "--team", "Film", "--role", "coordinator")["team_id"] == (
        created["team_id"])

    storage = backend.open()
    server = Server(storage, create_app(storage, tmp_path / "blobs"), tmp_path / "blobs")
    async with server.client() as client:
        paired = await client.post("/v1/devices", json={
            "invite": created["code"], "device_id": "phone-ana", "name": "Ana's phone"})
    assert paired.status_code == 200 and paired.json()["team_id"] == created["team_id"]

    listed = json.loads(cli(backend, "devices", "--json").stdout)
    assert [(d["device_id"], d["name"], d["team_name"], d["role"], d["revoked_ms"])
            for d in listed] == [("phone-ana", "Ana's phone", "Film", "crew", None)]
    assert "phone-ana" in cli(backend, "devices").stdout

    async with server.client(paired.json()["token"]) as device:
        assert (await device.get("/v1/pull")).status_code == 200
        revoked = cli(backend, "revoke", "phone-ana")
        assert revoked.returncode == 0 and "phone-ana" in revoked.stdout
        assert (await device.get("/v1/pull")).status_code == 401
    assert json.loads(cli(backend, "devices", "--json").stdout)[0]["revoked_ms"] <= wall_ms()
    again = cli(backend, "revoke", "phone-ana")
    assert again.returncode == 1 and "phone-ana" in again.stderr
    released = cli(backend, "release", "phone-ana")
    assert released.returncode == 0 and "any team" in released.stdout
    assert json.loads(cli(backend, "devices", "--json").stdout) == []
    assert cli(backend, "release", "phone-ana").returncode == 1


def test_invite_prints_code_uri_and_qr(backend: Backend, tmp_path: Path) -> None:
    png = tmp_path / "invite.png"
    done = cli(backend, "invite", "--team", "Stage", "--role", "coordinator", "--png", str(png))
    assert done.returncode == 0, done.stderr
    assert "Code: " in done.stdout and "crewkit://join?server=http://127.0.0.1:8765&code=" in (
        done.stdout)
    assert "guesses http://127.0.0.1:8765" in done.stderr and "--server-url" in done.stderr
    assert "█" in done.stdout  # the QR code, drawn with block characters
    assert png.read_bytes().startswith(b"\x89PNG")


def test_invite_expires_when_asked(backend: Backend) -> None:
    before = wall_ms()
    created = invite(backend, "--team", "Film", "--role", "crew", "--expires", "90m")
    assert before + 90 * 60_000 <= created["expires_ms"] <= wall_ms() + 90 * 60_000
    refused = cli(backend, "invite", "--team", "Film", "--role", "crew", "--expires", "soon")
    assert refused.returncode == 2 and "30m, 12h or 7d" in refused.stderr


def test_usage_errors_exit_2(backend: Backend) -> None:
    assert cli(backend, "invite", "--team", "Film", "--role", "boss").returncode == 2
    assert cli(backend).returncode == 2


def test_invite_links_carry_the_address_the_server_runs_at(backend: Backend,
                                                           tmp_path: Path) -> None:
    port = free_port()
    command = [SCRIPT, "--data", backend.data_dir, "serve", "--port", str(port)]
    with serving(command, f"http://127.0.0.1:{port}/v1/health", log=tmp_path / "serve.log",
                 env=backend.env()):
        done = cli(backend, "invite", "--team", "Stage", "--role", "crew", "--json")
    assert done.returncode == 0 and not done.stderr
    assert json.loads(done.stdout)["uri"].startswith(
        f"crewkit://join?server=http://127.0.0.1:{port}&code=")

    public = ["serve", "--port", str(port), "--public-url", "https://sync.example.org/"]
    with serving([SCRIPT, "--data", backend.data_dir, *public],
                 f"http://127.0.0.1:{port}/v1/health", log=tmp_path / "serve.log",
                 env=backend.env()):
        link = invite(backend, "--team", "Stage", "--role", "crew")["uri"]
    assert link.startswith("crewkit://join?server=https://sync.example.org&code=")


async def test_a_hub_invite_pairs_a_hub(backend: Backend, tmp_path: Path) -> None:
    created = invite(backend, "--team", "Film", "--role", "hub")
    assert created["role"] == "hub"
    storage = backend.open()
    server = Server(storage, create_app(storage, tmp_path / "blobs"), tmp_path / "blobs")
    async with server.client() as anonymous:
        answer = await anonymous.post("/v1/devices", json={
            "invite": created["code"], "device_id": "hub-base-camp", "name": "Base camp"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["role"], answer.json()["team_id"]) == ("hub", created["team_id"])
    listed = json.loads(cli(backend, "devices", "--json").stdout)
    assert [(d["device_id"], d["role"]) for d in listed] == [("hub-base-camp", "hub")]
