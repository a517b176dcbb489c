"""Revoked, then paired again: the device keeps its id and its outbox, and carries on.

The device's id is the node id of its stamps, so it must pair again under that same id;
the edits it queued while refused are then pushed under the new token.
"""

from __future__ import annotations

import asyncio

import httpx

from app.hlc import wall_ms
from app.store import OUTBOX
from sync import SyncState, SyncStatus, current_pairing

from .conftest import Device, World


async def _until(seen: list[SyncStatus], wanted: SyncState, pending: int) -> SyncStatus:
    """Yield to the engine until it has published ``wanted`` with ``pending`` ops left."""
    while not seen or (seen[-1].state, seen[-1].pending) != (wanted, pending):
        await asyncio.sleep(0)
    return seen[-1]


def _note(device: Device, title: str) -> str:
    with device.store.transaction() as tx:
        return tx.insert("notes", {"title": title})


async def test_revoke_then_pair_again_resumes_sync_and_acks_the_queued_ops(
    world: World,
) -> None:
    device = await world.paired_device()
    before = _note(device, "synced before the revoke")
    seen: list[SyncStatus] = []
    device.engine.subscribe(seen.append)
    device.engine.start()
    await asyncio.wait_for(_until(seen, SyncState.SYNCED, 0), 10)
    old = current_pairing(device.store)
    assert old is not None

    # Revoked: the next round gets a 401 and stops, with every queued op kept.
    assert world.storage.revoke(device.store.device_id, wall_ms())
    queued = [_note(device, "written after the revoke")]
    outbox = device.store.private(OUTBOX)
    refused = await asyncio.wait_for(_until(seen, SyncState.PAIR_AGAIN, 1), 10)
    assert "pair again" in (refused.last_error or "")
    assert device.store.private(OUTBOX) == outbox
    requests: list[httpx.Request] = []
    device.network.choose = lambda request: requests.append(request) or "pass"
    queued.append(_note(device, "written while refused"))
    await asyncio.wait_for(_until(seen, SyncState.PAIR_AGAIN, 2), 10)
    assert requests == []  # no request goes out with a refused token

    # A new invite pairs the same device id again, and the background task resumes.
    pairing = await device.engine.pair(world.join_link(), name="test phone")
    assert pairing.device_id == old.device_id and pairing.team_id == old.team_id
    assert pairing.token != old.token
    await asyncio.wait_for(_until(seen, SyncState.SYNCED, 0), 10)
    assert device.store.private(OUTBOX) == {}
    pushed = [r for r in requests if r.url.path == "/v1/push"]
    assert pushed and all(r.headers["authorization"] == f"Bearer {pairing.token}"
                          for r in pushed)
    [info] = world.storage.devices()
    assert (info.device_id, info.revoked_ms) == (device.store.device_id, None)

    other = await world.paired_device()
    await other.engine.sync_once()
    assert all(other.store.get("notes", r) for r in [before, *queued])
