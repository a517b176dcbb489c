"""Pairing a base-camp hub upstream, and what only a hub's token may ask: the team's devices
(``GET /v1/hub/devices``) and registering devices paired at the hub (``POST``)."""

from __future__ import annotations

from typing import Any

import pytest

from app.hlc import wall_ms
from sync.server.auth import new_invite_code, secret_hash

from .conftest import PairFn, Server
from .hub_helpers import pair_body, pair_hub, relay


@pytest.mark.parametrize(("role", "extra"), [("hub", {}), ("hub", {"hub": True}),
                                             ("coordinator", {"hub": True})])
async def test_a_hub_pairs_with_a_hub_invite_or_a_coordinators_with_hub_true(
    server: Server, role: str, extra: dict[str, Any]
) -> None:
    response = await pair_body(server, "hub-1", role=role, **extra)
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "hub"
    [info] = server.storage.devices()
    assert (info.device_id, info.role) == ("hub-1", "hub")


async def test_a_coordinator_invite_without_hub_true_pairs_a_coordinator(
    server: Server,
) -> None:
    response = await pair_body(server, "laptop", role="coordinator", hub=False)
    assert response.status_code == 200 and response.json()["role"] == "coordinator"


async def test_a_crew_invite_cannot_pair_a_hub_and_stays_unused(server: Server) -> None:
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    async with server.client() as anonymous:
        response = await anonymous.post("/v1/devices", json={
            "invite": code, "device_id": "hub-1", "name": "hub", "hub": True})
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "not_a_hub_invite"
        assert server.storage.devices() == []
        # The invite was not used up: the same code pairs a crew device.
        again = await anonymous.post("/v1/devices", json={
            "invite": code, "device_id": "phone", "name": "phone"})
    assert again.status_code == 200 and again.json()["role"] == "crew"


async def test_a_pairing_with_hub_not_a_boolean_is_refused(server: Server) -> None:
    response = await pair_body(server, "hub-1", role="coordinator", hub="yes")
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


async def test_a_hub_may_not_push_its_own_edits_but_pulls(server: Server, pair: PairFn) -> None:
    phone = await pair("Film", "crew")
    await phone.push(phone.op("notes", "n1", title="Steadicam case out"))
    hub = await pair_hub(server)
    async with hub.client:
        response = await hub.client.post("/v1/push", json={
            "device_id": hub.device_id, "schema": 2,
            "ops": [hub.op("notes", "n2", title="written by the hub")]})
        assert response.status_code == 403, response.text
        assert response.json() == {"error": "hub_only",
                                   "message": "a hub relays through /v1/relay"}
        assert [c["id"] for c in (await hub.pull())["changes"]] == ["n1"]


@pytest.mark.parametrize("role", ["coordinator", "crew"])
async def test_hub_endpoints_refuse_every_other_device(pair: PairFn, role: str) -> None:
    device = await pair("Film", role)
    answers = [await device.client.get("/v1/hub/devices"),
               await device.client.post("/v1/hub/devices", json={"devices": []}),
               await device.client.post("/v1/relay", json={
                   "device_id": device.device_id, "schema": 2,
                   "ops": [{"origin": device.device_id, **device.op("notes", "n1", title="x")}]})]
    for answer in answers:
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "not_a_hub"
    assert (await device.pull())["changes"] == []


async def test_hub_endpoints_need_a_token(server: Server) -> None:
    async with server.client() as anonymous:
        answers = [await anonymous.get("/v1/hub/devices"),
                   await anonymous.post("/v1/hub/devices", json={"devices": []}),
                   await anonymous.post("/v1/relay", json={"device_id": "x", "schema": 2,
                                                           "ops": []})]
    assert [a.status_code for a in answers] == [401, 401, 401]


async def test_the_hub_lists_its_teams_devices_with_token_hashes_and_revocations(
    server: Server, pair: PairFn
) -> None:
    coordinator, crew = await pair("Film", "coordinator"), await pair("Film", "crew")
    await pair("Stage", "crew")  # another team: not listed
    hub = await pair_hub(server)
    await pair_hub(server, "hub-2")  # hubs are not listed
    revoked_at = wall_ms()
    assert server.storage.revoke(crew.device_id, revoked_at)
    async with hub.client:
        response = await hub.client.get("/v1/hub/devices")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"devices", "server_time"}
    listed = {d["device_id"]: d for d in body["devices"]}
    assert set(listed) == {coordinator.device_id, crew.device_id}
    assert listed[coordinator.device_id]["token_hash"] == secret_hash(coordinator.token)
    assert listed[coordinator.device_id]["role"] == "coordinator"
    assert listed[coordinator.device_id]["revoked_ms"] is None
    assert listed[crew.device_id]["revoked_ms"] == revoked_at
    assert listed[crew.device_id]["role"] == "crew"
    assert set(listed[crew.device_id]) == {"device_id", "name", "role", "token_hash",
                                           "paired_ms", "revoked_ms"}


def _device(device_id: str, token: str, role: str = "crew") -> dict[str, Any]:
    return {"device_id": device_id, "name": f"{device_id}'s phone", "role": role,
            "token_hash": secret_hash(token), "paired_ms": 1_764_324_000_000}


