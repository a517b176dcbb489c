"""Pairing: turn a scanned ``crewkit://join?server=URL&code=CODE`` into a device token.

The join link is checked first (``sync.links``). What pairing yields
(server, token, team, role) lives in the store's meta, written in one transaction, so a
device is either fully paired or not at all.

A pairing attempt is bounded (``PAIRING_TIMEOUT_S`` in all): a server that cannot be
reached, or never answers, fails the attempt with a sentence saying what to check, so
the person can fix it and try again instead of waiting on a spinner.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from sync.links import PairingFailed, parse_join_link

from ._api import Refused, SyncApi, SyncError, Unreachable
from ._outbox import hold_for_team_change

if TYPE_CHECKING:
    from app.store import Store

PAIRING_TIMEOUT_S = 20.0
"""The longest a pairing attempt waits for the server, connecting included."""

SERVER, TOKEN, TEAM, ROLE = "sync.server", "sync.token", "sync.team_id", "sync.role"
#: Pull cursors by endpoint URL (see ``_endpoints``); ``CURSOR`` is the single one of
#: stores written before hubs, migrated on the engine's start.
CURSORS, CURSOR = "sync.cursors", "sync.cursor"


@dataclass(frozen=True)
class Pairing:
    """What a paired device knows about its server (the token is never in a repr)."""

    server: str
    team_id: str
    role: str
    device_id: str
    token: str = field(repr=False)


def current_pairing(store: Store) -> Pairing | None:
    """The pairing stored in ``store``, or None if the device was never paired."""
    token = store.meta(TOKEN)
    if not token:
        return None
    return Pairing(store.meta(SERVER), store.meta(TEAM), store.meta(ROLE), store.device_id,
                   token)


async def pair_device(
    store: Store,
    join_link: str,
    *,
    name: str,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout_s: float = PAIRING_TIMEOUT_S,
) -> Pairing:
    """Register this device with the server named in ``join_link``; store and return it.

    The device registers under ``store.device_id``, the node id of its HLC stamps, which
    the server checks against the pushing device. Joining a different team restarts the
    pull from the beginning of that team's history and holds the ops still waiting to
    be pushed (they were made for the old team) as rejected, visible and retryable.
    Raises PairingFailed if the server refuses, cannot be reached or does not answer
    within ``timeout_s``; nothing is stored then.
    """
    link = parse_join_link(join_link)
    check = "Check that the server is running and that this device is on its network"
    client = httpx.AsyncClient(base_url=link.server, transport=transport,
                               timeout=httpx.Timeout(timeout_s))
    async with client:
        try:
            async with asyncio.timeout(timeout_s):
                answer = await SyncApi(client).pair(link.code, store.device_id, name)
        except TimeoutError:
            raise PairingFailed(
                f"The server at {link.server} did not answer within {timeout_s:g} seconds. "
                f"{check}, then tap Pair to try again."
            ) from None
        except Refused as refusal:
            raise PairingFailed(f"The server refused to pair: {refusal.message}") from None
        except Unreachable:
            raise PairingFailed(
                f"Could not reach the server at {link.server}. {check}, then tap Pair to "
                "try again."
            ) from None
        except SyncError as error:
            raise PairingFailed(
                f"The server at {link.server} could not pair this device just now "
                f"({error.message}). Tap Pair to try again."
            ) from None
    if not isinstance(answer, dict) or not all(
        isinstance(answer.get(key), str) for key in ("token", "team_id", "role")
    ):
        raise PairingFailed(f"{link.server} gave an unexpected answer to pairing")
    pairing = Pairing(link.server, answer["team_id"], answer["role"], store.device_id,
                      answer["token"])
    previous_team = store.meta(TEAM)
    with store.transaction() as tx:
        if previous_team != pairing.team_id:
            tx.set_meta(CURSORS, {})  # every endpoint's pull restarts for the new team
            if previous_team is not None:
                hold_for_team_change(store, tx)
        for key, value in ((SERVER, pairing.server), (TOKEN, pairing.token),
                           (TEAM, pairing.team_id), (ROLE, pairing.role)):
            tx.set_meta(key, value)
    return pairing
