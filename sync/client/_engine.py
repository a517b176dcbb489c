"""The sync engine: runs rounds on demand and in the background, and keeps the status.

The background task syncs shortly after every local change (a burst of edits goes in one
push), hears of other devices' changes by long-poll while things go well (and runs a
round every poll interval regardless), and backs off exponentially (with jitter, so a crew's phones
regaining signal together do not hammer the server in step) while they do not. A 401
stops it until the device is paired again; the outbox is never touched by that.

Each round syncs with one endpoint (see ``_choice``): a reachable base-camp hub of the
device's team (found by a ``HubFinder``, or the address set with ``set_hub_address``),
else the paired server. A hub that fails mid-round is left for ``hub_retry_s`` and the
round is run with the server at once (if the server fails too, the next round asks the
hub again straight away).
Each endpoint has its own pull cursor, and long-polls go to the endpoint of the last
round. Pushing the same op to a hub and to the server is harmless: every tier dedupes
on (device, op id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from ._api import SyncApi, SyncError, Unauthorized, Unreachable
from ._choice import PAIRED, PROBE_TIMEOUT_S, HubChooser, HubFinder, hub_seen
from ._downloads import MissingBlobs
from ._endpoints import (
    HUB,
    HUB_ADDRESS,
    SERVER_KIND,
    SERVER_NAME,
    Endpoint,
    cursor_of,
    known_endpoints,
    migrate_cursor,
    parse_hub_address,
)
from ._live import await_news
from ._outbox import RejectedOp, outbox_counts, rejected_ops, retry_rejected
from ._pairing import PAIRING_TIMEOUT_S, Pairing, current_pairing, pair_device
from ._round import SYNCED_AT, DeviceBlobs, RoundResult, SyncRound
from ._status import StatusBoard, SyncProgress, SyncState, SyncStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.store import Store, StoreChange

log = logging.getLogger(__name__)

#: States after which the background task is not retrying a failure.
SETTLED = frozenset({SyncState.SYNCED, SyncState.UNPAIRED, SyncState.PAIR_AGAIN})


@dataclass(frozen=True)
class Backoff:
    """Delays between failed rounds: doubling from ``initial_s`` up to ``max_s``; each
    delay is drawn from the upper half of its range so it is never close to zero."""

    initial_s: float = 2.0
    factor: float = 2.0
    max_s: float = 300.0

    def delay(self, failures: int, rng: random.Random) -> float:
        base = min(self.max_s, self.initial_s * self.factor ** max(0, failures - 1))
        return base / 2 + rng.uniform(0, base / 2)


@dataclass(frozen=True)
class SyncSettings:
    push_batch: int = 1000
    pull_limit: int = 2000
    poll_interval_s: float = 60.0
    #: Seconds each long-poll for other devices' changes waits (0: poll only).
    live_wait_s: float = 25.0
    #: A local change is pushed this long after it, with any other change made meanwhile.
    push_debounce_s: float = 0.05
    timeout_s: float = 30.0
    pair_timeout_s: float = PAIRING_TIMEOUT_S
    #: How long each candidate hub has to answer its health check before a round.
    probe_timeout_s: float = PROBE_TIMEOUT_S
    #: A hub that failed a round is not chosen again for this long.
    hub_retry_s: float = 30.0
    backoff: Backoff = field(default_factory=Backoff)


class SyncEngine:
    """Syncs one store with the server it is paired with, or a hub of its team.

    ``transport`` is httpx's seam: tests pass ``httpx.ASGITransport(app)`` or a
    ``MockTransport``; the app passes nothing and gets real HTTP. ``blobs`` are the
    device's photo files (by default ``blobs/`` beside the store); ``monotonic`` is the
    clock the waits between attempts at a missing photo (and at a failed hub) are
    measured with. ``hub_finder`` finds hubs on the network (the app passes a
    ``HubBrowser``; None: only a hub address set with ``set_hub_address`` is used).
    """

    def __init__(
        self,
        store: Store,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        blobs: DeviceBlobs | None = None,
        settings: SyncSettings | None = None,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        hub_finder: HubFinder | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or SyncSettings()
        self._transport = transport
        self._blobs = blobs or _default_blobs(store.directory)
        self._rng = rng or random.Random()
        self._missing = MissingBlobs(self._blobs, self.settings.backoff, self._rng, monotonic)
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._hub_finder = hub_finder
        self._chooser = HubChooser(hub_finder, transport, monotonic)
        self._endpoint_url: str | None = None  # where the last round synced
        self._round_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._finder_task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._refused_token: str | None = None
        self._dirty = False  # a local change is waiting for its push
        self.failures = 0
        migrate_cursor(store)
        state = SyncState.UNPAIRED if current_pairing(store) is None else SyncState.OFFLINE
        pending, rejected = outbox_counts(store)
        self._board = StatusBoard(SyncStatus(state, pending, rejected, store.meta(SYNCED_AT),
                                             endpoints=known_endpoints(store),
                                             hub_search=self._chooser.search))

    # -- what the UI reads ----------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._board.current

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call ``listener`` (on the event loop) with every new status."""
        return self._board.subscribe(listener)

    def rejected_ops(self) -> list[RejectedOp]:
        return rejected_ops(self.store)

    def retry_rejected(self) -> int:
        """Queue every rejected op again and sync; return how many were queued."""
        count = retry_rejected(self.store)
        self._refresh_counts()
        self.sync_now()
        return count

    @property
    def hub_address(self) -> str | None:
        """The hub address the person typed or scanned, if any."""
        return self.store.meta(HUB_ADDRESS) or None

    def set_hub_address(self, text: str | None) -> str | None:
        """Sync with the hub at ``text`` whenever it answers (None or "" forgets it), and
        sync now. Raises BadHubAddress, storing nothing, if ``text`` is not a hub
        address; returns the address as stored."""
        address = parse_hub_address(text) if text and text.strip() else None
        with self.store.transaction(remote=True) as tx:
            tx.set_meta(HUB_ADDRESS, address)
        self.sync_now()
        return address

    # -- pairing and rounds ---------------------------------------------------------

    async def pair(self, join_link: str, *, name: str) -> Pairing:
        """Pair with the server in ``join_link`` (raises PairingFailed), then sync."""
        pairing = await pair_device(self.store, join_link, name=name, transport=self._transport,
                                    timeout_s=self.settings.pair_timeout_s)
        self._refused_token = None
        self._endpoint_url = None  # a new pairing starts from its own server
        self._board.update(state=SyncState.OFFLINE, last_error=None)
        self.sync_now()
        return pairing

    async def sync_once(self) -> SyncStatus:
        """Run one round now (waiting for a running one first) and return the status."""
        async with self._round_lock:
            pairing = current_pairing(self.store)
            if pairing is None:
                return self._refresh_counts(state=SyncState.UNPAIRED)
            if pairing.token == self._refused_token:
                return self._refresh_counts(state=SyncState.PAIR_AGAIN)
            before = self.status.state
            self._board.update(state=SyncState.SYNCING, progress=SyncProgress("connect", 0))
            try:
                endpoint, result, note = await self._sync(pairing)
            except Unauthorized as error:
                self._refused_token = pairing.token
                return self._failed(SyncState.PAIR_AGAIN, error)
            except Unreachable as error:
                return self._failed(SyncState.OFFLINE, error)
            except SyncError as error:
                return self._failed(SyncState.ERROR, error)
            except asyncio.CancelledError:
                self._refresh_counts(state=before)
                raise
            except Exception as error:  # a bug must not kill the background task
                log.exception("sync round failed")
                return self._failed(SyncState.ERROR, error)
            notes = [n for n in (note, _photo_note(result)) if n]
            return self._refresh_counts(state=SyncState.SYNCED, synced_at_ms=result.synced_at_ms,
                                        last_error="; ".join(notes) or None, endpoint=endpoint)

    async def _sync(self, pairing: Pairing) -> tuple[Endpoint, RoundResult, str | None]:
        """One round with the chosen hub, or with the server if there is none or the hub
        fails; what failed at the hub is the note."""
        note = None
        hub, seen = await self._chooser.choose(
            self.hub_address, pairing.team_id, pairing.server, self._endpoint_url,
            probe_timeout_s=self.settings.probe_timeout_s, retry_s=self.settings.hub_retry_s)
        self._board.update(hubs=seen, hub_search=self._chooser.search)
        if hub is not None:
            endpoint = Endpoint(HUB, hub.url, hub.name)
            try:
                return endpoint, await self._round_with(pairing, endpoint), None
            except SyncError as error:
                why = ("it does not know this device yet" if isinstance(error, Unauthorized)
                       else error.message)
                self._chooser.failed(hub.url, why)
                self._board.update(hubs=tuple(self._chooser.rested(s) for s in seen))
                note = f"the hub {hub.name} could not sync ({why}); synced with the server"
        server = Endpoint(SERVER_KIND, pairing.server, SERVER_NAME)
        try:
            result = await self._round_with(pairing, server)
        except SyncError:
            if hub is not None:  # the server is no better: the next round asks the hub again
                self._chooser.forgive(hub.url)
            raise
        endpoint = result.endpoint or server
        if result.hub is not None:  # paired with a hub itself: show its relay too
            paired = hub_seen(endpoint.url, endpoint.name, PAIRED, result.hub)
            self._board.update(hubs=(paired, *self.status.hubs))
        return endpoint, result, note

    async def _round_with(self, pairing: Pairing, endpoint: Endpoint) -> RoundResult:
        api = await self._api(endpoint.url, pairing.token)
        result = await SyncRound(self.store, api, endpoint, pairing.device_id, self._blobs,
                                 self._missing, self._report, self.settings.push_batch,
                                 self.settings.pull_limit).run()
        self._endpoint_url = endpoint.url
        return result

    async def _api(self, url: str, token: str) -> SyncApi:
        """The endpoint at ``url`` over a client kept between rounds (connections reused)."""
        client = self._clients.get(url)
        if client is None:
            client = httpx.AsyncClient(base_url=url, transport=self._transport,
                                       timeout=self.settings.timeout_s)
            self._clients[url] = client
        return SyncApi(client, token)

    def _report(self, progress: SyncProgress) -> None:
        self._board.update(progress=progress)

    def _failed(self, state: SyncState, error: Exception) -> SyncStatus:
        message = error.message if isinstance(error, SyncError) else f"unexpected error: {error}"
        return self._refresh_counts(state=state, last_error=message)

    def _refresh_counts(self, **changes: object) -> SyncStatus:
        pending, rejected = outbox_counts(self.store)
        return self._board.update(pending=pending, rejected=rejected, progress=None,
                                  endpoints=known_endpoints(self.store), **changes)

    # -- the background task ----------------------------------------------------------

    def start(self) -> None:
        """Start syncing in the background (call from the running event loop)."""
        if self._task is not None:
            return
        loop = asyncio.get_running_loop()

        def on_commit(change: StoreChange) -> None:
            if not change.remote and change.collections:  # not our own merges and acks
                loop.call_soon_threadsafe(self._local_change)

        self._unsubscribe = self.store.subscribe(on_commit)
        self._task = loop.create_task(self._run(), name="crewkit-sync")
        if self._hub_finder is not None:
            self._finder_task = loop.create_task(self._find_hubs(loop), name="crewkit-hubs")

    async def _find_hubs(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the hub finder; each change it reports starts a round (which may switch
        to a hub that appeared, or away from one that left)."""
        assert self._hub_finder is not None
        try:
            await self._hub_finder.start(lambda: loop.call_soon_threadsafe(self.sync_now))
        except Exception:  # no hubs then: the server still syncs
            log.exception("looking for hubs failed to start")
        self._board.update(hub_search=self._chooser.search)

    def sync_now(self) -> None:
        """Ask the background task for a round now, skipping any backoff delay."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop the background task and close connections; safe to call twice."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._finder_task is not None:
            self._finder_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._finder_task
            self._finder_task = None
            if self._hub_finder is not None:
                await self._hub_finder.close()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def _local_change(self) -> None:
        self._refresh_counts()
        if self.failures == 0:  # while failing, local edits wait for the backoff
            self._dirty = True
            self._wake.set()

    async def _run(self) -> None:
        while True:
            if self._dirty:  # let the rest of a burst of edits join the push
                await asyncio.sleep(self.settings.push_debounce_s)
            self._dirty = False
            self._wake.clear()
            status = await self.sync_once()
            self.failures = 0 if status.state in SETTLED else self.failures + 1
            if status.state is not SyncState.SYNCED and self.failures == 0:
                await self._idle(None)  # unpaired or refused: only pairing or "sync now" helps
            elif self.failures == 0:
                await self._idle(self._poll_interval(status), listen=True)
            else:
                await self._idle(self.settings.backoff.delay(self.failures, self._rng))

    def _poll_interval(self, status: SyncStatus) -> float:
        """Seconds until the next round while synced: sooner while a known hub is not
        being used, so the device moves back to it once it answers again."""
        away = status.endpoint is not None and status.endpoint.kind != HUB and status.hubs
        interval = self.settings.poll_interval_s
        return min(interval, self.settings.hub_retry_s) if away else interval

    async def _idle(self, seconds: float | None, *, listen: bool = False) -> None:
        """Wait for a local change or "sync now", ``seconds`` (None: no limit), and, when
        ``listen``, for news of other devices' changes from the server."""
        waits = [asyncio.ensure_future(self._wake.wait())]
        pairing = current_pairing(self.store)
        if listen and pairing is not None and self.settings.live_wait_s > 0:
            url = self._endpoint_url or pairing.server  # news from where the round synced
            waits.append(asyncio.ensure_future(await_news(
                await self._api(url, pairing.token), lambda: cursor_of(self.store, url),
                self.settings.live_wait_s)))
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
            for outcome in await asyncio.gather(*waits, return_exceptions=True):
                if isinstance(outcome, Exception):  # a bug must not kill the background task
                    log.error("listening for changes failed", exc_info=outcome)


def _photo_note(result: RoundResult) -> str | None:
    """What a round that synced every record still owes the person, about photos."""
    notes = []
    if result.unreadable_blobs:
        notes.append(f"{len(result.unreadable_blobs)} photo(s) could not be read for upload")
    if result.missing_blobs:
        notes.append(f"{result.missing_blobs} photo(s) have not arrived from the server yet "
                     "and are asked for again on later syncs")
    return "; ".join(notes) or None


def _default_blobs(directory: Path) -> DeviceBlobs:
    from app.blobs import BlobStore

    return BlobStore(directory / "blobs")
