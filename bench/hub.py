"""Base-camp hub benchmark: an upstream ``crewkit-server serve`` and a ``crewkit-server hub``
joined to it, both real processes on loopback (SQLite storage), with real sync engines as
the phones. Each figure sits beside its reference measured in the same run; one JSON line
per figure.

* ``hub.catch_up``: a joined hub stopped while records of the team's devices are added
  upstream (a day of a busy team, stored as one device's pushes), then started again:
  seconds from the hub's start until it holds upstream's last change, and a phone's first
  pull of them from the hub; beside them, a phone's first pull of the same records straight
  from upstream, and the start of the same hub with nothing to catch up.
* ``hub.live_change``: a change on phone A until it is in phone B's store, both running in
  the background and syncing through the hub (goal 2 s); beside it, the same through the
  upstream server directly and a plain ``GET /v1/health`` round trip to the hub.
* ``hub.relay_throughput``: ops a phone pushed to the hub while upstream was paused
  (SIGSTOP), from upstream's resumption until the hub's relay queue is empty; beside it, a
  phone's direct push of as many ops of the same shape to upstream.

``python -m bench.hub [--live-changes N] [--relay-ops N] [--catch-up-records N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from sync import SyncEngine, SyncState
from sync.client._endpoints import cursor_of
from sync.server.storage import Storage, open_storage

from .common import emit, percentile
from .live import live_samples, round_trips
from .postgres import free_port
from .serving import serving
from .sync import Devices

SCRIPT = Path(sys.executable).with_name("crewkit-server")
TEAM = "Base camp"
GOAL_MS = 2000
WAIT_S = 120.0


class Upstream:
    """The company server: ``crewkit-server serve`` over ``data`` on a loopback port."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def run(self) -> Any:
        return serving([SCRIPT, "--data", self.data, "serve", "--port", str(self.port)],
                       f"{self.url}/v1/health", log=self.data.with_name("upstream.log"))

    def hub_invite(self) -> str:
        done = subprocess.run(
            [str(SCRIPT), "--data", str(self.data), "invite", "--team", TEAM, "--role", "hub",
             "--json", "--server-url", self.url], capture_output=True, text=True, timeout=60,
            check=True)
        return str(json.loads(done.stdout)["uri"])


