"""The protocol's endpoints as async methods, and its failures as a few exception types.

The sync engine decides what to do next from the *kind* of failure alone: no answer at
all (offline), a refused token (pair again), a busy or failing server (retry later), or
a refusal it cannot retry into success. Everything httpx or the server can produce is
mapped onto those here, so no other module inspects status codes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import httpx

from sync import wire
from sync.schema import SCHEMA_VERSION

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class SyncError(Exception):
    """A failed exchange; ``code`` is the protocol's error code where there is one."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Unreachable(SyncError):
    """No answer: no signal, server down, or the connection dropped mid-exchange."""


class Unauthorized(SyncError):
    """The server no longer accepts this device's token (revoked, or never valid)."""


class ServerBusy(SyncError):
    """A 5xx or 429: the server may well accept the same request later."""


class Refused(SyncError):
    """A 4xx answer that repeating the same request cannot change."""


class SyncApi:
    """One server, one device token (``None`` before pairing)."""

    def __init__(self, client: httpx.AsyncClient, token: str | None = None) -> None:
        self._client = client
        self._auth = {"Authorization": f"Bearer {token}"} if token else {}
        #: Round-trip time of the last answered request, for the clock's correction.
        self.last_round_trip_ms = 0

    async def health(self) -> dict[str, Any]:
        return await self._json("GET", "/v1/health")

    async def pair(self, invite: str, device_id: str, name: str) -> dict[str, Any]:
        body = {"invite": invite, "device_id": device_id, "name": name}
        return await self._json("POST", "/v1/devices", json=body)

    async def has_blob(self, sha256: str) -> bool:
        response = await self._send("HEAD", f"/v1/blobs/{sha256}", allow_missing=True)
        return response.status_code == 200

    async def put_blob(self, sha256: str, data: bytes) -> None:
        await self._send("PUT", f"/v1/blobs/{sha256}", content=data)

    async def get_blob(self, sha256: str) -> bytes | None:
        """The blob's bytes, or None if the team's server does not hold it (yet)."""
        response = await self._send("GET", f"/v1/blobs/{sha256}", allow_missing=True)
        return response.content if response.status_code == 200 else None

    async def push(self, device_id: str, ops: Sequence[wire.Op]) -> wire.PushResponse:
        body = {"device_id": device_id, "schema": SCHEMA_VERSION, "ops": list(ops)}
        return await self._json("POST", "/v1/push", json=body)  # type: ignore[return-value]

    async def pull(self, cursor: int, limit: int, *, wait_s: float = 0) -> wire.PullResponse:
        """A page of changes after ``cursor``; with ``wait_s`` a long-poll that answers when
        the team has news or after ``wait_s`` seconds (the read timeout allows for it)."""
        params: dict[str, float] = {"cursor": cursor, "limit": limit}
        extra: dict[str, Any] = {}
        if wait_s:
            params["wait"] = wait_s
            timeout = self._client.timeout
            extra["timeout"] = httpx.Timeout(timeout.connect, read=(timeout.read or 0) + wait_s,
                                             write=timeout.write, pool=timeout.pool)
        return await self._json("GET", "/v1/pull", params=params,  # type: ignore[return-value]
                                **extra)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._send(method, path, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise ServerBusy("bad_response", f"{method} {path} answered with non-JSON") from None

    async def _send(
        self, method: str, path: str, *, allow_missing: bool = False, **kwargs: Any
    ) -> httpx.Response:
        started = time.monotonic()
        try:
            response = await self._client.request(method, path, headers=self._auth, **kwargs)
        except httpx.TransportError as error:
            detail = f"{type(error).__name__}: {error}"[:160]
            raise Unreachable("unreachable", f"no answer from the server ({detail})") from None
        self.last_round_trip_ms = round((time.monotonic() - started) * 1000)
        status = response.status_code
        if status < 300 or (allow_missing and status == 404):
            return response
        code, message = _error_of(response)
        if status == 401:
            raise Unauthorized(code, message)
        if status in RETRYABLE_STATUS or status >= 500:
            raise ServerBusy(code, message)
        raise Refused(code, message)


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """The protocol's ``{"error", "message"}`` body, or a description of what came instead."""
    request = response.request
    fallback = f"HTTP {response.status_code} from {request.method} {request.url.path}"
    try:
        body = response.json()
    except ValueError:
        return f"http_{response.status_code}", fallback
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"], str(body.get("message", fallback))
    return f"http_{response.status_code}", fallback
