"""``crewkit-server hub`` and ``status``, run as real processes on loopback."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from app.hlc import Stamp, wall_ms
from bench.postgres import free_port
from bench.serving import serving

from .processes import SCRIPT, cli, invite, status

EVENT = {"equipment_id": "cam7", "action": "checkout", "person_id": "ana",
         "at": "2026-11-28T09:59:50+01:00"}


def test_a_hub_joins_serves_and_relays_and_status_says_so(tmp_path: Path) -> None:
    up_data, hub_data = tmp_path / "upstream", tmp_path / "hub"
    up_port, hub_port = free_port(), free_port()
    up_url, hub_url = f"http://127.0.0.1:{up_port}", f"http://127.0.0.1:{hub_port}"
    hub_command = [SCRIPT, "--data", hub_data, "hub", "--host", "127.0.0.1", "--port",
                   str(hub_port), "--no-advertise", "--name", "Base camp"]
    with serving([SCRIPT, "--data", up_data, "serve", "--port", str(up_port)],
                 f"{up_url}/v1/health", log=tmp_path / "upstream.log"):
        code = invite(up_data, "crew", up_url).split("code=")[1]
        ana = httpx.post(f"{up_url}/v1/devices", json={
            "invite": code, "device_id": "ana", "name": "Ana"}).json()
        with serving([*hub_command, "--join", invite(up_data, "hub", up_url)],
                     f"{hub_url}/v1/health", log=tmp_path / "hub.log"):
            hub = httpx.get(f"{hub_url}/v1/health").json()["hub"]
            assert (hub["team_id"], hub["name"], hub["upstream"]) == (
                ana["team_id"], "Film", "linked")
            assert status(hub_data)["upstream"] == "linked"
            # ana, paired upstream only, pushes to the hub; the running relay sends it up.
            op = {"op_id": "op1", "coll": "custody_events", "id": "ev1",
                  "hlc": str(Stamp(wall_ms(), 0, "ana")), "set": EVENT}
            auth = {"Authorization": f"Bearer {ana['token']}"}
            pushed = httpx.post(f"{hub_url}/v1/push", headers=auth,
                                json={"device_id": "ana", "schema": 2, "ops": [op]})
            assert pushed.json()["acked"] == ["op1"], pushed.text
            deadline = time.monotonic() + 10
            while not httpx.get(f"{up_url}/v1/pull", headers=auth).json()["changes"]:
                assert time.monotonic() < deadline, "the hub did not relay the push"
                time.sleep(0.05)
        # Run again without --join: the stored link is resumed.
        with serving(hub_command, f"{hub_url}/v1/health", log=tmp_path / "hub2.log"):
            assert httpx.get(f"{hub_url}/v1/health").json()["hub"]["upstream"] == "linked"
    done = cli(hub_data, "status")
    assert "Hub of team 'Film'" in done.stdout and "0 op(s)" in done.stdout


def test_a_hub_of_its_own_team_needs_no_upstream(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving([SCRIPT, "--data", tmp_path, "hub", "--team", "Location", "--host",
                  "127.0.0.1", "--port", str(port), "--no-advertise"],
                 f"{url}/v1/health", log=tmp_path / "hub.log"):
        hub = httpx.get(f"{url}/v1/health").json()["hub"]
    assert (hub["name"], hub["upstream"], hub["relay_waiting"]) == ("Location", "none", 0)
    assert status(tmp_path) == hub | {"last_upstream_ms": None}


def test_a_data_directory_that_is_no_hub_says_how_to_make_one(tmp_path: Path) -> None:
    done = cli(tmp_path, "hub", "--no-advertise")
    assert done.returncode == 1 and "hub --join" in done.stderr
    assert cli(tmp_path, "status").returncode == 1
    assert status(tmp_path) is None
    bad = cli(tmp_path, "hub", "--join", "https://example.org/join")
    assert bad.returncode == 1 and "not a Crewkit join link" in bad.stderr


def test_a_hub_invites_devices_of_its_team_only(tmp_path: Path) -> None:
    port = free_port()
    with serving([SCRIPT, "--data", tmp_path, "hub", "--team", "Location", "--host",
                  "127.0.0.1", "--port", str(port), "--no-advertise"],
                 f"http://127.0.0.1:{port}/v1/health", log=tmp_path / "hub.log"):
        pass
    url = f"http://127.0.0.1:{port}"
    other = cli(tmp_path, "invite", "--team", "Other", "--role", "crew", "--server-url", url)
    assert other.returncode == 1 and "serves team 'Location' only" in other.stderr
    hub = cli(tmp_path, "invite", "--team", "Location", "--role", "hub", "--server-url", url)
    assert hub.returncode == 1 and "not other hubs" in hub.stderr
    assert cli(tmp_path, "invite", "--team", "Location", "--role", "crew", "--server-url",
               url, "--json").returncode == 0
