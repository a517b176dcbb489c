"""One sync round, in the order that keeps every promise: reachability, blobs, push, pull,
then the photos the pulled records name.

Blobs go first because an op may reference a photo, and the server should never hold a
reference to bytes it cannot serve. Pushing before pulling means the pull brings back the
merged result of this device's own changes. Photos are fetched last, so the records (the
amounts, names and ticks a crew needs first) arrive before the bytes do.

Every store write is one transaction run off the event loop, and the cursor is written
in the same transaction as the records of its page, so cancelling the round at any await
(or losing any response) leaves the device in a state the next round simply continues
from: ops stay queued until acknowledged, and the cursor never gets ahead of what was
merged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.blobs import sha256_hex
from sync import wire
from sync.merge import DELETED, RecordState

from ._api import Refused, ServerBusy, SyncApi
from ._downloads import MissingBlobs
from ._endpoints import HUB, Endpoint, cursor_meta, cursor_of, synced_meta
from ._outbox import forget_blob, pending_blobs, pending_ops, reject_from_upstream, settle
from ._status import SyncProgress

if TYPE_CHECKING:
    from app.store import Store

SYNCED_AT = "sync.synced_at"
#: Refusals that mean "this push was too big", not "these ops are wrong".
TOO_BIG = frozenset({"too_many_ops", "body_too_large"})


class DeviceBlobs(Protocol):
    """The device's photo files (``app.blobs.BlobStore``)."""

    def read(self, sha256: str) -> bytes: ...

    def has(self, sha256: str) -> bool: ...

    def put(self, data: bytes) -> str: ...


@dataclass(frozen=True)
class RoundResult:
    synced_at_ms: int
    #: Photos queued for upload whose files could not be read on this device.
    unreadable_blobs: tuple[str, ...] = ()
    #: Photos named by the device's records that it still does not hold.
    missing_blobs: int = 0
    #: Where the round synced; the paired server turns out a hub if its health says so.
    endpoint: Endpoint | None = None
    #: The ``hub`` block of the endpoint's health answer, if it is a hub.
    hub: dict[str, Any] | None = None


class SyncRound:
    def __init__(
        self,
        store: Store,
        api: SyncApi,
        endpoint: Endpoint,
        device_id: str,
        blobs: DeviceBlobs,
        missing: MissingBlobs,
        report: Callable[[SyncProgress], None],
        push_batch: int,
        pull_limit: int,
    ) -> None:
        self.store = store
        self.api = api
        self.endpoint = endpoint
        self.device_id = device_id
        self.blobs = blobs
        self.missing = missing
        self.report = report
        self.push_batch = push_batch
        self.pull_limit = pull_limit

    async def run(self) -> RoundResult:
        health = await self.api.health()
        hub = health.get("hub") if isinstance(health, dict) else None
        hub = hub if isinstance(hub, dict) else None
        if hub is not None and self.endpoint.kind != HUB:  # paired through a hub's invite
            self.endpoint = Endpoint(HUB, self.endpoint.url,
                                     str(hub.get("name") or self.endpoint.name))
        unreadable = await self.upload_blobs()
        await self.push()
        await self.pull()
        missing = await self.download_blobs()
        return RoundResult(self.store.meta(SYNCED_AT), unreadable, missing, self.endpoint, hub)

    async def upload_blobs(self) -> tuple[str, ...]:
        shas = pending_blobs(self.store)
        unreadable = []
        for done, sha in enumerate(shas, start=1):
            if not await self.api.has_blob(sha):
                try:
                    data = await asyncio.to_thread(self.blobs.read, sha)
                except (OSError, ValueError):
                    unreadable.append(sha)  # kept queued: the file may yet reappear
                    continue
                await self.api.put_blob(sha, data)
            await asyncio.to_thread(forget_blob, self.store, sha)
            self.report(SyncProgress("blobs", done, len(shas)))
        return tuple(unreadable)

    async def download_blobs(self) -> int:
        """Fetch the photos the records name and the device lacks; return how many are
        still missing. A photo the server does not give is tried again after its backoff;
        losing the server altogether ends the round (the engine backs off)."""
        due, missing = await asyncio.to_thread(self.missing.scan, self.store)
        for done, sha in enumerate(due, start=1):
            try:
                data = await self.api.get_blob(sha)
            except (Refused, ServerBusy):
                data = None
            if data is None or sha256_hex(data) != sha:
                self.missing.failed(sha)  # not there yet, or damaged on the way
            else:
                await asyncio.to_thread(self.blobs.put, data)
                self.missing.arrived(sha)
                missing -= 1
            self.report(SyncProgress("photos", done, len(due)))
        return missing

    async def push(self) -> None:
        """Push pending ops oldest first, halving the batch when the server says it is
        too big, until a single op is too big: that op is rejected on the device."""
        batch, pushed = self.push_batch, 0
        while ops := pending_ops(self.store, batch):
            try:
                answer = await self.api.push(self.device_id, ops)
            except Refused as refusal:
                if refusal.code not in TOO_BIG:
                    raise
                if len(ops) > 1:
                    batch = len(ops) // 2
                    continue
                answer = {"acked": [], "rejected": [
                    {"op_id": ops[0]["op_id"], "code": refusal.code, "message": refusal.message}
                ], "server_time": 0}
            self._observe(answer["server_time"])
            settled = await asyncio.to_thread(settle, self.store, answer["acked"],
                                              answer["rejected"])
            if not settled:
                raise ServerBusy("bad_response", "the server settled none of the pushed ops")
            pushed += settled
            self.report(SyncProgress("push", pushed))

    async def pull(self) -> None:
        """Pull pages until ``more`` is false; each page and the endpoint's cursor are one
        transaction. Ops the company server refused (a hub reports them in its pages) are
        marked rejected first, so a page's cursor never passes a rejection not recorded."""
        url = self.endpoint.url
        cursor, pulled = cursor_of(self.store, url), 0
        while True:
            page = await self.api.pull(cursor, self.pull_limit)
            self._observe(page["server_time"])
            records = _records_of(page)
            rejected = page.get("rejected") or []
            if isinstance(rejected, list) and rejected:
                await asyncio.to_thread(reject_from_upstream, self.store, rejected)
            meta: dict[str, Any] = cursor_meta(self.store, url, page["cursor"])
            if not page["more"]:
                now_ms = time.time_ns() // 1_000_000
                meta[SYNCED_AT] = now_ms
                meta.update(synced_meta(self.store, self.endpoint, now_ms))
            elif (not records and not rejected) or page["cursor"] <= cursor:
                raise ServerBusy("bad_response", "the server's pull made no progress")
            await asyncio.to_thread(self.store.merge_remote, records, meta)
            pulled += len(records)
            self.report(SyncProgress("pull", pulled))
            if not page["more"]:
                return
            cursor = page["cursor"]

    def _observe(self, server_ms: int) -> None:
        if server_ms > 0:
            self.store.clock.observe_server_time(server_ms, self.api.last_round_trip_ms)


def _records_of(page: wire.PullResponse) -> list[tuple[str, str, RecordState]]:
    try:
        records = []
        for change in page["changes"]:
            fields = dict(change["fields"])
            if change["deleted"]:
                fields[DELETED] = True
            records.append((change["coll"], change["id"], RecordState(fields, dict(change["hlc"]))))
        return records
    except (KeyError, TypeError, ValueError) as error:
        raise ServerBusy("bad_response", f"a pull page is malformed ({error!r})") from None
