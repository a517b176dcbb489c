"""Pairing: turn a scanned ``crewkit://join?server=URL&code=CODE`` into a device token.

The join link is checked before anything goes on the network, so a mistyped or foreign
QR code gets a precise message rather than a connection error. What pairing yields
(server, token, team, role) lives in the store's meta, written in one transaction, so a
device is either fully paired or not at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import httpx

from ._api import Refused, SyncApi, SyncError

if TYPE_CHECKING:
    from app.store import Store

JOIN_SCHEME = "crewkit"
JOIN_HOST = "join"

SERVER, TOKEN, TEAM, ROLE, DEVICE, CURSOR = (
    "sync.server", "sync.token", "sync.team_id", "sync.role", "sync.device_id", "sync.cursor"
)


class PairingFailed(ValueError):
    """The join link is not valid, or the server refused it; ``str()`` says which."""


@dataclass(frozen=True)
class JoinLink:
    server: str
    code: str


@dataclass(frozen=True)
class Pairing:
    """What a paired device knows about its server (the token is never in a repr)."""

    server: str
    team_id: str
    role: str
    device_id: str
    token: str = field(repr=False)


def parse_join_link(uri: str) -> JoinLink:
    """Validate a join link and return its server URL (no trailing slash) and code."""
    text = uri.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() != JOIN_SCHEME or parts.netloc.lower() != JOIN_HOST:
        raise PairingFailed(f"not a Crewkit join link (expected crewkit://join?…): {text[:60]!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    for name in ("server", "code"):
        values = query.get(name, [])
        if len(values) != 1 or not values[0].strip():
            raise PairingFailed(f"the join link needs exactly one non-empty {name!r} parameter")
    server, code = query["server"][0].strip().rstrip("/"), query["code"][0].strip()
    target = urlsplit(server)
    if target.scheme not in ("http", "https") or not target.hostname:
        raise PairingFailed(f"the join link's server must be an http(s) URL, not {server!r}")
    if target.query or target.fragment:
        raise PairingFailed(f"the join link's server URL must not carry a query: {server!r}")
    return JoinLink(server, code)


def current_pairing(store: Store) -> Pairing | None:
    """The pairing stored in ``store``, or None if the device was never paired."""
    token = store.meta(TOKEN)
    if not token:
        return None
    return Pairing(store.meta(SERVER), store.meta(TEAM), store.meta(ROLE),
                   store.meta(DEVICE), token)


async def pair_device(
    store: Store,
    join_link: str,
    *,
    name: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Pairing:
    """Register this device with the server named in ``join_link``; store and return it.

    The server refuses a device id it already knows (a device paired before, then
    revoked); pairing then registers a fresh sync identity for the same store. That is
    safe: ops are deduplicated per sync identity, and replaying an op is harmless anyway.
    Joining a different team restarts the pull from the beginning of that team's history.
    """
    link = parse_join_link(join_link)
    async with httpx.AsyncClient(base_url=link.server, transport=transport) as client:
        api = SyncApi(client)
        device_id = store.meta(DEVICE) or store.device_id
        answer = await _register(api, link.code, device_id, name)
        if answer is None:
            device_id = f"{store.device_id}-{secrets.token_hex(4)}"
            answer = await _register(api, link.code, device_id, name)
    if answer is None or not all(isinstance(answer.get(k), str) for k in ("token", "team_id",
                                                                           "role")):
        raise PairingFailed(f"{link.server} gave an unexpected answer to pairing")
    pairing = Pairing(link.server, answer["team_id"], answer["role"], device_id, answer["token"])
    with store.transaction() as tx:
        if store.meta(TEAM) != pairing.team_id:
            tx.set_meta(CURSOR, 0)
        for key, value in ((SERVER, pairing.server), (TOKEN, pairing.token),
                           (TEAM, pairing.team_id), (ROLE, pairing.role), (DEVICE, device_id)):
            tx.set_meta(key, value)
    return pairing


async def _register(api: SyncApi, code: str, device_id: str, name: str) -> dict[str, str] | None:
    """The server's answer, or None when it already knows ``device_id``."""
    try:
        return await api.pair(code, device_id, name)
    except Refused as refusal:
        if refusal.code == "device_exists":
            return None
        raise PairingFailed(f"the server refused to pair: {refusal.message}") from None
    except SyncError as error:
        raise PairingFailed(f"could not pair: {error.message}") from None
