"""A hub's exchanges with upstream (``Relay.run_once``): both ways, identity preserved,
one pairing for every endpoint, and a link that may fail at any point."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx
from server.conftest import Paired

from sync.server.app import create_app
from sync.server.auth import secret_hash
from sync.server.hub import Relay
from sync.server.limits import Limits
from sync.server.storage import TeamDevice

from .hubs import Flaky, Node, hub_node, join, relayed_to

EVENT = {"equipment_id": "cam7", "action": "checkout", "person_id": "ana",
         "at": "2026-11-28T09:59:50+01:00"}


async def _records(node: Node, device: Paired) -> dict[str, dict[str, object]]:
    async with node.client(device.token) as client:
        answer = (await client.get("/v1/pull", params={"cursor": 0})).json()
    return {change["id"]: change for change in answer["changes"]}


async def test_a_joined_hub_takes_the_upstream_team_and_its_records(
    upstream: Node, hub: Node
) -> None:
    ana = await upstream.pair("Film", "coordinator")
    await ana.push(ana.op("equipment", "cam7", name="Steadicam"))
    assert await hub.relay.run_once() == "linked"
    link = hub.storage.hub_link()
    assert link is not None and (link.team_id, link.team_name) == (ana.team_id, "Film")
    # One pairing, every endpoint: ana's upstream token works at the hub.
    assert (await _records(hub, ana))["cam7"]["fields"] == {"name": "Steadicam"}
    health = (await hub.health())["hub"]
    assert health == {"team_id": ana.team_id, "name": "Film", "upstream": "linked",
                      "relay_waiting": 0, "last_upstream_ms": health["last_upstream_ms"]}
    assert isinstance(health["last_upstream_ms"], int)
    assert "hub" not in await upstream.health()


async def test_a_push_at_the_hub_reaches_upstream_with_its_identity(
    upstream: Node, hub: Node
) -> None:
    await hub.relay.run_once()
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()  # the hub learns ana
    at_hub = Paired(ana.device_id, ana.token, ana.team_id, ana.role, hub.client(ana.token))
    op = ana.op("custody_events", "ev1", **EVENT)
    assert (await at_hub.push(op))["acked"] == [op["op_id"]]
    assert (await hub.health())["hub"]["relay_waiting"] == 1
    assert await hub.relay.run_once() == "linked"
    assert (await hub.health())["hub"]["relay_waiting"] == 0
    change = (await _records(upstream, ana))["ev1"]
    assert change["hlc"] == dict.fromkeys(EVENT, op["hlc"])
    # Counted once, under its origin: the same op pushed directly now changes nothing.
    seq = upstream.storage.pull(ana.team_id, 0, 100).cursor
    assert (await ana.push(op))["acked"] == [op["op_id"]]
    assert upstream.storage.pull(ana.team_id, 0, 100).cursor == seq


async def test_an_op_that_reached_upstream_directly_first_is_relayed_harmlessly(
    upstream: Node, hub: Node
) -> None:
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    op = ana.op("custody_events", "ev1", **EVENT)
    await ana.push(op)
    async with hub.client(ana.token) as client:
        pushed = await client.post("/v1/push", json={"device_id": ana.device_id,
                                                     "schema": 2, "ops": [op]})
    assert pushed.json()["acked"] == [op["op_id"]]
    seq = upstream.storage.pull(ana.team_id, 0, 100).cursor
    assert await hub.relay.run_once() == "linked"
    assert upstream.storage.pull(ana.team_id, 0, 100).cursor == seq
    assert hub.storage.relay_waiting(ana.team_id) == 0


async def test_an_upstream_change_wakes_a_pull_waiting_at_the_hub(
    upstream: Node, hub: Node
) -> None:
    ana, ben = await upstream.pair("Film", "crew"), await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    cursor = hub.storage.pull(ana.team_id, 0, 100).cursor
    async with hub.client(ben.token) as client:
        waiting = asyncio.ensure_future(client.get("/v1/pull", params={
            "cursor": cursor, "wait": 10}))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        await ana.push(ana.op("custody_events", "ev1", **EVENT))
        await hub.relay.run_once()
        answer = (await asyncio.wait_for(waiting, 2)).json()
    assert [change["id"] for change in answer["changes"]] == ["ev1"]


async def test_a_device_revoked_upstream_is_refused_at_the_hub_after_an_exchange(
    upstream: Node, hub: Node
) -> None:
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    async with hub.client(ana.token) as client:
        assert (await client.get("/v1/pull")).status_code == 200
        upstream.storage.revoke(ana.device_id, 1)
        await hub.relay.run_once()
        assert (await client.get("/v1/pull")).status_code == 401


async def test_a_device_of_another_team_is_refused_at_the_hub(
    upstream: Node, hub: Node
) -> None:
    other = await upstream.pair("Other", "coordinator")
    await hub.relay.run_once()
    async with hub.client(other.token) as client:
        assert (await client.get("/v1/pull")).status_code == 401


async def test_a_hub_revoked_upstream_stops_relaying_and_says_so(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    link_state = hub.storage.hub_link()
    assert link_state is not None
    upstream.storage.revoke(str(link_state.hub_device_id), 1)
    at_hub = Paired(ana.device_id, ana.token, ana.team_id, ana.role, hub.client(ana.token))
    await at_hub.push(ana.op("custody_events", "ev1", **EVENT))  # the hub still serves
    assert await hub.relay.run_once() == "revoked"
    assert "revoked" in str(hub.relay.last_error)
    assert (await hub.health())["hub"]["upstream"] == "revoked"
    asked = len(link.requests)
    assert await hub.relay.run_once() == "revoked"
    assert len(link.requests) == asked  # nothing more is tried
    assert (await hub.health())["hub"]["relay_waiting"] == 1


async def test_an_op_refused_upstream_comes_back_in_its_devices_next_pull_at_the_hub(
    upstream: Node, hub: Node
) -> None:
    crew = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    # The hub's copy of crew still says coordinator (as if stale): it takes a budget line.
    hub.storage.adopt_devices(crew.team_id, [TeamDevice(
        crew.device_id, crew.device_id, "coordinator", secret_hash(crew.token), 0)])
    at_hub = Paired(crew.device_id, crew.token, crew.team_id, "coordinator",
                    hub.client(crew.token))
    line = crew.op("budget_lines", "bl1", allocated_minor=50000)
    assert (await at_hub.push(line))["acked"] == [line["op_id"]]
    cursor = (await at_hub.pull())["cursor"]
    assert await hub.relay.run_once() == "linked"
    answer = await at_hub.pull(cursor)
    assert answer["rejected"] == [{"op": line, "code": "forbidden",
                                   "message": "a crew device cannot change budget_lines"}]
    assert answer["cursor"] > cursor
    assert "rejected" not in await at_hub.pull(answer["cursor"])
    assert "bl1" not in await _records(upstream, crew)

    # Retried from the device (same op id), the op is judged anew, now by the role the
    # hub learnt upstream, not acked as a replay of what the team never applied.
    retried = await at_hub.push(line)
    assert (retried["acked"], [r["code"] for r in retried["rejected"]]) == ([], ["forbidden"])


async def test_a_device_joining_through_the_hub_is_known_upstream_before_its_ops(
    upstream: Node, hub: Node
) -> None:
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    op = dana.op("custody_events", "ev1", **EVENT)
    await dana.push(op)
    assert await hub.relay.run_once() == "linked"
    assert [d.device_id for d in upstream.storage.team_devices(dana.team_id)
            if d.role == "crew"] == [dana.device_id]
    assert "ev1" in await _records(upstream, dana)  # dana's token works upstream too
    assert upstream.storage.device_for_token(secret_hash(dana.token)) is not None


async def test_a_relay_answer_lost_after_upstream_applied_it_is_resent_harmlessly(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    await dana.push(dana.op("custody_events", "ev1", **EVENT),
                    dana.op("equipment", "cam7", notes="lens cap missing"))
    link.lose.append("/v1/relay")
    assert await hub.relay.run_once() == "unreachable"
    assert hub.storage.relay_waiting(dana.team_id) == 2  # not acked: still queued
    applied = upstream.storage.pull(dana.team_id, 0, 100)
    assert len(applied.changes) == 2
    assert await hub.relay.run_once() == "linked"
    assert hub.storage.relay_waiting(dana.team_id) == 0
    assert upstream.storage.pull(dana.team_id, 0, 100) == applied


async def test_an_unreachable_upstream_leaves_the_hub_serving_and_the_queue_waiting(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    ben = await hub.pair("Film", "crew")
    link.down = True
    await dana.push(dana.op("custody_events", "ev1", **EVENT))
    assert await hub.relay.run_once() == "unreachable"
    assert (await hub.health())["hub"]["upstream"] == "unreachable"
    assert "ev1" in await _records(hub, ben)
    link.down = False
    assert await hub.relay.run_once() == "linked"
    assert "ev1" in await _records(upstream, ben)


async def test_a_restarted_hub_resumes_from_its_stored_link(
    tmp_path: Path, upstream: Node, hub: Node, link: Flaky
) -> None:
    ana = await upstream.pair("Film", "crew")
    await ana.push(ana.op("custody_events", "ev1", **EVENT))
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    await dana.push(dana.op("equipment", "cam7", notes="lens cap missing"))
    cursor = hub.storage.hub_link().cursor  # type: ignore[union-attr]
    hub.storage.close()
    again = hub_node(tmp_path / "hub", link)
    try:
        asked = len(link.requests)
        assert await again.relay.run_once() == "linked"
        pulls = [r for r in link.requests[asked:] if r.url.path == "/v1/pull"]
        assert pulls[0].url.params["cursor"] == str(cursor) != "0"
        assert "cam7" in await _records(upstream, ana)
    finally:
        again.storage.close()


async def test_blobs_go_up_before_the_ops_naming_them_and_come_down_after(
    upstream: Node, hub: Node
) -> None:
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    photo, receipt = b"damage photo", b"receipt scan"
    up_sha, down_sha = hashlib.sha256(photo).hexdigest(), hashlib.sha256(receipt).hexdigest()
    assert (await dana.client.put(f"/v1/blobs/{up_sha}", content=photo)).status_code == 201
    await dana.push(dana.op("equipment", "cam7", photo=up_sha))
    assert (await ana.client.put(f"/v1/blobs/{down_sha}", content=receipt)).status_code == 201
    await ana.push(ana.op("equipment", "cam8", photo=down_sha))
    assert await hub.relay.run_once() == "linked"
    assert (await ana.client.get(f"/v1/blobs/{up_sha}")).content == photo
    assert (await dana.client.get(f"/v1/blobs/{down_sha}")).content == receipt


async def test_the_serving_relay_sends_a_push_at_once_and_follows_upstream_live(
    upstream: Node, hub: Node
) -> None:
    ana = await upstream.pair("Film", "crew")
    await hub.relay.run_once()
    dana = await hub.pair("Film", "crew")
    running = asyncio.ensure_future(hub.relay.run_forever())
    try:
        await dana.push(dana.op("custody_events", "ev1", **EVENT))
        await _until(lambda: _has(upstream, ana, "ev1"))
        await ana.push(ana.op("custody_events", "ev2", **EVENT))
        await _until(lambda: _has(hub, dana, "ev2"))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def _has(node: Node, device: Paired, record_id: str) -> bool:
    return record_id in await _records(node, device)


async def _until(check: object, timeout_s: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await check():  # type: ignore[operator]
        assert loop.time() < deadline, "not within the time"
        await asyncio.sleep(0.02)


async def test_a_queue_longer_than_upstream_takes_at_once_goes_in_smaller_relays(
    tmp_path: Path, upstream: Node
) -> None:
    upstream.app = create_app(upstream.storage, upstream.data / "blobs",
                              Limits(max_ops_per_push=3))
    hub = hub_node(tmp_path / "small", relayed_to(upstream))
    try:
        await join(hub, upstream)
        await hub.relay.run_once()
        dana = await hub.pair("Film", "crew")
        await dana.push(*(dana.op("equipment", f"cam{n}", notes="ok") for n in range(8)))
        assert await hub.relay.run_once() == "linked"
        assert hub.relay.batch <= 3 and hub.storage.relay_waiting(dana.team_id) == 0
        assert len(upstream.storage.pull(dana.team_id, 0, 100).changes) == 8
    finally:
        hub.storage.close()


async def test_a_device_pairing_at_the_hub_during_an_exchange_is_registered_before_its_ops(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    await hub.relay.run_once()
    joined: list[Paired] = []

    async def pair_and_push() -> None:  # while the hub copies devices from upstream
        dana = await hub.pair("Film", "crew")
        await dana.push(dana.op("custody_events", "ev1", **EVENT))
        joined.append(dana)

    link.before["/v1/hub/devices"] = pair_and_push
    assert await hub.relay.run_once() == "linked"
    [dana] = joined
    assert "ev1" in await _records(upstream, dana)
    assert "rejected" not in await dana.pull()


async def test_an_answer_outside_the_protocol_counts_as_unreachable(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    portal = httpx.MockTransport(lambda _: httpx.Response(200, text="<html>Log in</html>"))
    relay = Relay(hub.app.state.context, portal)
    assert await relay.run_once() == "unreachable"
    assert "outside the protocol" in str(relay.last_error)
    assert await hub.relay.run_once() == "linked"  # the real link still works


async def test_the_serving_relay_backs_off_while_upstream_is_down_and_stops_once_revoked(
    upstream: Node, hub: Node, link: Flaky
) -> None:
    await hub.relay.run_once()
    waits: list[float] = []
    hub_id = str(hub.storage.hub_link().hub_device_id)  # type: ignore[union-attr]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:  # the link comes back, and the hub has been revoked meanwhile
            link.down = False
            upstream.storage.revoke(hub_id, 1)

    relay = Relay(hub.app.state.context, link, sleep=sleep, rng=lambda: 1.0)
    link.down = True
    await asyncio.wait_for(relay.run_forever(), 5)
    assert waits == [1.0, 2.0, 4.0]
    assert (await hub.health())["hub"]["upstream"] == "revoked"


async def test_a_coordinator_invite_pairs_a_hub_too(tmp_path: Path, upstream: Node) -> None:
    hub = hub_node(tmp_path / "coordinated", relayed_to(upstream))
    try:
        await join(hub, upstream, role="coordinator")
        link = hub.storage.hub_link()
        assert link is not None
        [paired] = [d for d in upstream.storage.devices() if d.device_id == link.hub_device_id]
        assert paired.role == "hub"
        assert await hub.relay.run_once() == "linked"
    finally:
        hub.storage.close()
