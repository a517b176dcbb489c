"""The hub's side of the conversation with its upstream server, one call per endpoint."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from sync.schema import SCHEMA_VERSION

from ..storage import HubLink, TeamDevice

#: Seconds an upstream request may take, a long-poll's wait aside.
TIMEOUT_S = 30.0


class UpstreamError(Exception):
    """Upstream answered with a refusal other than 401 (or an answer that is no JSON)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Revoked(UpstreamError):
    """Upstream answered 401: the hub's token is revoked (or unknown) there."""


def _checked(response: httpx.Response, *ok: int) -> httpx.Response:
    if response.status_code == 401:
        raise Revoked("the upstream server refuses this hub's token (401): it was revoked"
                      " there; pair the hub again with crewkit-server hub --join")
    if response.status_code not in (ok or (200,)):
        try:
            error = response.json()
            said = f"{error['error']}: {error['message']}"
        except (ValueError, KeyError, TypeError):
            said = response.text[:200]
        raise UpstreamError(f"upstream answered {response.status_code} to"
                            f" {response.request.method} {response.request.url.path}: {said}",
                            response.status_code)
    return response


class Upstream:
    """An open connection to the upstream server, as the hub's device."""

    def __init__(self, link: HubLink, transport: httpx.AsyncBaseTransport | None) -> None:
        assert link.upstream_url is not None and link.token is not None
        self.hub_id = link.hub_device_id
        self._client = httpx.AsyncClient(
            base_url=link.upstream_url, transport=transport, timeout=TIMEOUT_S,
            headers={"Authorization": f"Bearer {link.token}"})

    async def __aenter__(self) -> Upstream:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._client.aclose()

    async def devices(self) -> list[TeamDevice]:
        answer = _checked(await self._client.get("/v1/hub/devices")).json()
        return [TeamDevice(d["device_id"], d["name"], d["role"], d["token_hash"],
                           d["paired_ms"], d["revoked_ms"]) for d in answer["devices"]]

    async def register(self, devices: list[TeamDevice]) -> set[str]:
        """Register devices paired at the hub; the ids upstream accepted."""
        body = [{key: value for key, value in dataclasses.asdict(device).items()
                 if key != "revoked_ms"} for device in devices]
        answer = _checked(await self._client.post("/v1/hub/devices",
                                                  json={"devices": body})).json()
        return set(answer["accepted"])

    async def relay(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        response = await self._client.post(
            "/v1/relay", json={"device_id": self.hub_id, "schema": SCHEMA_VERSION, "ops": ops})
        return dict(_checked(response).json())

    async def pull(self, cursor: int, limit: int, wait_s: float) -> dict[str, Any]:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if wait_s:
            params["wait"] = wait_s
        response = await self._client.get("/v1/pull", params=params,
                                          timeout=httpx.Timeout(TIMEOUT_S + wait_s))
        return dict(_checked(response).json())

    async def has_blob(self, sha256: str) -> bool:
        response = await self._client.head(f"/v1/blobs/{sha256}")
        return _checked(response, 200, 404).status_code == 200

    async def put_blob(self, sha256: str, data: bytes) -> None:
        _checked(await self._client.put(f"/v1/blobs/{sha256}", content=data), 201)

    async def get_blob(self, sha256: str) -> bytes | None:
        """The blob's bytes, or None while upstream has none of that name for the team."""
        response = _checked(await self._client.get(f"/v1/blobs/{sha256}"), 200, 404)
        return response.content if response.status_code == 200 else None
