"""Property: however a team's ops reach the server — pushed directly, relayed by a hub,
both, repeated, in any order — the server ends with the state of every op merged once.

The reference is the merge rules themselves (``sync.merge.apply_op``), applied once per
op; the server must agree with it field by field and stamp by stamp, acknowledge every op
each time it arrives (or reject it the same way each time), and move no ``seq`` when
every op arrives once more.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.merge import RecordState, apply_op
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.storage import Storage

from .hub_helpers import relayed

NOW = 1_764_324_000_000
RECORDS = [("notes", "n1"), ("notes", "n2"), ("budget_lines", "b1")]
_teams = itertools.count()

# An op: (author 0 = coordinator / 1 = crew, record, ms offset, value or None to delete).
OPS = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(RECORDS), st.integers(0, 50),
                         st.one_of(st.none(), st.integers(0, 3))), min_size=1, max_size=12)
# A delivery: direct or relayed, and which ops (indices, repeats allowed) in which order.
DELIVERIES = st.lists(st.tuples(st.booleans(), st.lists(st.integers(0, 11), max_size=12)),
                      max_size=6)


def _op(author: str, number: int, record: tuple[str, str], offset: int,
        value: int | None) -> dict[str, Any]:
    coll, record_id = record
    hlc = f"{NOW - 1000 + offset:015d}:{number:06d}:{author}"
    if value is None:
        return {"op_id": f"op{number}", "coll": coll, "id": record_id, "hlc": hlc,
                "delete": True}
    field = {"title": f"t{value}"} if coll == "notes" else {"allocated_minor": value}
    return {"op_id": f"op{number}", "coll": coll, "id": record_id, "hlc": hlc, "set": field}


async def _pair(client: httpx.AsyncClient, storage: Storage, team: str, role: str,
                device_id: str) -> httpx.AsyncClient:
    code = new_invite_code()
    storage.create_invite(team, role, secret_hash(code), NOW)
    answer = await client.post("/v1/devices", json={"invite": code, "device_id": device_id,
                                                    "name": device_id})
    assert answer.status_code == 200, answer.text
    return httpx.AsyncClient(transport=client._transport, base_url="http://crewkit.test",
                             headers={"Authorization": f"Bearer {answer.json()['token']}"})


async def _deliver(storage: Storage, tmp: Path, specs: list[Any],
                   deliveries: list[tuple[bool, list[int]]]) -> None:
    team = f"T{next(_teams)}"
    ids = [f"{team}-coord", f"{team}-crew"]
    hub_id = f"{team}-hub"
    ops = [(ids[author], _op(ids[author], n, record, offset, value))
           for n, (author, record, offset, value) in enumerate(specs)]
    # Every op arrives at least once, at the end, by whichever way its index picks.
    deliveries = [*deliveries, *((n % 2 == 0, [n]) for n in range(len(ops)))]
    app = create_app(storage, tmp / "blobs", clock=lambda: NOW)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://crewkit.test") as anon:
        devices = {ids[0]: await _pair(anon, storage, team, "coordinator", ids[0]),
                   ids[1]: await _pair(anon, storage, team, "crew", ids[1])}
        hub = await _pair(anon, storage, team, "hub", hub_id)
        verdicts: dict[tuple[str, str], str] = {}  # (origin, op_id) -> "acked" or a code
        for direct, picks in deliveries:
            chosen = [ops[n] for n in picks if n < len(ops)]
            if direct:
                for origin, op in chosen:  # a direct push comes from its own device
                    answer = (await devices[origin].post("/v1/push", json={
                        "device_id": origin, "schema": 2, "ops": [op]})).json()
                    found = {op_id: "acked" for op_id in answer["acked"]} | {
                        r["op_id"]: r["code"] for r in answer["rejected"]}
                    _settle(verdicts, origin, op["op_id"], found[op["op_id"]])
            else:
                answer = (await hub.post("/v1/relay", json={
                    "device_id": hub_id, "schema": 2,
                    "ops": [relayed(origin, op) for origin, op in chosen]})).json()
                assert len(answer["acked"]) + len(answer["rejected"]) == len(chosen)
                for ack in answer["acked"]:
                    _settle(verdicts, ack["origin"], ack["op_id"], "acked")
                for rejection in answer["rejected"]:
                    _settle(verdicts, rejection["origin"], rejection["op_id"], rejection["code"])
        pulled = (await hub.get("/v1/pull", params={"cursor": 0, "limit": 100})).json()
        # Every op once more, both ways: acked again, and not one seq moves.
        again = (await hub.post("/v1/relay", json={
            "device_id": hub_id, "schema": 2,
            "ops": [relayed(origin, op) for origin, op in ops]})).json()
        for origin in ids:
            await devices[origin].post("/v1/push", json={
                "device_id": origin, "schema": 2, "ops": [op for o, op in ops if o == origin]})
        after = (await hub.get("/v1/pull", params={"cursor": 0, "limit": 100})).json()
        for client in [*devices.values(), hub]:
            await client.aclose()
    assert len(again["acked"]) == sum(v == "acked" for v in verdicts.values())
    assert after == {**pulled, "server_time": after["server_time"]}

    expected: dict[tuple[str, str], RecordState] = {}
    for origin, op in ops:
        forbidden = origin == ids[1] and op["coll"] == "budget_lines"
        assert verdicts[(origin, op["op_id"])] == ("forbidden" if forbidden else "acked")
        if not forbidden:
            key = (op["coll"], op["id"])
            expected[key], _ = apply_op(expected.get(key), op.get("set", {}), op["hlc"],
                                        op.get("delete", False))
    got = {(c["coll"], c["id"]): c for c in pulled["changes"]}
    assert set(got) == set(expected)
    for key, state in expected.items():
        assert got[key]["fields"] == state.visible_fields()
        assert got[key]["hlc"] == state.stamps
        assert got[key]["deleted"] == state.deleted


def _settle(verdicts: dict[tuple[str, str], str], origin: str, op_id: str, verdict: str) -> None:
    """Record an op's verdict; an op is judged the same way every time it arrives."""
    assert verdicts.setdefault((origin, op_id), verdict) == verdict, (origin, op_id)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=OPS, deliveries=DELIVERIES)
def test_relayed_and_direct_ops_converge_to_each_op_merged_once(
    storage: Storage, tmp_path: Path, specs: list[Any], deliveries: list[tuple[bool, list[int]]]
) -> None:
    asyncio.run(_deliver(storage, tmp_path, specs, deliveries))
