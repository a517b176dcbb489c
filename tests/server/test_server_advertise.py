"""``crewkit-server serve --advertise``: a real server process announces its team by mDNS
on loopback, a device finds it, reaches it, and stops finding it once it stops."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.postgres import free_port
from bench.serving import serving
from sync.discovery import browse, choose_hub, health_probe
from sync.server.auth import secret_hash
from sync.server.storage import DATABASE_URL_ENV, open_storage

SCRIPT = Path(sys.executable).with_name("crewkit-server")
LOOPBACK = ["127.0.0.1"]


async def test_a_served_team_is_found_on_loopback_and_withdrawn_on_stop(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    storage = open_storage(data, "")
    team_id = storage.create_invite("Film", "crew", secret_hash("CODE"), 0, 10**15)
    storage.pair(secret_hash("CODE"), "phone-1", "Ana's phone", secret_hash("token"), 1)
    storage.close()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != DATABASE_URL_ENV}
    command = [SCRIPT, "--data", data, "serve", "--host", "127.0.0.1", "--port", str(port),
               "--advertise", "--name", "Base camp laptop"]
    with serving(command, f"http://127.0.0.1:{port}/v1/health", log=tmp_path / "serve.log",
                 env=env):
        hubs = []
        for _ in range(5):  # announcing starts beside the server: give it a few looks
            hubs = await browse(team_id, seconds=1.5, interfaces=LOOPBACK)
            if hubs:
                break
        assert [(h.name, h.addresses, h.port) for h in hubs] == [
            ("Base camp laptop", ("127.0.0.1",), port)]
        assert await choose_hub(hubs, health_probe()) == f"http://127.0.0.1:{port}"
        assert await browse("team-of-nobody", seconds=0.5, interfaces=LOOPBACK) == []
    assert await browse(team_id, seconds=1.5, interfaces=LOOPBACK) == []
    assert "announcing Base camp laptop on 127.0.0.1" in (tmp_path / "serve.log").read_text()