class Hub:
    """A base-camp hub over ``data``: ``crewkit-server hub`` on a loopback port."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.starts = 0
        self._storage: Storage | None = None

    @contextmanager
    def run(self, join: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
        self.starts += 1
        command = [SCRIPT, "--data", self.data, "hub", "--host", "127.0.0.1",
                   "--port", str(self.port), "--no-advertise", "--name", "Bench hub"]
        log = self.data.with_name(f"hub{self.starts}.log")
        with serving([*command, *(["--join", join] if join else [])],
                     f"{self.url}/v1/health", log=log) as process:
            yield process

    def cursor(self) -> int:
        """The hub's pull cursor at upstream, as its storage holds it (read beside the
        running hub, as ``crewkit-server status`` reads it)."""
        if self._storage is None:
            self._storage = open_storage(self.data)
        link = self._storage.hub_link()
        return 0 if link is None else link.cursor

    def close(self) -> None:
        if self._storage is not None:
            self._storage.close()
            self._storage = None

    async def health(self, client: httpx.AsyncClient) -> dict[str, Any]:
        answer = await client.get(f"{self.url}/v1/health")
        answer.raise_for_status()
        return dict(answer.json()["hub"])


def _ms(samples: list[float], digits: int = 1) -> dict[str, float]:
    return {"ms_p50": round(statistics.median(samples), digits),
            "ms_p99": round(percentile(samples, 99), digits),
            "ms_max": round(max(samples), digits)}


async def _round(engine: SyncEngine, kind: str) -> float:
    """Seconds of one sync round of ``engine``, which must sync with a ``kind`` endpoint."""
    started = time.perf_counter()
    status = await engine.sync_once()
    seconds = time.perf_counter() - started
    if status.state is not SyncState.SYNCED or status.pending:
        raise RuntimeError(f"sync failed: {status}")
    if status.endpoint is None or status.endpoint.kind != kind:
        raise RuntimeError(f"synced with {status.endpoint}, not with the {kind}")
    return seconds


async def _push_seconds(engine: SyncEngine, kind: str) -> float:
    """Seconds from the start of a round of ``engine`` until its last push answered."""
    pushed_at: list[float] = []
    unsubscribe = engine.subscribe(lambda s: s.progress and s.progress.phase == "push"
                                   and pushed_at.append(time.perf_counter()))
    started = time.perf_counter()
    try:
        await _round(engine, kind)
    finally:
        unsubscribe()
    return pushed_at[-1] - started


async def _on_hub(engines: list[SyncEngine], hub: Hub) -> None:
    """Point running ``engines`` at ``hub`` and wait until their rounds go there."""
    for engine in engines:
        engine.set_hub_address(hub.url)
    deadline = time.monotonic() + 30
    while not all(e.status.state is SyncState.SYNCED and e.status.endpoint is not None
                  and e.status.endpoint.kind == "hub" for e in engines):
        if time.monotonic() > deadline:
            raise RuntimeError("phones did not move to the hub: "
                               + "; ".join(str(e.status) for e in engines))
        await asyncio.sleep(0.01)


async def _timed_start(hub: Hub, stack: ExitStack, upstream_cursor: int) -> float:
    """Seconds from starting ``hub`` until it answers and holds upstream's ``upstream_cursor``."""
    started = time.perf_counter()
    stack.enter_context(hub.run())
    while hub.cursor() < upstream_cursor:
        if time.perf_counter() - started > WAIT_S:
            raise RuntimeError(f"the hub did not catch up (cursor {hub.cursor()}"
                               f" of {upstream_cursor})")
        await asyncio.sleep(0.02)
    return time.perf_counter() - started


async def measure_catch_up(devices: Devices, upstream: Upstream, hub: Hub, records: int,
                           seeder: SyncEngine, at_hub: SyncEngine, direct: SyncEngine) -> None:
    """``hub`` is stopped; ``at_hub`` and ``direct`` have never pulled."""
    with ExitStack() as stack:  # the start of the same hub with nothing to catch up
        reference_start = await _timed_start(hub, stack, hub.cursor())
    devices.seed(seeder, records)  # the team's day, upstream
    direct_s = await _round(direct, "server")
    last = cursor_of(direct.store, upstream.url)
    with ExitStack() as stack:
        seconds = await _timed_start(hub, stack, last)
        at_hub.set_hub_address(hub.url)
        at_hub_s = await _round(at_hub, "hub")
    pulled = {len(e.store.all("notes")) for e in (direct, at_hub)}
    if pulled != {records}:
        raise RuntimeError(f"pulled {pulled} records, not {records}")
    emit(bench="hub.catch_up", backend="sqlite", records=records, seconds=round(seconds, 3),
         records_per_s=round(records / seconds),
         hub_start_reference_s=round(reference_start, 3),
         device_pull_from_hub_s=round(at_hub_s, 3),
         direct_first_pull_reference_s=round(direct_s, 3))


async def measure_live(hub: Hub, phone_a: SyncEngine, phone_b: SyncEngine,
                       changes: int) -> None:
    phones = [phone_a, phone_b]
    for phone in phones:
        phone.start()
    try:
        direct = await live_samples(phone_a, phone_b, changes)
        if any(p.status.endpoint is None or p.status.endpoint.kind != "server" for p in phones):
            raise RuntimeError("the direct reference did not sync with the server")
        await _on_hub(phones, hub)
        through_hub = await live_samples(phone_a, phone_b, changes)
        if any(p.status.endpoint is None or p.status.endpoint.kind != "hub" for p in phones):
            raise RuntimeError("the phones left the hub while measured")
    finally:
        for phone in phones:
            await phone.stop()
    health = await round_trips(hub.url, changes)
    emit(bench="hub.live_change", backend="sqlite", changes=changes, goal_ms=GOAL_MS,
         **_ms(through_hub),
         direct_ms_p50=round(statistics.median(direct), 1),
         direct_ms_p99=round(percentile(direct, 99), 1),
         direct_ms_max=round(max(direct), 1),
         hub_round_trip_reference_ms_p50=round(statistics.median(health), 2),
         push_debounce_ms=round(phone_a.settings.push_debounce_s * 1000))


