"""``crewkit-server hub --join LINK``: pair the hub upstream and store the link.

The hub pairs as a device of the team with ``"hub": true`` (a hub or coordinator
invite), keeps the id it paired under (a hub revoked upstream pairs again under the same
id), and takes the upstream team's id and name for its local team.
"""

from __future__ import annotations

import secrets

import httpx

from sync.links import PairingFailed, parse_join_link

from ..storage import HubLink, HubLinkError, Storage

#: Seconds the pairing request may take.
JOIN_TIMEOUT_S = 30.0


def _refuse_own_team_with_data(storage: Storage) -> None:
    """A hub with a team of its own that holds records or devices joins no other team
    (checked before pairing, so the invite is not used up for nothing)."""
    link = storage.hub_link()
    if link is None or link.upstream_url is not None:
        return
    if storage.pull(link.team_id, 0, 1).changes or storage.team_devices(link.team_id):
        raise HubLinkError(
            f"this hub's own team {link.team_name!r} already has records or devices, and an"
            " upstream team has another id: serve the upstream team from a new --data"
            " directory (the own team's devices then pair again there)")


async def join_upstream(storage: Storage, join_link: str, name: str, now_ms: int,
                        transport: httpx.AsyncBaseTransport | None = None) -> HubLink:
    """Pair this hub with the server ``join_link`` names and store the link."""
    link = parse_join_link(join_link)
    server, code = link.server, link.code
    _refuse_own_team_with_data(storage)
    existing = storage.hub_link()
    hub_id = (existing.hub_device_id if existing and existing.hub_device_id
              else "hub-" + secrets.token_hex(8))
    try:
        async with httpx.AsyncClient(base_url=server, transport=transport,
                                     timeout=JOIN_TIMEOUT_S) as client:
            response = await client.post("/v1/devices", json={
                "invite": code, "device_id": hub_id, "name": name, "hub": True})
    except httpx.HTTPError as error:
        raise PairingFailed(f"could not reach {server}: {error}") from None
    if response.status_code != 200:
        try:
            said = response.json()["message"]
        except (ValueError, KeyError, TypeError):
            said = response.text[:200]
        raise PairingFailed(f"{server} refused the hub ({response.status_code}): {said}")
    body = response.json()
    team_name = body.get("team_name") or (existing.team_name if existing else body["team_id"])
    return storage.link_upstream(body["team_id"], team_name, server, body["token"], hub_id,
                                 now_ms)
