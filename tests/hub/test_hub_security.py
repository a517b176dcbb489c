"""Who a hub lets in, and what it lets through upstream: revocations made upstream reach
the hub at its next exchange (for devices paired at the hub too), ops a device queued at
the hub before it was revoked do not enter upstream, and only a hub relays, at the hub as
upstream. (The basic cases, tokens of another team and a hub revoked upstream, are in
``test_hub_relay``; ``POST /v1/relay`` by a device upstream in ``server``.)"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from server.conftest import Paired

from .hubs import Flaky, Node, hub_node, join, relayed_to
from .processes import cli, status

EVENT = {"equipment_id": "cam7", "action": "check_out", "person_id": "ana",
         "at": "2026-11-28T09:59:50+01:00"}


def at(node: Node, device: Paired) -> Paired:
    """``device`` talking to ``node`` on the same token."""
    return Paired(device.device_id, device.token, device.team_id, device.role,
                  node.client(device.token))


async def test_a_device_paired_at_the_hub_and_revoked_upstream_is_refused_at_the_hub(
    upstream: Node, hub: Node
) -> None:
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    assert await hub.relay.run_once() == "linked"  # dana is registered upstream
    upstream.storage.revoke(dana.device_id, 1)
    assert (await dana.client.get("/v1/pull")).status_code == 200  # until the next exchange
    assert await hub.relay.run_once() == "linked"
    answers = [await dana.client.get("/v1/pull"),
               await dana.client.post("/v1/push", json={
                   "device_id": dana.device_id, "schema": 2,
                   "ops": [dana.op("custody_events", "ev1", **EVENT)]})]
    assert [a.status_code for a in answers] == [401, 401]
    assert hub.storage.relay_waiting(dana.team_id) == 0


async def test_ops_queued_at_the_hub_before_a_revocation_do_not_enter_upstream(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    ana, ben = await upstream.pair("Film", "crew"), await upstream.pair("Film", "coordinator")
    await hub.relay.run_once()
    link.down = True  # the hub is cut off: it cannot hear of the revocation yet
    await at(hub, ana).push(ana.op("custody_events", "ev1", **EVENT))
    upstream.storage.revoke(ana.device_id, 1)
    assert await hub.relay.run_once() == "unreachable"
    link.down = False
    assert await hub.relay.run_once() == "linked"
    assert hub.storage.relay_waiting(ana.team_id) == 0  # judged upstream, not retried
    assert "ev1" not in {c["id"] for c in (await ben.pull())["changes"]}
    async with hub.client(ana.token) as client:
        assert (await client.get("/v1/pull")).status_code == 401


async def test_no_device_of_the_team_can_relay_at_the_hub(upstream: Node, hub: Node) -> None:
    ana = await upstream.pair("Film", "coordinator")
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    for device in (at(hub, ana), dana):
        op = {"origin": device.device_id, **device.op("notes", "n1", title="x")}
        answer = await device.client.post("/v1/relay", json={
            "device_id": device.device_id, "schema": 2, "ops": [op]})
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "not_a_hub"
    assert (await dana.pull())["changes"] == []
    assert hub.storage.relay_waiting(ana.team_id) == 0


async def test_a_device_of_another_teams_hub_is_refused_at_this_hub(
    tmp_path: Path, upstream: Node, hub: Node
) -> None:
    """Two hubs of two teams on one network: a device paired at one cannot use the other."""
    other = hub_node(tmp_path / "other-hub", relayed_to(upstream))
    try:
        await join(other, upstream, team="Stage")
        await other.relay.run_once()
        await hub.relay.run_once()
        stranger = await other.pair("Stage", "crew")
        assert await other.relay.run_once() == "linked"  # registered upstream, in Stage
        assert await hub.relay.run_once() == "linked"
        async with hub.client(stranger.token) as client:
            answers = [await client.get("/v1/pull"), await client.post("/v1/push", json={
                "device_id": stranger.device_id, "schema": 2,
                "ops": [stranger.op("custody_events", "ev1", **EVENT)]})]
        assert [a.status_code for a in answers] == [401, 401]
        assert hub.storage.relay_waiting(stranger.team_id) == 0
    finally:
        other.storage.close()


async def test_a_hub_revoked_upstream_says_so_in_its_status_command(
    upstream: Node, hub: Node
) -> None:
    await hub.relay.run_once()
    link = hub.storage.hub_link()
    assert link is not None
    upstream.storage.revoke(str(link.hub_device_id), 1)
    assert await hub.relay.run_once() == "revoked"
    assert status(hub.data)["upstream"] == "revoked"
    said = cli(hub.data, "status").stdout
    assert "Upstream: revoked" in said and "pair it again" in said


async def test_a_device_pairing_at_a_linked_hub_is_registered_upstream_at_once(
    upstream: Node, hub: Node
) -> None:
    """So the company server can revoke it before it has pushed anything."""
    running = asyncio.ensure_future(hub.relay.run_forever())
    try:
        await _until(lambda: _exchanged(hub))
        dana = await hub.pair("Film", "crew")  # the relay is waiting on upstream's news
        await _until(lambda: dana.device_id in {
            d.device_id for d in upstream.storage.team_devices(dana.team_id)})
        upstream.storage.revoke(dana.device_id, 1)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert await hub.relay.run_once() == "linked"
    assert (await dana.client.get("/v1/pull")).status_code == 401


def _exchanged(hub: Node) -> bool:
    link = hub.storage.hub_link()
    return link is not None and link.last_upstream_ms is not None


async def _until(check: Callable[[], object], timeout_s: float = 5.0) -> None:
    """Well within the relay's long-poll upstream (25 s): no waiting for it to end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not check():
        assert loop.time() < deadline, "not within the time"
        await asyncio.sleep(0.02)