async def measure_relay(upstream: subprocess.Popen[bytes], hub: Hub, ops: int,
                        via_hub: SyncEngine, direct: SyncEngine, checker: SyncEngine) -> None:
    """``via_hub`` and ``direct`` each hold ``ops`` notes not pushed yet."""
    direct_s = await _push_seconds(direct, "server")

    via_hub.set_hub_address(hub.url)
    async with httpx.AsyncClient(timeout=30) as client:
        upstream.send_signal(signal.SIGSTOP)
        try:
            to_hub_s = await _push_seconds(via_hub, "hub")
            waiting = (await hub.health(client))["relay_waiting"]
            if waiting < ops:
                raise RuntimeError(f"only {waiting} of {ops} ops waited at the hub")
        finally:
            resumed = time.perf_counter()
            upstream.send_signal(signal.SIGCONT)
        while (await hub.health(client))["relay_waiting"]:
            if time.perf_counter() - resumed > WAIT_S:
                raise RuntimeError("the hub did not relay its queue")
            await asyncio.sleep(0.01)
        seconds = time.perf_counter() - resumed
    await _round(checker, "server")
    relayed = {note["id"] for note in via_hub.store.all("notes")}
    held = {note["id"] for note in checker.store.all("notes")}
    if not relayed <= held:
        raise RuntimeError(f"upstream lacks {len(relayed - held)} relayed ops")
    emit(bench="hub.relay_throughput", backend="sqlite", ops=ops, seconds=round(seconds, 3),
         ops_per_s=round(ops / seconds), push_to_hub_s=round(to_hub_s, 3),
         direct_push_reference_s=round(direct_s, 3),
         direct_ops_per_s=round(ops / direct_s))


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as temp, ExitStack() as stack:
        root = Path(temp)
        upstream, hub = Upstream(root / "upstream"), Hub(root / "hub")
        process = stack.enter_context(upstream.run())
        devices = Devices(root, upstream.data, upstream.url)
        try:
            # Every phone pairs upstream before the hub's last exchange, which teaches
            # the hub the team's devices.
            seeder, _ = await devices.new(TEAM)
            at_hub, _ = await devices.new(TEAM)
            direct_puller, _ = await devices.new(TEAM)
            phone_a, _ = await devices.new(TEAM)
            phone_b, _ = await devices.new(TEAM)
            relayer, _ = await devices.new(TEAM, notes=args.relay_ops)
            pusher, _ = await devices.new(TEAM, notes=args.relay_ops)
            with hub.run(join=upstream.hub_invite()):
                pass  # joined, then offline
            await measure_catch_up(devices, upstream, hub, args.catch_up_records, seeder,
                                   at_hub, direct_puller)
            stack.enter_context(hub.run())
            for phone in (phone_a, phone_b):
                await _round(phone, "server")
            await measure_live(hub, phone_a, phone_b, args.live_changes)
            await measure_relay(process, hub, args.relay_ops, relayer, pusher, direct_puller)
        finally:
            hub.close()
            await devices.close()


def _count(text: str) -> int:
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"needs a count of 1 or more, not {text}")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live-changes", type=_count, default=200,
                        help="changes timed from phone A to phone B, each way of syncing")
    parser.add_argument("--relay-ops", type=_count, default=10_000,
                        help="ops queued at the hub for the relay, and pushed directly")
    parser.add_argument("--catch-up-records", type=_count, default=50_000,
                        help="records added upstream while the hub was offline")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
