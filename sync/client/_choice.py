"""Choosing the endpoint of a round: a reachable hub of the device's own team, else the server.

Candidates are the hub address the person typed or scanned and the hubs a
:class:`HubFinder` has found on the network (mDNS). Each is asked ``GET /v1/health``
(all at once, briefly); a candidate is usable only if it answers in this device's
protocol as a hub (its answer has a ``hub`` block) of the device's team. The hub used
last stays chosen while it is usable, so a device does not hop between two hubs; else
the typed address, else the quickest found hub.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from sync.wire import PROTOCOL_VERSION

from ._endpoints import HubSeen, normalise_url

PROBE_TIMEOUT_S = 1.5
FOUND, TYPED, PAIRED = "found", "typed", "paired"


class FoundHub(Protocol):
    """What a finder reports of a hub (``sync.discovery.Hub`` is one)."""

    team_id: str
    name: str
    version: int

    def urls(self) -> list[str]: ...


class HubFinder(Protocol):
    """Hubs on the local network, kept up to date while it runs (``sync.client.HubBrowser``
    browses mDNS; tests pass a fake).

    ``available`` is False where hubs cannot be found at all (no mDNS on this device).
    The engine calls ``start`` when it starts (with a function to call, from any thread,
    when the hubs change) and ``close`` when it stops.
    """

    available: bool

    def hubs(self, team_id: str) -> Sequence[FoundHub]: ...

    async def start(self, on_change: Callable[[], None]) -> None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Candidate:
    url: str
    name: str
    source: str


@dataclass(frozen=True)
class Probed:
    seen: HubSeen
    seconds: float


def candidates(typed: str | None, found: Sequence[FoundHub], team_id: str,
               server: str) -> list[Candidate]:
    """Typed address first, then each found hub's addresses; never the server itself."""
    listed = [Candidate(typed, "", TYPED)] if typed else []
    listed += [Candidate(normalise_url(url), hub.name, FOUND) for hub in found
               if hub.team_id == team_id and hub.version == PROTOCOL_VERSION
               for url in hub.urls()]
    unique: dict[str, Candidate] = {}
    for candidate in listed:
        if candidate.url != normalise_url(server):
            unique.setdefault(candidate.url, candidate)
    return list(unique.values())


async def probe(candidate: Candidate, team_id: str,
                transport: httpx.AsyncBaseTransport | None,
                timeout_s: float = PROBE_TIMEOUT_S) -> Probed:
    """Ask one candidate for its health and judge whether this device may sync with it."""
    started = time.monotonic()
    try:
        async with httpx.AsyncClient(base_url=candidate.url, transport=transport,
                                     timeout=timeout_s) as client:
            async with asyncio.timeout(timeout_s):
                answer = await client.get("/v1/health")
            body = answer.json()
    except (httpx.HTTPError, ValueError, TimeoutError):
        return _unusable(candidate, "no answer")
    seconds = time.monotonic() - started
    if (answer.status_code != 200 or not isinstance(body, dict)
            or body.get("status") != "ok" or body.get("version") != PROTOCOL_VERSION):
        return _unusable(candidate, "not answering in this app's protocol")
    hub = body.get("hub")
    if not isinstance(hub, dict):
        return _unusable(candidate, "a server, not a base-camp hub")
    # mDNS carries the hub's own name; its health answer names the team it serves.
    name = candidate.name or str(hub.get("name") or "") or _label(candidate)
    if hub.get("team_id") != team_id:
        return _unusable(candidate, "a hub of another team", name)
    return Probed(hub_seen(candidate.url, name, candidate.source, hub), seconds)


def hub_seen(url: str, name: str, source: str, block: dict[str, Any]) -> HubSeen:
    """A usable hub as the ``hub`` block of its health answer describes its relay."""
    return HubSeen(url, name, source, True, upstream=_text(block.get("upstream")),
                   relay_waiting=_count(block.get("relay_waiting")),
                   last_upstream_ms=_count(block.get("last_upstream_ms")))


def pick(probed: Sequence[Probed], last: str | None) -> HubSeen | None:
    """The hub to sync with: the last one while usable, else typed, else quickest."""
    usable = [p for p in probed if p.seen.usable]
    for p in usable:
        if p.seen.url == last:
            return p.seen
    usable.sort(key=lambda p: (p.seen.source != TYPED, p.seconds))
    return usable[0].seen if usable else None


def _unusable(candidate: Candidate, note: str, name: str | None = None) -> Probed:
    seen = HubSeen(candidate.url, name or _label(candidate), candidate.source, False, note)
    return Probed(seen, float("inf"))


def _label(candidate: Candidate) -> str:
    """What to call a hub before it has said its name."""
    return candidate.name or f"Hub at {urlsplit(candidate.url).netloc}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class HubChooser:
    """Chooses the hub of each round, and rests a hub that failed a round (for the
    ``retry_s`` given with each choice, measured with ``monotonic``)."""

    def __init__(self, finder: HubFinder | None, transport: httpx.AsyncBaseTransport | None,
                 monotonic: Callable[[], float]) -> None:
        self.finder = finder
        self.transport = transport
        self.monotonic = monotonic
        self._trouble: dict[str, tuple[float, str]] = {}  # url: (when, what failed)

    @property
    def search(self) -> str:
        """"on", "off" (no finder) or "unavailable" (the finder cannot run here)."""
        if self.finder is None:
            return "off"
        return "on" if self.finder.available else "unavailable"

    async def choose(self, typed: str | None, team_id: str, server: str, last: str | None, *,
                     probe_timeout_s: float, retry_s: float,
                     ) -> tuple[HubSeen | None, tuple[HubSeen, ...]]:
        """The hub to sync with (None: the server), and every candidate as it was seen."""
        found = self.finder.hubs(team_id) if self.finder is not None else ()
        listed = candidates(typed, found, team_id, server)
        probed = await asyncio.gather(*(probe(c, team_id, self.transport, probe_timeout_s)
                                        for c in listed))
        now = self.monotonic()
        self._trouble = {url: trouble for url, trouble in self._trouble.items()
                         if now - trouble[0] < retry_s}
        probed = [dataclasses.replace(p, seen=self.rested(p.seen)) for p in probed]
        return pick(probed, last), tuple(p.seen for p in probed)

    def failed(self, url: str, why: str) -> None:
        self._trouble[url] = (self.monotonic(), why)

    def forgive(self, url: str) -> None:
        """Let ``url`` be chosen again at once (the server failed as well)."""
        self._trouble.pop(url, None)

    def rested(self, seen: HubSeen) -> HubSeen:
        """``seen``, unusable for now if it failed a round lately."""
        trouble = self._trouble.get(seen.url)
        if trouble is None or not seen.usable:
            return seen
        return dataclasses.replace(seen, usable=False, note=f"failed to sync: {trouble[1]}")
