"""Live sync: a change on one phone reaches another with no sync call, by a debounced push
and the other phone's long-poll, through the real server app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from app.blobs import BlobStore
from app.store import Store, StoreChange
from sync import SyncEngine, SyncSettings, SyncState

from .conftest import World

#: No polling: only a long-poll (or a local change) can start a round.
LIVE_ONLY = SyncSettings(poll_interval_s=3600)
GENEROUS_S = 20.0


def _arrivals(store: Store, coll: str) -> asyncio.Queue[str]:
    """Ids of ``coll`` records that reach ``store`` from the server, as they commit."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[str] = asyncio.Queue()

    def on_commit(change: StoreChange) -> None:
        if change.remote:
            for record_id in change.collections.get(coll, ()):
                loop.call_soon_threadsafe(arrived.put_nowait, record_id)

    store.subscribe(on_commit)
    return arrived


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.005)


def _waiting(world: World) -> int:
    return int(world.app.state.context.live.waiting())


async def test_a_change_on_one_phone_shows_on_the_other_without_a_sync_call(
    world: World,
) -> None:
    grip = await world.paired_device(settings=LIVE_ONLY)
    camera = await world.paired_device(settings=LIVE_ONLY)
    at_camera, at_grip = _arrivals(camera.store, "notes"), _arrivals(grip.store, "notes")
    grip.engine.start()
    camera.engine.start()
    await asyncio.wait_for(_until(lambda: _waiting(world) == 2), GENEROUS_S)
    for turn in range(3):
        with grip.store.transaction() as tx:
            note = tx.insert("notes", {"title": f"Steadicam case out, take {turn}"})
        while (await asyncio.wait_for(at_camera.get(), GENEROUS_S)) != note:
            pass
        assert camera.store.get("notes", note)["title"] == f"Steadicam case out, take {turn}"
        with camera.store.transaction() as tx:
            reply = tx.insert("notes", {"title": f"seen, take {turn}"})
        while (await asyncio.wait_for(at_grip.get(), GENEROUS_S)) != reply:
            pass
    await asyncio.wait_for(_until(lambda: grip.engine.status.state is SyncState.SYNCED),
                           GENEROUS_S)
    # Each phone keeps at most one pull waiting; a local change cancels it and the
    # server frees it, so none are left over.
    await asyncio.wait_for(_until(lambda: _waiting(world) == 2), GENEROUS_S)
    await grip.engine.stop()
    await camera.engine.stop()
    await asyncio.wait_for(_until(lambda: _waiting(world) == 0), GENEROUS_S)


async def test_a_burst_of_edits_goes_out_in_one_push(world: World) -> None:
    phone = await world.paired_device(settings=SyncSettings(poll_interval_s=3600,
                                                           push_debounce_s=0.5))
    phone.engine.start()
    await asyncio.wait_for(_until(lambda: _waiting(world) == 1), GENEROUS_S)
    before = len(phone.network.answered_pushes)
    for n in range(5):
        with phone.store.transaction() as tx:
            tx.insert("notes", {"title": f"edit {n}"})
        await asyncio.sleep(0.01)  # typing: edits a few milliseconds apart
    await asyncio.wait_for(_until(lambda: phone.engine.status.pending == 0
                                  and len(phone.network.answered_pushes) > before), GENEROUS_S)
    pushes = phone.network.answered_pushes[before:]
    assert [len(body["ops"]) for body, _ in pushes] == [5]


class ServerWithoutWaiting(httpx.AsyncBaseTransport):
    """The world's app as a server that predates long-polls: ``wait`` is not heard."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.requests: list[tuple[str, bool]] = []  # (path, asked to wait)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.url.path, "wait" in request.url.params))
        request.url = request.url.copy_remove_param("wait")
        return await httpx.ASGITransport(app=self.world.app).handle_async_request(request)


async def test_a_server_that_answers_at_once_is_polled_not_hammered(world: World) -> None:
    store = Store.open(world.root / "old-server-phone")
    network = ServerWithoutWaiting(world)
    engine = SyncEngine(store, transport=network, blobs=BlobStore(world.root / "blobs-old"),
                        settings=SyncSettings(poll_interval_s=0.2))
    try:
        await engine.pair(world.join_link(), name="phone")
        engine.start()

        def rounds() -> int:
            return sum(path == "/v1/health" for path, _ in network.requests)

        await asyncio.wait_for(_until(lambda: rounds() >= 4), GENEROUS_S)
        long_polls = sum(waited for _, waited in network.requests)
        assert 1 <= long_polls <= rounds() + 1  # one per idle interval, not a busy loop
        assert engine.status.last_error is None and engine.failures == 0
    finally:
        await engine.stop()
        store.close()
