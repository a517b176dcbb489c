"""Live sync figure for ``bench.sync``: a change on phone A until it is in phone B's store,
with both engines running in the background (debounced push, long-poll) as in the app.

Beside it, the same run's plain round trip (``GET /v1/health``) on the same loopback
server, which bounds what any sync path could reach.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from app.store import StoreChange
from sync import SyncEngine, SyncState

from .common import emit, percentile

if TYPE_CHECKING:
    from .sync import Devices


async def _settled(engines: list[SyncEngine]) -> None:
    while not all(e.status.state is SyncState.SYNCED and not e.status.pending for e in engines):
        await asyncio.sleep(0.002)


def _arrivals(engine: SyncEngine) -> tuple[asyncio.Queue[tuple[str, float]], Callable[[], None]]:
    """(note id, arrival time) for every note merged into ``engine``'s store from the server."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

    def on_commit(change: StoreChange) -> None:
        now = time.perf_counter()
        if change.remote:
            for note in change.collections.get("notes", ()):
                loop.call_soon_threadsafe(arrived.put_nowait, (note, now))

    return arrived, engine.store.subscribe(on_commit)


async def round_trips(url: str, count: int) -> list[float]:
    async with httpx.AsyncClient(base_url=url) as client:
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            (await client.get("/v1/health")).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
        return samples


async def live_samples(phone_a: SyncEngine, phone_b: SyncEngine, changes: int) -> list[float]:
    """Milliseconds from a note committed on running ``phone_a`` until it is merged into
    running ``phone_b``'s store, once per change, each after both settled."""
    arrived, unsubscribe = _arrivals(phone_b)
    samples = []
    try:
        for n in range(changes):
            await asyncio.wait_for(_settled([phone_a, phone_b]), 30)
            started = time.perf_counter()
            with phone_a.store.transaction() as tx:
                note = tx.insert("notes", {"title": f"live change {n}"})
            while True:
                seen, at = await asyncio.wait_for(arrived.get(), 30)
                if seen == note:
                    break
            samples.append((at - started) * 1000)
    finally:
        unsubscribe()
    return samples


async def measure_live(devices: Devices, backend: str, changes: int) -> None:
    (phone_a, _), (phone_b, _) = await devices.new("Live"), await devices.new("Live")
    phone_a.start()
    phone_b.start()
    try:
        samples = await live_samples(phone_a, phone_b, changes)
    finally:
        await phone_a.stop()
        await phone_b.stop()
    reference = await round_trips(devices.url, changes)
    emit(bench="sync.live_change", backend=backend, changes=changes,
         ms_p50=round(statistics.median(samples), 1), ms_p99=round(percentile(samples, 99), 1),
         ms_max=round(max(samples), 1), push_debounce_ms=round(
             phone_a.settings.push_debounce_s * 1000),
         round_trip_reference_ms_p50=round(statistics.median(reference), 2))
