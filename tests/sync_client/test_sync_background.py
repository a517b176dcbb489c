"""The background task: syncs after local changes, backs off while failing, stops cleanly."""

from __future__ import annotations

import asyncio
import random

import httpx

from sync import Backoff, SyncSettings, SyncState, SyncStatus

from .conftest import World


def test_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    backoff = Backoff(initial_s=2.0, factor=2.0, max_s=60.0)
    rng = random.Random(7)
    for failures, base in [(1, 2.0), (2, 4.0), (3, 8.0), (6, 60.0), (40, 60.0)]:
        delays = {backoff.delay(failures, rng) for _ in range(50)}
        assert all(base / 2 <= d <= base for d in delays)
        assert len(delays) > 1  # jittered: phones that failed together retry apart


async def _until(seen: list[SyncStatus], wanted: SyncState, pending: int = 0) -> None:
    """Yield to the engine until it has published ``wanted`` with ``pending`` ops left."""
    while not seen or (seen[-1].state, seen[-1].pending) != (wanted, pending):
        await asyncio.sleep(0)


async def test_a_local_change_syncs_in_the_background(world: World) -> None:
    device = await world.paired_device()
    seen: list[SyncStatus] = []
    device.engine.subscribe(seen.append)
    device.engine.start()
    await asyncio.wait_for(_until(seen, SyncState.SYNCED), 10)
    seen.clear()
    with device.store.transaction() as tx:
        tx.insert("notes", {"title": "call time moved"})
    await asyncio.wait_for(_until(seen, SyncState.SYNCED), 10)
    assert seen[-1].pending == 0
    assert any(s.state is SyncState.SYNCING and s.progress for s in seen)
    assert any(s.pending == 1 for s in seen)  # the chip showed the queued edit
    await device.engine.stop()
    await device.engine.stop()


async def test_failures_back_off_and_sync_now_retries_at_once(world: World) -> None:
    settings = SyncSettings(backoff=Backoff(initial_s=3600, max_s=3600))
    device = await world.paired_device(settings=settings)
    attempts = 0

    def offline(request: httpx.Request) -> str:
        nonlocal attempts
        attempts += 1
        return "offline"

    device.network.choose = offline
    seen: list[SyncStatus] = []
    device.engine.subscribe(seen.append)
    device.engine.start()
    await asyncio.wait_for(_until(seen, SyncState.OFFLINE), 10)
    assert device.engine.failures == 1
    with device.store.transaction() as tx:
        tx.insert("notes", {"title": "edit while offline"})
    await asyncio.wait_for(_until(seen, SyncState.OFFLINE, pending=1), 10)
    for _ in range(50):
        await asyncio.sleep(0)
    assert (attempts, device.engine.failures) == (1, 1)  # the edit waits for the backoff
    device.network.choose = lambda request: "pass"
    seen.clear()
    device.engine.sync_now()
    await asyncio.wait_for(_until(seen, SyncState.SYNCED), 10)
    assert seen[-1].pending == 0 and device.engine.failures == 0
