"""End to end: ``crewkit-server`` as a real process on a loopback port, invites made with
its command line, and two devices pairing and syncing through it over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.blobs import BlobStore
from app.store import Store
from bench.postgres import free_port
from bench.serving import serving
from sync import SyncEngine, SyncState, current_pairing

SERVER = [sys.executable, "-m", "sync.server.cli"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data, port = tmp_path / "server-data", free_port()
    url = f"http://127.0.0.1:{port}"
    command = [*SERVER, "--data", data, "serve", "--port", str(port)]
    with serving(command, f"{url}/v1/health", log=tmp_path / "server.log"):
        yield url, data


def _invite(data: Path, url: str, role: str) -> dict[str, str]:
    result = subprocess.run(
        [*SERVER, "--data", data, "invite", "--team", "Festival", "--role", role, "--json",
         "--server-url", url], capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout))


async def test_two_devices_sync_through_a_real_server(server: tuple[str, Path],
                                                      tmp_path: Path) -> None:
    url, data = server
    phones = []
    for name, role in (("stage manager", "coordinator"), ("rigger", "crew")):
        store = Store.open(tmp_path / name)
        engine = SyncEngine(store, blobs=BlobStore(tmp_path / name / "blobs"))
        invite = _invite(data, url, role)
        pairing = await engine.pair(invite["uri"], name=name)
        assert (pairing.team_id, pairing.role) == (invite["team_id"], role)
        phones.append((store, engine))
    (lead, lead_sync), (rigger, rigger_sync) = phones
    try:
        with lead.transaction() as tx:
            checklist = tx.insert("checklists", {"title": "Stage setup", "is_template": False})
        with rigger.transaction() as tx:
            photo = BlobStore(tmp_path / "rigger" / "blobs").put(b"truss photo")
            note = tx.insert("notes", {"title": "Truss pin missing", "photo": photo})
            tx.queue_blob(photo)
        for engine in (lead_sync, rigger_sync, lead_sync):
            assert (await engine.sync_once()).state is SyncState.SYNCED
        assert rigger.get("checklists", checklist)["title"] == "Stage setup"
        assert lead.get("notes", note)["photo"] == photo
        token = current_pairing(lead).token
        served = httpx.get(f"{url}/v1/blobs/{photo}", headers={"Authorization": f"Bearer {token}"})
        assert served.content == b"truss photo"
        listed = subprocess.run([*SERVER, "--data", data, "devices", "--json"],
                                capture_output=True, text=True, check=True)
        assert {d["name"] for d in json.loads(listed.stdout)} == {"stage manager", "rigger"}
    finally:
        for store, engine in phones:
            await engine.stop()
            store.close()
