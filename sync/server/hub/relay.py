"""The relay: one exchange with upstream at a time, and the loop that keeps exchanging.

An exchange (``Relay.run_once``) registers the devices that paired at the hub, copies
the team's devices from upstream, relays the queue (blobs first) and pulls what changed
upstream into the hub's records. Every step can be cut short by a lost link at any
point and simply run again: upstream dedupes relayed ops on (origin, op id), queue
entries leave only once upstream answered for them, and merging pulled states twice
changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
import httpx

from sync.schema import COLLECTIONS

from ..deps import ServerContext
from ..storage import HubLink, QueuedOp
from .side import HubSide
from .upstream import Revoked, Upstream, UpstreamError

log = logging.getLogger("crewkit.server.hub")

#: Ops per ``POST /v1/relay``, devices per ``POST /v1/hub/devices``, changes per pull.
BATCH = 1000
#: Seconds a long-poll upstream waits for news.
PULL_WAIT_S = 25.0
#: Seconds the relay lets pass after a device's push before it exchanges: the pulls the
#: push woke at the hub are answered first, and a burst of pushes is relayed as one.
PUSH_SETTLE_S = 0.1
#: Backoff after a failed exchange: from this many seconds, doubling, up to the cap,
#: each wait drawn at random from its upper half (so hubs do not retry in step).
BACKOFF_S, BACKOFF_CAP_S = 1.0, 60.0

BLOB_FIELDS = {coll: {name for name, kind in fields.items() if kind in ("blob", "blob?")}
               for coll, fields in COLLECTIONS.items()}


def blob_names(coll: str, fields: dict[str, Any]) -> set[str]:
    """The blobs a record's (or an op's) fields name."""
    return {value for name in BLOB_FIELDS.get(coll, ()) if isinstance(value := fields.get(name),
                                                                     str)}


async def _in_thread(work: Callable[..., Any], *args: Any) -> Any:
    return await anyio.to_thread.run_sync(work, *args)


class Relay:
    """A hub's exchanges with its upstream server, over ``context``'s storage and blobs.

    ``transport`` carries the upstream requests (default: real HTTP); tests pass an
    ``httpx.ASGITransport`` of an upstream app. ``clock`` (default the app's) gives
    epoch milliseconds for ``last_upstream_ms``.
    """

    def __init__(
        self,
        context: ServerContext,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], int] | None = None,
        *,
        pull_wait_s: float = PULL_WAIT_S,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.context = context
        self.storage = context.storage
        self.transport = transport
        self.clock = clock or context.clock
        self.pull_wait_s = pull_wait_s
        self._sleep = sleep
        self._rng = rng
        self.side = context.hub or HubSide()
        #: Why the last exchange failed, for people (None after a good one).
        self.last_error: str | None = None
        self._uploaded: set[str] = set()  # blobs upstream has, as far as this process knows
        self._missing: set[str] = set()  # blobs pulled records name that upstream lacked
        #: Ops per relay request: halved while upstream finds a request too large.
        self.batch = BATCH

    # One exchange.

    async def run_once(self) -> str:
        """One full exchange with upstream (no waiting for news); the hub's upstream
        state afterwards: ``linked``, ``unreachable`` (the link failed somewhere; what
        was done stays done), ``revoked`` (upstream refused the hub's token: nothing is
        tried until the hub pairs again) or ``none`` (no upstream)."""
        link = await _in_thread(self.storage.hub_link)
        if link is None or link.upstream_url is None:
            return "none"
        if link.state == "revoked":
            return "revoked"
        return await self._guarded(link, self._exchange)

    async def _guarded(self, link: HubLink,
                       work: Callable[[Upstream, HubLink], Awaitable[None]]) -> str:
        """Run ``work`` against upstream and record the state it leaves."""
        try:
            async with Upstream(link, self.transport) as upstream:
                await work(upstream, link)
        except Revoked as revoked:
            return await self._record(link, "revoked", str(revoked))
        except (httpx.HTTPError, UpstreamError) as failed:
            return await self._record(link, "unreachable", f"{type(failed).__name__}: {failed}")
        except (ValueError, KeyError, TypeError) as failed:
            # An answer that is not the protocol's (a captive portal's page, say).
            log.warning("upstream %s answered outside the protocol", link.upstream_url,
                        exc_info=True)
            return await self._record(link, "unreachable",
                                      f"upstream answered outside the protocol: {failed!r}")
        return await self._record(link, "linked", None)

    async def _record(self, link: HubLink, state: str, error: str | None) -> str:
        self.last_error = error
        if error:
            log.warning("upstream %s: %s", link.upstream_url, error)
        await _in_thread(self.storage.set_hub_state, link.team_id, state,
                         self.clock() if state == "linked" else None)
        return state

    async def _exchange(self, upstream: Upstream, link: HubLink) -> None:
        await self._sync_devices(upstream, link.team_id)
        await self._relay_queue(upstream, link.team_id)
        await self._pull(upstream, link.team_id, link.cursor, 0)

    async def _sync_devices(self, upstream: Upstream, team_id: str) -> None:
        await self._register(upstream, team_id)
        await _in_thread(self.storage.adopt_devices, team_id, await upstream.devices())

    async def _register(self, upstream: Upstream, team_id: str) -> None:
        """Register upstream the devices that paired here since the last time."""
        waiting = await _in_thread(self.storage.unregistered_devices, team_id)
        for start in range(0, len(waiting), BATCH):
            chunk = waiting[start : start + BATCH]
            accepted = await upstream.register(chunk)
            await _in_thread(self.storage.mark_registered,
                             [device for device in chunk if device.device_id in accepted])

    async def _relay_queue(self, upstream: Upstream, team_id: str) -> None:
        while True:
            sent: list[QueuedOp] = await _in_thread(self.storage.queued_ops, team_id,
                                                    self.batch)
            if not sent:
                return
            # A device whose op is in the batch paired before it pushed, so before the
            # batch was read: registering now puts every origin upstream before its ops.
            await self._register(upstream, team_id)
            await self._upload_blobs(upstream, team_id, sent)
            try:
                answer = await upstream.relay([{"origin": q.origin, **q.op} for q in sent])
            except UpstreamError as refused:
                if refused.status != 413 or self.batch == 1:
                    raise
                self.batch = max(1, len(sent) // 2)  # too many ops, or too many bytes
                continue
            acked = {(a["origin"], a["op_id"]) for a in answer["acked"]}
            rejected = {(r["origin"], r["op_id"]): (r["code"], r["message"])
                        for r in answer["rejected"]}
            answered = acked | rejected.keys()
            if not any((q.origin, q.op["op_id"]) in answered for q in sent):
                raise UpstreamError("upstream answered the relay without a word on its ops")
            if await _in_thread(self.storage.settle_relayed, team_id, sent, acked, rejected):
                self.context.live.notify(team_id)  # rejections for waiting pulls

    async def _upload_blobs(self, upstream: Upstream, team_id: str,
                            sent: list[QueuedOp]) -> None:
        named = set().union(*(blob_names(q.op["coll"], q.op.get("set") or {}) for q in sent))
        for sha256 in sorted(named - self._uploaded):
            if not await upstream.has_blob(sha256):
                data = await _in_thread(self._local_blob, team_id, sha256)
                if data is None:
                    continue  # the device has not uploaded it here yet; it will upstream
                await upstream.put_blob(sha256, data)
            self._uploaded.add(sha256)

    def _local_blob(self, team_id: str, sha256: str) -> bytes | None:
        if self.storage.blob_size(team_id, sha256) is None:
            return None
        path = self.context.blobs.path(sha256)
        return path.read_bytes() if path.is_file() else None

    async def _pull(self, upstream: Upstream, team_id: str, cursor: int,
                    wait_s: float) -> bool:
        """Pull upstream from ``cursor`` until nothing more waits (only the first
        request long-polls, ``wait_s``); whether any change came."""
        came = False
        while True:
            page = await upstream.pull(cursor, BATCH, wait_s)
            wait_s = 0
            if page["changes"]:
                came = True
                # Shielded: a merge that started is finished even if the wait is cancelled.
                changed = await asyncio.shield(_in_thread(
                    self.storage.merge_upstream, team_id, page["changes"], page["cursor"]))
                if changed:
                    self.context.live.notify(team_id)
                self._missing |= set().union(*(blob_names(coll, fields)
                                               for coll, fields in changed))
            cursor = page["cursor"]
            if not page["more"]:
                break
        await self._download_blobs(upstream, team_id)
        return came

    async def _download_blobs(self, upstream: Upstream, team_id: str) -> None:
        for sha256 in sorted(self._missing):
            if await _in_thread(self.storage.blob_size, team_id, sha256) is None:
                data = await upstream.get_blob(sha256)
                if data is None:
                    continue  # not uploaded upstream yet: asked again next exchange
                await _in_thread(self.context.blobs.put, sha256, data)
                await _in_thread(self.storage.add_blob, team_id, sha256, len(data))
            self._missing.discard(sha256)

    # The loop a serving hub runs.

    async def run_forever(self) -> None:
        """Exchange, then wait for news — upstream's (a long-poll) or a device's push
        here — and exchange again; back off after failures. Returns once upstream
        revokes the hub (or there is no upstream); cancel it to stop."""
        wake = self.side.event()
        failures, pushed = 0, False
        while True:
            if pushed:  # the device pulls this push woke go first; a burst goes as one
                await self._sleep(PUSH_SETTLE_S)
            wake.clear()
            state = await self.run_once()
            if state in ("revoked", "none"):
                return
            if state == "unreachable":
                failures += 1
                await self._sleep(self._backoff_s(failures))
                continue
            failures = 0
            pushed = wake.is_set()  # a push came during the exchange
            if pushed:
                continue
            state = await self._wait_for_news(wake)
            if state == "revoked":
                return
            pushed = state == "pushed"
            if state == "unreachable":
                failures += 1
                await self._sleep(self._backoff_s(failures))

    def _backoff_s(self, failures: int) -> float:
        ceiling = min(BACKOFF_CAP_S, BACKOFF_S * 2 ** (failures - 1))
        return ceiling * (0.5 + self._rng() / 2)

    async def _wait_for_news(self, wake: asyncio.Event) -> str:
        """Long-poll upstream until it has news (the state it leaves) or a device pushes
        here (``pushed``)."""
        link = await _in_thread(self.storage.hub_link)
        if link is None or link.upstream_url is None:
            return "none"

        async def poll(upstream: Upstream, link: HubLink) -> None:
            await self._pull(upstream, link.team_id, link.cursor, self.pull_wait_s)

        polling = asyncio.ensure_future(self._guarded(link, poll))
        woken = asyncio.ensure_future(wake.wait())
        await asyncio.wait((polling, woken), return_when=asyncio.FIRST_COMPLETED)
        woken.cancel()
        if polling.done():
            return polling.result()
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        return "pushed"