async def test_a_device_paired_at_the_hub_is_registered_once_and_then_syncs_upstream(
    server: Server,
) -> None:
    hub = await pair_hub(server)
    async with hub.client:
        first = await hub.client.post("/v1/hub/devices", json={"devices": [
            _device("phone-ana", "ana-token"), _device("laptop-bo", "bo-token", "coordinator")]})
        assert first.status_code == 200, first.text
        assert first.json() == {"accepted": ["phone-ana", "laptop-bo"], "rejected": []}
        again = await hub.client.post("/v1/hub/devices", json={"devices": [
            _device("phone-ana", "ana-token")]})
        assert again.json() == {"accepted": ["phone-ana"], "rejected": []}
        listed = (await hub.client.get("/v1/hub/devices")).json()["devices"]
    assert sorted(d["device_id"] for d in listed) == ["laptop-bo", "phone-ana"]
    roles = {d.device_id: (d.role, d.team_id, d.paired_ms) for d in server.storage.devices()}
    assert roles["phone-ana"] == ("crew", hub.team_id, 1_764_324_000_000)
    assert roles["laptop-bo"][0] == "coordinator"
    # The device's own token now works upstream, with no pairing there.
    async with server.client("ana-token") as ana:
        assert (await ana.get("/v1/pull")).status_code == 200


async def test_conflicting_registrations_are_rejected_and_change_nothing(
    server: Server, pair: PairFn
) -> None:
    other_team = await pair("Stage", "crew")
    hub = await pair_hub(server)
    ours = await pair("Film", "crew")
    async with hub.client:
        response = await hub.client.post("/v1/hub/devices", json={"devices": [
            _device("phone-new", "new-token"),
            _device(ours.device_id, "another-token"),  # known with another token
            _device(other_team.device_id, other_team.token),  # another team's device
            _device("phone-copy", ours.token),  # a token another device holds
            _device("phone-new", "third-token"),  # the same id again, another token
        ]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accepted"] == ["phone-new"]
    assert [(r["device_id"], r["code"]) for r in body["rejected"]] == [
        (ours.device_id, "device_exists"), (other_team.device_id, "device_exists"),
        ("phone-copy", "device_exists"), ("phone-new", "device_exists")]
    assert all(r["message"] for r in body["rejected"])
    stored = {d.device_id: d for d in server.storage.devices()}
    assert stored[other_team.device_id].team_id == other_team.team_id
    assert "phone-copy" not in stored
    assert server.storage.device_for_token(secret_hash(ours.token)) is not None
    assert server.storage.device_for_token(secret_hash("another-token")) is None
    assert server.storage.device_for_token(secret_hash("third-token")) is None


async def test_a_revoked_device_registered_again_stays_revoked(
    server: Server, pair: PairFn
) -> None:
    crew = await pair("Film", "crew")
    assert server.storage.revoke(crew.device_id, wall_ms())
    hub = await pair_hub(server)
    async with hub.client:
        response = await hub.client.post("/v1/hub/devices", json={"devices": [
            {**_device(crew.device_id, crew.token), "name": "renamed"}]})
        assert response.json()["accepted"] == [crew.device_id]
        assert (await crew.client.get("/v1/pull")).status_code == 401
        answer = await relay(hub, {"origin": crew.device_id,
                                   **crew.op("notes", "n1", title="after the revoke")})
    assert [r["code"] for r in answer["rejected"]] == ["device_revoked"]


@pytest.mark.parametrize("change", [
    {"role": "hub"}, {"role": "boss"}, {"token_hash": "A" * 64}, {"token_hash": "abc"},
    {"device_id": "a/b"}, {"name": ""}, {"name": "nul\u0000"}, {"paired_ms": -1},
    {"paired_ms": "1"}, {"extra": 1},
])
async def test_a_malformed_registration_is_refused_whole(
    server: Server, change: dict[str, Any]
) -> None:
    hub = await pair_hub(server)
    async with hub.client:
        response = await hub.client.post("/v1/hub/devices", json={"devices": [
            _device("phone-ok", "ok-token"), {**_device("phone-bad", "bad-token"), **change}]})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert [d.device_id for d in server.storage.devices()] == [hub.device_id]


async def test_at_most_1000_devices_register_at_once(server: Server) -> None:
    hub = await pair_hub(server)
    devices = [_device(f"phone-{n}", f"token-{n}") for n in range(1001)]
    async with hub.client:
        too_many = await hub.client.post("/v1/hub/devices", json={"devices": devices})
        assert too_many.status_code == 400, too_many.text
        enough = await hub.client.post("/v1/hub/devices", json={"devices": devices[:1000]})
    assert enough.status_code == 200 and len(enough.json()["accepted"]) == 1000
    assert len(server.storage.devices()) == 1001


async def test_a_hub_revoked_upstream_gets_401_everywhere(server: Server) -> None:
    hub = await pair_hub(server)
    assert server.storage.revoke(hub.device_id, wall_ms())
    async with hub.client:
        answers = [await hub.client.get("/v1/hub/devices"),
                   await hub.client.post("/v1/hub/devices", json={"devices": []}),
                   await hub.client.post("/v1/relay", json={
                       "device_id": hub.device_id, "schema": 2, "ops": []}),
                   await hub.client.get("/v1/pull")]
    assert [a.status_code for a in answers] == [401, 401, 401, 401]
