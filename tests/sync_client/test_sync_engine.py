"""One device against the real server app: what a round does, and how it fails safely."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from app.blobs import BlobStore, sha256_hex
from app.hlc import wall_ms
from app.store import BLOBS, OUTBOX
from sync import SyncSettings, SyncState
from sync.client._endpoints import cursor_of
from sync.server.limits import Limits

from .conftest import SERVER_URL, World


def _note(device: Any, title: str, body: str = "") -> str:
    with device.store.transaction() as tx:
        return tx.insert("notes", {"title": title, "body": body})


async def test_an_edit_reaches_another_device(world: World) -> None:
    a, b = await world.paired_device(), await world.paired_device()
    record = _note(a, "Generator needs diesel")
    status = await a.engine.sync_once()
    assert (status.state, status.pending, status.rejected) == (SyncState.SYNCED, 0, 0)
    assert status.synced_at_ms is not None and status.last_error is None
    await b.engine.sync_once()
    assert b.store.get("notes", record)["title"] == "Generator needs diesel"
    assert cursor_of(b.store, SERVER_URL) == cursor_of(a.store, SERVER_URL) > 0


async def test_rejected_ops_are_kept_and_reported_and_do_not_block_others(world: World) -> None:
    crew = await world.paired_device(role="crew")
    with crew.store.transaction() as tx:
        production = tx.insert("productions", {"name": "Tour"})  # crew may not
    note = _note(crew, "Truck 2 is late")
    status = await crew.engine.sync_once()
    assert (status.state, status.pending, status.rejected) == (SyncState.SYNCED, 0, 1)
    [rejected] = crew.engine.rejected_ops()
    assert (rejected.coll, rejected.id, rejected.code) == ("productions", production, "forbidden")
    assert "crew" in rejected.message
    assert crew.store.get("productions", production) is not None  # never dropped locally
    coordinator = await world.paired_device()
    await coordinator.engine.sync_once()
    assert coordinator.store.get("notes", note) is not None
    assert coordinator.store.get("productions", production) is None
    assert crew.engine.retry_rejected() == 1
    assert crew.engine.status.pending == 1
    assert (await crew.engine.sync_once()).rejected == 1  # still forbidden: kept again


async def test_a_revoked_token_stops_sync_and_keeps_the_outbox(world: World) -> None:
    device = await world.paired_device()
    await device.engine.sync_once()
    _note(device, "written after the phone was revoked")
    outbox = device.store.private(OUTBOX)
    world.storage.revoke(device.store.device_id, 0)
    status = await device.engine.sync_once()
    assert status.state is SyncState.PAIR_AGAIN and "pair again" in (status.last_error or "")
    assert device.store.private(OUTBOX) == outbox and status.pending == 1
    requests: list[httpx.Request] = []
    device.network.choose = lambda request: requests.append(request) or "pass"
    assert (await device.engine.sync_once()).state is SyncState.PAIR_AGAIN
    assert requests == []  # stopped: no more requests with a refused token


@pytest.mark.parametrize(("fault", "state"), [("offline", SyncState.OFFLINE),
                                              ("busy", SyncState.ERROR)])
async def test_no_signal_or_a_busy_server_loses_nothing(world: World, fault: str,
                                                        state: SyncState) -> None:
    device = await world.paired_device()
    _note(device, "offline edit")
    device.network.choose = lambda request: fault
    status = await device.engine.sync_once()
    assert (status.state, status.pending) == (state, 1)
    assert status.last_error
    device.network.choose = lambda request: "pass"
    assert (await device.engine.sync_once()).pending == 0


async def test_a_lost_push_answer_is_replayed_harmlessly(world: World) -> None:
    device = await world.paired_device()
    record = _note(device, "once")
    device.network.choose = lambda r: "drop_after_commit" if r.url.path == "/v1/push" else "pass"
    assert (await device.engine.sync_once()).pending == 1
    device.network.choose = lambda request: "pass"
    assert (await device.engine.sync_once()).pending == 0
    [first, replay] = device.network.answered_pushes
    assert first[0]["ops"] == replay[0]["ops"]
    page = world.storage.pull(device.store.meta("sync.team_id"), 0, 10)
    assert len(page.changes) == 1 and record in page.changes[0]


async def test_pushes_that_are_too_big_are_split(world: World) -> None:
    world.limits = Limits(max_ops_per_push=3, max_body_bytes=4000)
    world.restart()
    device = await world.paired_device()
    records = [_note(device, f"note {n}") for n in range(10)]
    huge = _note(device, "huge", body="x" * 5000)
    status = await device.engine.sync_once()
    assert (status.pending, status.rejected) == (0, 1)
    [rejected] = device.engine.rejected_ops()
    assert (rejected.id, rejected.code) == (huge, "body_too_large")
    assert max(len(request["ops"]) for request, _ in device.network.answered_pushes) <= 3
    other = await world.paired_device()
    await other.engine.sync_once()
    assert all(other.store.get("notes", r) for r in records)


async def test_photos_upload_before_the_ops_that_reference_them(world: World) -> None:
    device = await world.paired_device()
    blobs = BlobStore(device.store.directory / "blobs")
    sha = blobs.put(b"receipt jpeg bytes")
    seen: list[tuple[str, str]] = []
    device.network.choose = lambda r: seen.append((r.method, r.url.path)) or "pass"
    with device.store.transaction() as tx:
        tx.insert("notes", {"title": "damage", "photo": sha})
        tx.queue_blob(sha)
    assert (await device.engine.sync_once()).state is SyncState.SYNCED
    assert device.store.private(BLOBS) == {}
    assert seen.index(("PUT", f"/v1/blobs/{sha}")) < seen.index(("POST", "/v1/push"))
    assert (world.root / "server-blobs").exists()
    other = await world.paired_device()
    with other.store.transaction() as tx:
        tx.queue_blob(sha)  # the same receipt photographed on another phone
    other.network.choose = lambda r: seen.append((r.method, r.url.path)) or "pass"
    seen.clear()
    await other.engine.sync_once()
    assert ("HEAD", f"/v1/blobs/{sha}") in seen and ("PUT", f"/v1/blobs/{sha}") not in seen


async def test_an_unreadable_photo_stays_queued_and_is_reported(world: World) -> None:
    device = await world.paired_device()
    missing = sha256_hex(b"never stored")
    with device.store.transaction() as tx:
        tx.queue_blob(missing)
    status = await device.engine.sync_once()
    assert status.state is SyncState.SYNCED and "1 photo" in (status.last_error or "")
    assert missing in device.store.private(BLOBS)


async def test_pull_pages_advance_the_cursor_only_with_a_durable_merge(world: World) -> None:
    writer = await world.paired_device()
    records = [_note(writer, f"n{i}") for i in range(5)]
    await writer.engine.sync_once()
    reader = await world.paired_device(settings=SyncSettings(pull_limit=2))
    merges = 0
    real_merge = reader.store.merge_remote

    def failing_second_merge(records: Any, meta: Any = None) -> int:
        nonlocal merges
        merges += 1
        if merges == 2:
            raise OSError("disk full")
        return real_merge(records, meta)

    reader.store.merge_remote = failing_second_merge  # type: ignore[method-assign]
    status = await reader.engine.sync_once()
    assert status.state is SyncState.ERROR and "disk full" in (status.last_error or "")
    assert sum(reader.store.get("notes", r) is not None for r in records) == 2
    first_page_cursor = cursor_of(reader.store, SERVER_URL)
    assert 0 < first_page_cursor < cursor_of(writer.store, SERVER_URL)
    status = await reader.engine.sync_once()
    assert all(reader.store.get("notes", r) for r in records)
    assert cursor_of(reader.store, SERVER_URL) == cursor_of(writer.store, SERVER_URL)


async def test_server_time_corrects_a_wrong_device_clock(world: World) -> None:
    world.clock = lambda: wall_ms() + 3_600_000  # the device is an hour slow
    world.restart()
    device = await world.paired_device()
    await device.engine.sync_once()
    assert abs(device.store.clock.offset_ms - 3_600_000) < 60_000


async def _round_cancelled_at(device: Any, cut: int) -> bool:
    """Run a round, cancelling it during its ``cut``-th request; True if it finished first."""
    count = 0
    task: asyncio.Task[Any] | None = None

    def cancel_at_cut(request: httpx.Request) -> str:
        nonlocal count
        count += 1
        if count == cut and task is not None:
            task.cancel()  # lands on the request's await, before or after the answer
        return "pass"

    device.network.choose = cancel_at_cut
    task = asyncio.create_task(device.engine.sync_once())
    try:
        await task
    except asyncio.CancelledError:
        return False
    finally:
        device.network.choose = lambda request: "pass"
    return True


async def test_cancelling_at_any_await_loses_nothing(world: World) -> None:
    """Cancel the round at its 1st, 2nd, ... request (before or after the server saw it);
    a clean round afterwards always ends with everything pushed and pulled."""
    writer = await world.paired_device()
    for i in range(6):
        _note(writer, f"before {i}")
    await writer.engine.sync_once()
    reader = await world.paired_device(settings=SyncSettings(push_batch=2, pull_limit=2))
    cut, finished = 0, False
    while not finished:
        cut += 1
        for i in range(3):
            _note(reader, f"cut {cut} edit {i}")
        finished = await _round_cancelled_at(reader, cut)
        assert reader.engine.status.state is not SyncState.SYNCING
        assert (await reader.engine.sync_once()).pending == 0
    await writer.engine.sync_once()
    assert {n["id"]: n for n in writer.store.all("notes")} == {
        n["id"]: n for n in reader.store.all("notes")}
    assert len(writer.store.all("notes")) == 6 + 3 * cut
    assert cut > 4  # it cut at health, both push batches and both pull pages
