"""Pairing a hub into a test server, and relaying ops through it."""

from __future__ import annotations

from typing import Any

import httpx

from app.hlc import wall_ms
from sync.server.auth import new_invite_code, secret_hash

from .conftest import Paired, Server


async def pair_body(server: Server, device_id: str, team: str = "Film", role: str = "hub",
                    **extra: Any) -> httpx.Response:
    """POST /v1/devices under ``device_id`` with a new invite of ``role``."""
    code = new_invite_code()
    server.storage.create_invite(team, role, secret_hash(code), wall_ms())
    async with server.client() as anonymous:
        return await anonymous.post("/v1/devices", json={
            "invite": code, "device_id": device_id, "name": device_id, **extra})


async def pair_hub(server: Server, device_id: str = "hub-base-camp", team: str = "Film",
                   role: str = "hub", **extra: Any) -> Paired:
    """A hub paired with an invite of ``role`` (with ``"hub": true`` for a coordinator's)."""
    flag = {"hub": True} if role == "coordinator" else {}
    response = await pair_body(server, device_id, team, role, **flag, **extra)
    assert response.status_code == 200, response.text
    body = response.json()
    return Paired(device_id, body["token"], body["team_id"], body["role"],
                  server.client(body["token"]))


def relayed(origin: Paired | str, op: dict[str, Any]) -> dict[str, Any]:
    """``op`` as a hub relays it: with its origin device."""
    return {"origin": origin if isinstance(origin, str) else origin.device_id, **op}


async def relay(hub: Paired, *ops: Any, status: int = 200) -> dict[str, Any]:
    response = await hub.client.post(
        "/v1/relay", json={"device_id": hub.device_id, "schema": 2, "ops": list(ops)})
    assert response.status_code == status, response.text
    return dict(response.json())


def acked(*pairs: tuple[Paired | str, dict[str, Any]]) -> list[dict[str, str]]:
    """The ``acked`` list a relay of these (origin, op) answers."""
    return [{"origin": origin if isinstance(origin, str) else origin.device_id,
             "op_id": op["op_id"]} for origin, op in pairs]
