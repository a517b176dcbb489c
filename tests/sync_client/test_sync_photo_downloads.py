"""Photos travel: a receipt taken on one device reaches every other device of the team,
fetched from the real server app, retried after failures and after a restart."""

from __future__ import annotations

from app.blobs import BlobStore, sha256_hex
from app.store import Store
from sync import SyncEngine, SyncSettings, SyncState
from sync.client._downloads import BLOB_FIELDS, referenced_blobs

from .conftest import Device, World

RECEIPT = b"\xff\xd8\xff\xe0 a receipt photo's jpeg bytes"


def _expense_with_receipt(device: Device, photo: bytes = RECEIPT, *, upload: bool = True) -> str:
    sha = BlobStore(device.store.directory / "blobs").put(photo)
    with device.store.transaction() as tx:
        tx.insert("expenses", {"vendor": "Drogaria Central", "amount_minor": 1250,
                               "currency": "EUR", "receipt": sha})
        if upload:
            tx.queue_blob(sha)
    return sha


def _blobs(device: Device) -> BlobStore:
    return BlobStore(device.store.directory / "blobs")


def _blob_gets(device: Device) -> int:
    return sum(n for (fault, path), n in device.network.faults.items()
               if path.startswith("/v1/blobs/") and fault == "pass")


def _record_requests(device: Device) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    device.network.choose = lambda r: seen.append((r.method, r.url.path)) or "pass"
    return seen


def test_every_photo_field_of_the_schema_is_looked_at(tmp_path) -> None:
    assert BLOB_FIELDS == {"checklist_items": ("photo",), "equipment": ("photo",),
                           "custody_events": ("photo",), "expenses": ("receipt",),
                           "notes": ("photo",)}
    sha, gone = sha256_hex(b"x"), sha256_hex(b"deleted")
    store = Store.open(tmp_path / "device")
    try:
        with store.transaction() as tx:
            tx.insert("expenses", {"receipt": sha})
            tx.insert("expenses", {"receipt": None})
            tx.insert("notes", {"photo": "not a sha"})
            tx.insert("people", {"photo": gone})  # not a photo field of the schema
            deleted = tx.insert("custody_events", {"photo": gone})
        with store.transaction() as tx:
            tx.delete("custody_events", deleted)
        assert referenced_blobs(store) == {sha}
    finally:
        store.close()


async def test_a_receipt_reaches_the_other_device(world: World) -> None:
    taker = await world.paired_device()
    sha = _expense_with_receipt(taker)
    assert (await taker.engine.sync_once()).state is SyncState.SYNCED
    other = await world.paired_device(role="crew")
    seen = _record_requests(other)
    status = await other.engine.sync_once()
    assert status.state is SyncState.SYNCED and status.last_error is None
    assert ("GET", f"/v1/blobs/{sha}") in seen
    assert _blobs(other).read(sha) == RECEIPT
    seen.clear()
    await other.engine.sync_once()  # held now: never asked for again
    assert not [request for request in seen if request[1].startswith("/v1/blobs/")]


async def test_a_download_lost_to_the_network_is_fetched_after_a_restart(world: World) -> None:
    taker = await world.paired_device()
    sha = _expense_with_receipt(taker)
    await taker.engine.sync_once()
    other = await world.paired_device()
    other.network.choose = lambda r: "offline" if r.url.path.startswith("/v1/blobs/") else "pass"
    status = await other.engine.sync_once()
    assert status.state is SyncState.OFFLINE  # the engine backs off and tries again
    assert [e["receipt"] for e in other.store.all("expenses")] == [sha]  # records are in
    assert not _blobs(other).has(sha)

    # The app is closed and opened again: nothing remembered the failed download.
    await other.engine.stop()
    directory = other.store.directory
    other.store.close()
    store = Store.open(directory)
    try:
        engine = SyncEngine(store, transport=world.network(), blobs=BlobStore(directory / "blobs"))
        try:
            assert (await engine.sync_once()).state is SyncState.SYNCED
        finally:
            await engine.stop()
    finally:
        store.close()
    assert BlobStore(directory / "blobs").read(sha) == RECEIPT
    world.devices.remove(other)


async def test_a_photo_the_server_lacks_is_asked_for_again_after_a_backoff(
    world: World,
) -> None:
    taker = await world.paired_device()
    sha = _expense_with_receipt(taker, upload=False)  # its upload was never queued
    await taker.engine.sync_once()
    now = [1000.0]
    directory = world.root / "late-device"
    store = Store.open(directory)
    network = world.network()
    settings = SyncSettings()
    engine = SyncEngine(store, transport=network, blobs=BlobStore(directory / "blobs"),
                        settings=settings, monotonic=lambda: now[0])
    try:
        await engine.pair(world.join_link(), name="late phone")
        seen = []
        network.choose = lambda r: seen.append((r.method, r.url.path)) or "pass"
        status = await engine.sync_once()
        assert status.state is SyncState.SYNCED  # every record synced; the photo is owed
        assert "1 photo(s) have not arrived" in (status.last_error or "")
        asked = [("GET", f"/v1/blobs/{sha}")]
        assert [s for s in seen if s[1].startswith("/v1/blobs/")] == asked
        seen.clear()
        await engine.sync_once()
        assert not [s for s in seen if s[1].startswith("/v1/blobs/")]  # waiting its turn

        # The taker's phone uploads it at last; after the wait it is asked for and arrives.
        with taker.store.transaction() as tx:
            tx.queue_blob(sha)
        await taker.engine.sync_once()
        now[0] += settings.backoff.initial_s
        status = await engine.sync_once()
        assert [s for s in seen if s[1].startswith("/v1/blobs/")] == asked
        assert status.last_error is None
        assert BlobStore(directory / "blobs").read(sha) == RECEIPT
    finally:
        await engine.stop()
        store.close()


async def test_a_damaged_download_is_not_stored(world: World) -> None:
    taker = await world.paired_device()
    sha = _expense_with_receipt(taker)
    await taker.engine.sync_once()
    (world.root / "server-blobs" / sha[:2] / sha).write_bytes(b"bit rot")
    other = await world.paired_device()
    status = await other.engine.sync_once()
    assert status.state is SyncState.SYNCED and "1 photo(s)" in (status.last_error or "")
    assert not _blobs(other).has(sha)
