"""Pairing again under the same device id: after a revoke it works, while active it does not.

A device pairs under its own id (the node id of its HLC stamps), so "pair again" after a
401 is only possible if the server lets a revoked id take a new invite.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from app.hlc import wall_ms
from sync.server.auth import new_invite_code, secret_hash

from .conftest import Paired, PairFn, Server


async def pair_as(server: Server, device_id: str, team: str = "Film", role: str = "crew",
                  name: str = "phone") -> tuple[httpx.Response, str]:
    """POST /v1/devices under ``device_id`` with a new invite; the answer and the code."""
    code = new_invite_code()
    server.storage.create_invite(team, role, secret_hash(code), wall_ms())
    async with server.client() as anonymous:
        response = await anonymous.post(
            "/v1/devices", json={"invite": code, "device_id": device_id, "name": name})
    return response, code


def with_token(server: Server, device: Paired, answer: dict[str, Any]) -> Paired:
    """The same device (its op counter too, so op ids stay unique) under a new token."""
    return dataclasses.replace(device, token=answer["token"], team_id=answer["team_id"],
                               role=answer["role"], client=server.client(answer["token"]))


async def test_a_revoked_device_pairs_again_and_keeps_its_history(
    server: Server, pair: PairFn
) -> None:
    device = await pair("Film", "crew")
    before = device.op("notes", "n1", title="written before the revoke")
    await device.push(before)
    assert server.storage.revoke(device.device_id, wall_ms())

    response, _ = await pair_as(server, device.device_id, "Film", "coordinator", "Ana's phone")
    assert response.status_code == 200, response.text
    assert response.json()["team_id"] == device.team_id
    assert response.json()["role"] == "coordinator"
    again = with_token(server, device, response.json())
    async with again.client:
        # The old token stays dead: its hash was replaced, not revived.
        assert (await device.client.get("/v1/pull")).status_code == 401
        old_push = await device.client.post("/v1/push", json={
            "device_id": device.device_id, "schema": 1, "ops": []})
        assert old_push.status_code == 401
        # What it pushed before is still there, and its op ids still deduplicate.
        [change] = (await again.pull())["changes"]
        assert (change["id"], change["seq"]) == ("n1", 1)
        replay = await again.push(before)
        assert replay["acked"] == [before["op_id"]]
        assert (await again.pull())["cursor"] == 1
        after = again.op("productions", "p1", name="Tour")  # the new role applies
        assert (await again.push(after))["acked"] == [after["op_id"]]
    [info] = server.storage.devices()
    assert (info.device_id, info.name, info.role, info.revoked_ms) == (
        device.device_id, "Ana's phone", "coordinator", None)
    assert server.storage.revoke(device.device_id, wall_ms())  # revocable again


async def test_another_teams_invite_cannot_take_a_revoked_device_id(
    server: Server, pair: PairFn
) -> None:
    device = await pair("Film")
    await device.push(device.op("notes", "n1", title="for Film"))
    assert server.storage.revoke(device.device_id, wall_ms())
    taken, code = await pair_as(server, device.device_id, "Stage", name="thief")
    assert taken.status_code == 409, taken.text
    assert taken.json()["error"] == "device_in_other_team"
    assert "release" in taken.json()["message"]
    # Refused before anything changed: the invite still pairs a new id into Stage.
    async with server.client() as anonymous:
        other = await anonymous.post("/v1/devices", json={
            "invite": code, "device_id": "stage-phone", "name": "other"})
    assert other.status_code == 200, other.text
    # The owner comes back with an invite of its own team, and finds its records.
    back, _ = await pair_as(server, device.device_id, "Film", name="Ana's phone")
    assert back.status_code == 200, back.text
    owner = with_token(server, device, back.json())
    async with owner.client:
        assert owner.team_id == device.team_id
        assert [c["id"] for c in (await owner.pull())["changes"]] == ["n1"]


async def test_a_released_device_id_pairs_into_another_team(
    server: Server, pair: PairFn
) -> None:
    device, colleague = await pair("Film"), await pair("Film")
    await device.push(device.op("notes", "n1", title="for Film"))
    assert not server.storage.release(device.device_id)  # active: revoke it first
    assert server.storage.revoke(device.device_id, wall_ms())
    assert server.storage.release(device.device_id)
    response, _ = await pair_as(server, device.device_id, "Stage")
    assert response.status_code == 200, response.text
    moved = with_token(server, device, response.json())
    async with moved.client:
        assert moved.team_id != device.team_id
        assert (await moved.pull())["changes"] == []  # Film's records stay in Film
        await moved.push(moved.op("notes", "n2", title="for Stage"))
    assert [c["id"] for c in (await colleague.pull())["changes"]] == ["n1"]


async def test_an_active_device_id_cannot_be_paired_again(server: Server, pair: PairFn) -> None:
    device = await pair("Film")
    for team in ("Film", "Stage"):
        response, code = await pair_as(server, device.device_id, team, name="thief")
        assert response.status_code == 409 and response.json()["error"] == "device_exists"
        assert "revoke" in response.json()["message"]
        # Refused before anything changed: the invite is still good, the token still works.
        async with server.client() as anonymous:
            other = await anonymous.post("/v1/devices", json={
                "invite": code, "device_id": f"new-{team}", "name": "other"})
        assert other.status_code == 200, other.text
    assert (await device.client.get("/v1/pull")).status_code == 200
    assert [d.name for d in server.storage.devices() if d.device_id == device.device_id] == [
        device.device_id]


async def test_a_used_invite_does_not_re_pair_a_revoked_device(
    server: Server, pair: PairFn
) -> None:
    device = await pair()
    response, code = await pair_as(server, "someone-else")
    assert response.status_code == 200
    assert server.storage.revoke(device.device_id, wall_ms())
    async with server.client() as anonymous:
        reused = await anonymous.post("/v1/devices", json={
            "invite": code, "device_id": device.device_id, "name": "phone"})
    assert reused.status_code == 403 and reused.json()["error"] == "invalid_invite"
    assert [d.revoked_ms is None for d in server.storage.devices()
            if d.device_id == device.device_id] == [False]
