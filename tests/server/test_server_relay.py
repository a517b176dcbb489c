"""``POST /v1/relay``: a hub's ops of its devices, each judged as its origin's own push.

Dedupe is on (origin, op id), shared with direct pushes: an op that arrives relayed and
direct, in either order, is merged once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from app.hlc import wall_ms
from sync import wire
from sync.schema import MAX_RECORD_BYTES
from sync.server.limits import Limits

from .conftest import Paired, PairFn, Server
from .hub_helpers import acked, pair_hub, relay, relayed

#: The server's clock for these tests: fixed, so stamps ahead of it are ahead however
#: long a test runs, and read once from the test's own clock.
NOW = wall_ms()


@pytest.fixture
def server(make_server: Callable[..., Server]) -> Server:
    return make_server(Limits(max_ops_per_push=10), clock=lambda: NOW)


def _seq(server: Server, team_id: str) -> int:
    return server.storage.pull(team_id, 0, 1000).cursor


async def _team(server: Server, pair: PairFn) -> tuple[Paired, Paired, Paired]:
    """A hub, a coordinator and a crew device of team Film."""
    return await pair_hub(server), await pair("Film", "coordinator"), await pair("Film", "crew")


async def test_relayed_ops_are_merged_and_reach_every_device(
    server: Server, pair: PairFn
) -> None:
    hub, coordinator, crew = await _team(server, pair)
    out = crew.op("custody_events", "ev1", equipment_id="cam7", action="checkout",
                  person_id="ana", at="2026-11-28T09:59:50+01:00", hlc=crew.hlc(NOW - 1000))
    line = coordinator.op("budget_lines", "bl1", allocated_minor=50000,
                          hlc=coordinator.hlc(NOW - 500))
    async with hub.client:
        answer = await relay(hub, relayed(crew, out), relayed(coordinator, line))
    assert answer == {"acked": acked((crew, out), (coordinator, line)), "rejected": [],
                      "server_time": NOW}
    changes = {c["id"]: c for c in (await coordinator.pull())["changes"]}
    assert changes["ev1"]["hlc"]["action"] == out["hlc"]
    assert changes["bl1"]["fields"] == {"allocated_minor": 50000}


@pytest.mark.parametrize("first", ["direct", "relayed"])
async def test_an_op_pushed_both_ways_is_merged_once(
    server: Server, pair: PairFn, first: str
) -> None:
    hub, _, crew = await _team(server, pair)
    op = crew.op("custody_events", "ev1", equipment_id="cam7", action="checkout",
                 person_id="ana", at="2026-11-28T09:59:50+01:00", hlc=crew.hlc(NOW - 1000))
    async with hub.client:
        for way in (first, "relayed" if first == "direct" else "direct"):
            if way == "direct":
                assert (await crew.push(op))["acked"] == [op["op_id"]]
            else:
                assert (await relay(hub, relayed(crew, op)))["acked"] == acked((crew, op))
            if way == first:
                merged_at = _seq(server, crew.team_id)
    # The second arrival is acked and changes nothing: no new seq, one record, and the
    # op is known under its origin alone.
    assert _seq(server, crew.team_id) == merged_at == 1
    assert [c["id"] for c in (await crew.pull())["changes"]] == ["ev1"]
    assert _applied(server, op["op_id"]) == [crew.device_id]


def _applied(server: Server, op_id: str) -> list[str]:
    """The devices an op id is recorded as applied for."""
    rows = server.storage._read(  # type: ignore[attr-defined]
        "SELECT device_id FROM applied_ops WHERE op_id = ?", (op_id,))
    return [row[0] for row in rows]


async def test_an_op_relayed_twice_or_repeated_in_a_relay_is_merged_once(
    server: Server, pair: PairFn
) -> None:
    hub, _, crew = await _team(server, pair)
    op = crew.op("notes", "n1", title="Steadicam case out", hlc=crew.hlc(NOW - 1000))
    async with hub.client:
        assert (await relay(hub, relayed(crew, op), relayed(crew, op)))["acked"] == acked(
            (crew, op), (crew, op))
        assert (await relay(hub, relayed(crew, op)))["acked"] == acked((crew, op))
    assert _seq(server, crew.team_id) == 1


async def test_the_same_op_id_of_two_origins_is_two_ops(server: Server, pair: PairFn) -> None:
    hub, coordinator, crew = await _team(server, pair)
    first = crew.op("notes", "n1", title="one", hlc=crew.hlc(NOW - 1000))
    second = {**coordinator.op("notes", "n2", title="two", hlc=coordinator.hlc(NOW - 900)),
              "op_id": first["op_id"]}
    async with hub.client:
        answer = await relay(hub, relayed(crew, first), relayed(coordinator, second))
    assert answer["acked"] == acked((crew, first), (coordinator, second))
    assert sorted(c["id"] for c in (await crew.pull())["changes"]) == ["n1", "n2"]


async def test_role_rules_follow_the_origin_device(server: Server, pair: PairFn) -> None:
    hub, coordinator, crew = await _team(server, pair)
    line = crew.op("budget_lines", "bl1", allocated_minor=50000, hlc=crew.hlc(NOW - 1000))
    approve = crew.op("expenses", "ex1", status="approved", hlc=crew.hlc(NOW - 900))
    allowed = coordinator.op("expenses", "ex2", status="approved",
                             hlc=coordinator.hlc(NOW - 800))
    async with hub.client:
        answer = await relay(hub, relayed(crew, line), relayed(crew, approve),
                             relayed(coordinator, allowed))
    assert answer["acked"] == acked((coordinator, allowed))
    assert [(r["origin"], r["op_id"], r["code"]) for r in answer["rejected"]] == [
        (crew.device_id, line["op_id"], wire.FORBIDDEN),
        (crew.device_id, approve["op_id"], wire.FORBIDDEN)]
    assert answer["rejected"][0]["message"] == "a crew device cannot change budget_lines"
    assert [c["id"] for c in (await coordinator.pull())["changes"]] == ["ex2"]


async def test_a_stamp_must_be_the_origins_own(server: Server, pair: PairFn) -> None:
    hub, coordinator, crew = await _team(server, pair)
    # The crew device's op relayed as the coordinator's: its stamp names the crew device.
    op = crew.op("notes", "n1", title="x", hlc=crew.hlc(NOW - 1000))
    hub_stamped = crew.op("notes", "n2", title="y", hlc=hub.hlc(NOW - 900))
    async with hub.client:
        answer = await relay(hub, relayed(coordinator, op), relayed(crew, hub_stamped))
    assert answer["acked"] == []
    assert [(r["origin"], r["code"]) for r in answer["rejected"]] == [
        (coordinator.device_id, wire.INVALID_OP), (crew.device_id, wire.INVALID_OP)]
    assert "node id" in answer["rejected"][0]["message"]
    assert _seq(server, hub.team_id) == 0


async def test_origins_must_be_active_devices_of_the_hubs_team(
    server: Server, pair: PairFn
) -> None:
    hub, _, crew = await _team(server, pair)
    stranger = await pair("Stage", "coordinator")
    gone = await pair("Film", "crew")
    assert server.storage.revoke(gone.device_id, NOW)
    ops = [relayed("phone-nobody", crew.op("notes", "n1", title="a", hlc=_stamp("phone-nobody"))),
           relayed(stranger, stranger.op("notes", "n2", title="b", hlc=stranger.hlc(NOW))),
           relayed(gone, gone.op("notes", "n3", title="c", hlc=gone.hlc(NOW))),
           relayed(hub, hub.op("notes", "n4", title="d", hlc=hub.hlc(NOW))),
           relayed(crew, crew.op("notes", "n5", title="e", hlc=crew.hlc(NOW)))]
    async with hub.client:
        answer = await relay(hub, *ops)
    assert answer["acked"] == acked((crew, ops[4]))
    assert [(r["origin"], r["op_id"], r["code"]) for r in answer["rejected"]] == [
        ("phone-nobody", ops[0]["op_id"], wire.UNKNOWN_DEVICE),
        (stranger.device_id, ops[1]["op_id"], wire.UNKNOWN_DEVICE),
        (gone.device_id, ops[2]["op_id"], wire.DEVICE_REVOKED),
        (hub.device_id, ops[3]["op_id"], wire.FORBIDDEN)]
    assert (await stranger.pull())["changes"] == []
    assert [c["id"] for c in (await crew.pull())["changes"]] == ["n5"]


def _stamp(node_id: str) -> str:
    return f"{NOW - 1000:015d}:000000:{node_id}"


@pytest.mark.parametrize("op", [
    "not an object", None, {"op_id": "o1", "coll": "notes", "id": "n1", "set": {"title": "x"}},
    {"origin": 7, "op_id": "o1"}, {"origin": "a/b", "op_id": "o1"},
])
async def test_an_op_without_a_usable_origin_is_invalid_alone(
    server: Server, pair: PairFn, op: Any
) -> None:
    hub, _, crew = await _team(server, pair)
    good = crew.op("notes", "n1", title="kept", hlc=crew.hlc(NOW - 1000))
    async with hub.client:
        answer = await relay(hub, op, relayed(crew, good))
    assert answer["acked"] == acked((crew, good))
    [rejection] = answer["rejected"]
    assert (rejection["origin"], rejection["code"]) == (None, wire.INVALID_OP)
    assert rejection["op_id"] == (op.get("op_id") if isinstance(op, dict) else None)


async def test_clock_skew_and_record_size_apply_as_to_a_push(
    server: Server, pair: PairFn
) -> None:
    hub, _, crew = await _team(server, pair)
    ahead = crew.op("notes", "n1", title="x", hlc=crew.hlc(NOW + wire.MAX_CLOCK_SKEW_MS + 1000))
    # 771,000 bytes of reference ids: over the record cap in one op.
    huge = crew.op("custody_events", "e1", resolves=["\x01" * 128] * 1000,
                   hlc=crew.hlc(NOW - 1000))
    fine = crew.op("notes", "n2", title="short", hlc=crew.hlc(NOW - 900))
    async with hub.client:
        answer = await relay(hub, relayed(crew, ahead), relayed(crew, huge), relayed(crew, fine))
    assert answer["acked"] == acked((crew, fine))
    assert [(r["origin"], r["op_id"], r["code"]) for r in answer["rejected"]] == [
        (crew.device_id, ahead["op_id"], wire.CLOCK_SKEW),
        (crew.device_id, huge["op_id"], wire.RECORD_TOO_LARGE)]
    assert f"at most {MAX_RECORD_BYTES} bytes" in answer["rejected"][1]["message"]
    assert [c["id"] for c in (await crew.pull())["changes"]] == ["n2"]


async def test_a_relay_is_refused_whole_like_a_push(server: Server, pair: PairFn) -> None:
    hub, _, crew = await _team(server, pair)
    op = relayed(crew, crew.op("notes", "n1", title="x", hlc=crew.hlc(NOW - 1000)))
    async with hub.client:
        other = await hub.client.post("/v1/relay", json={
            "device_id": crew.device_id, "schema": 2, "ops": [op]})
        schema = await hub.client.post("/v1/relay", json={
            "device_id": hub.device_id, "schema": 99, "ops": [op]})
        many = await hub.client.post("/v1/relay", json={
            "device_id": hub.device_id, "schema": 2, "ops": [op] * 11})
        extra = await hub.client.post("/v1/relay", json={
            "device_id": hub.device_id, "schema": 2, "ops": [op], "origin": "x"})
        broken = await hub.client.post("/v1/relay", content=b"{not json")
    assert [(a.status_code, a.json()["error"]) for a in (other, schema, many, extra, broken)] == [
        (403, "device_mismatch"), (400, "unsupported_schema"), (413, "too_many_ops"),
        (400, "invalid_request"), (400, "malformed_json")]
    assert _seq(server, hub.team_id) == 0


async def test_a_relay_wakes_the_teams_waiting_pulls(server: Server, pair: PairFn) -> None:
    hub, coordinator, crew = await _team(server, pair)
    waiting = asyncio.ensure_future(coordinator.client.get(
        "/v1/pull", params={"cursor": 0, "wait": 20}))
    live = server.app.state.context.live
    for _ in range(2000):
        if live.waiting(coordinator.team_id) == 1:
            break
        await asyncio.sleep(0.005)
    assert live.waiting(coordinator.team_id) == 1
    async with hub.client:
        await relay(hub, relayed(crew, crew.op("notes", "n1", title="x", hlc=crew.hlc(NOW))))
    answer = await asyncio.wait_for(waiting, 10)
    assert [c["id"] for c in answer.json()["changes"]] == ["n1"]
