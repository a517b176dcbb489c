"""Sync benchmark: the real client against a real uvicorn server on loopback, on SQLite
and on PostgreSQL, each figure beside its reference measured in the same run.

The reference moves the same bytes in the same number of requests (each request's body
plus its answer, posted raw) to a trivial endpoint of the same server process, so the
ratio says how much of a figure is sync work rather than HTTP. One JSON line per figure.
``python -m bench.sync [--push-ops N] [--pull-records N] [--devices N] [--live-changes N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.hlc import Stamp, wall_ms
from app.store import Store
from sync import SyncEngine, SyncState
from sync.server.auth import new_invite_code, secret_hash
from sync.server.storage import DATABASE_URL_ENV, ValidOp, open_storage

from .common import emit
from .live import measure_live
from .postgres import PostgresUnavailable, free_port, throwaway_postgres
from .serving import serving

RAW_PATH = "/bench/raw"


class Recorder(httpx.AsyncBaseTransport):
    """Real HTTP that notes (request bytes + answer bytes) per request, for the reference."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sizes: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.sizes.append(len(request.content) + len(body))
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              request=request)


def serve(data: Path, port: int) -> None:
    """The child process: crewkit's app plus the trivial raw endpoint, under uvicorn."""
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import Response

    from sync.server.app import create_app

    async def raw(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    app = create_app(open_storage(data), data / "blobs")
    app.router.add_route(RAW_PATH, raw, methods=["POST"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


@contextmanager
def server(data: Path, database_url: str) -> Iterator[str]:
    """Start :func:`serve` in a child process; yield its URL once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != DATABASE_URL_ENV}
    env |= {DATABASE_URL_ENV: database_url} if database_url else {}
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "bench.sync", "--serve", data, "--port", str(port)]
    with serving(command, f"{url}/v1/health", log=data.with_name(f"{data.name}.log"), env=env):
        yield url


async def raw_reference(url: str, sizes: list[int], concurrency: int = 1) -> float:
    """Seconds to post bodies of ``sizes`` to the trivial endpoint, ``concurrency`` at a time."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        async def post_all(part: list[int]) -> None:
            for size in part:
                (await client.post(RAW_PATH, content=b"x" * size)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post_all(sizes[i::concurrency]) for i in range(concurrency)))
        return time.perf_counter() - started


class Devices:
    """Paired devices in one temp directory, invited straight through server storage."""

    def __init__(self, root: Path, data: Path, url: str) -> None:
        self.root, self.url = root, url
        self.storage = open_storage(data)
        self.engines: list[SyncEngine] = []

    async def new(self, team: str, notes: int = 0) -> tuple[SyncEngine, Recorder]:
        store = Store.open(self.root / f"device{len(self.engines)}")
        for start in range(0, notes, 1000):
            with store.transaction() as tx:
                for n in range(start, min(notes, start + 1000)):
                    tx.insert("notes", {"title": f"note {n}", "body": "checked and signed off"})
        recorder = Recorder()
        engine = SyncEngine(store, transport=recorder)
        code = new_invite_code()
        self.storage.create_invite(team, "coordinator", secret_hash(code), wall_ms())
        await engine.pair(f"crewkit://join?server={self.url}&code={code}", name="bench")
        self.engines.append(engine)
        return engine, recorder

    def seed(self, team_device: SyncEngine, records: int) -> None:
        """Add records as if pushed by ``team_device``, straight into server storage."""
        pairing = team_device.store.meta("sync.token")
        device = self.storage.device_for_token(secret_hash(pairing))
        assert device is not None
        now = wall_ms()
        for start in range(0, records, 5000):
            self.storage.push(device, [
                ValidOp(f"seed{n}", "notes", f"seed{n}", str(Stamp(now, n, device.device_id)),
                        {"title": f"seeded {n}", "body": "from the office"}, False)
                for n in range(start, min(records, start + 5000))], now)

    async def close(self) -> None:
        for engine in self.engines:
            await engine.stop()
            engine.store.close()
        self.storage.close()


async def _timed_round(engine: SyncEngine) -> float:
    started = time.perf_counter()
    status = await engine.sync_once()
    if status.state is not SyncState.SYNCED or status.pending:
        raise RuntimeError(f"sync failed: {status}")
    return time.perf_counter() - started


async def health_under_push_load(url: str, token: str, device_id: str, pushes: int,
                                 ops: int) -> dict[str, float]:
    """Health latency while ``pushes`` pushes of ``ops`` ops each run at once."""
    now = wall_ms()
    # Encoded up front: encoding them while measuring would stall this process's own loop.
    bodies = [json.dumps({"device_id": device_id, "schema": 2, "ops": [
        {"op_id": f"load{p}-{n}", "coll": "notes", "id": f"load{p}-{n}",
         "hlc": str(Stamp(now, p * ops + n, device_id)), "set": {"title": f"load {n}"}}
        for n in range(ops)]}).encode() for p in range(pushes)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=pushes + 1)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        samples: list[float] = []
        done = asyncio.Event()

        async def watch() -> None:
            while not done.is_set():
                started = time.perf_counter()
                (await client.get("/v1/health")).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.05)

        async def push(body: bytes) -> int:
            answer = await client.post("/v1/push", content=body, headers=headers)
            return 0 if answer.status_code == 200 and len(answer.json()["acked"]) == ops else 1

        watcher = asyncio.create_task(watch())
        started = time.perf_counter()
        # A second at least, so that the idle reference has its samples too.
        *results, _ = await asyncio.gather(*(push(body) for body in bodies), asyncio.sleep(1))
        errors = sum(results)
        seconds = time.perf_counter() - started
        done.set()
        await watcher
    return {"seconds": round(seconds, 3), "errors": errors, "health_checks": len(samples),
            "health_ms_p50": round(statistics.median(samples), 1),
            "health_ms_max": round(max(samples), 1)}


async def measure(backend: str, url: str, data: Path, root: Path, args: argparse.Namespace) -> None:
    devices = Devices(root, data, url)
    try:
        pusher, recorder = await devices.new("Bench", notes=args.push_ops)
        pushed_at: list[float] = []
        pusher.subscribe(lambda s: s.progress and s.progress.phase == "push"
                         and pushed_at.append(time.perf_counter()))
        started = time.perf_counter()
        await _timed_round(pusher)
        seconds = pushed_at[-1] - started
        push_sizes = recorder.sizes[: len(pushed_at) + 1]  # health + the push requests
        reference = await raw_reference(url, push_sizes)
        emit(bench="sync.push", backend=backend, ops=args.push_ops, seconds=round(seconds, 3),
             ops_per_s=round(args.push_ops / seconds), raw_reference_s=round(reference, 3))

        devices.seed(pusher, args.pull_records - args.push_ops)
        puller, recorder = await devices.new("Bench")
        recorder.sizes.clear()
        seconds = await _timed_round(puller)
        records = len(puller.store.all("notes"))
        reference = await raw_reference(url, recorder.sizes)
        emit(bench="sync.initial_pull", backend=backend, records=records,
             seconds=round(seconds, 3), records_per_s=round(records / seconds),
             raw_reference_s=round(reference, 3))

        samples, recorder.sizes[:] = [], []
        for _ in range(args.rounds):
            samples.append(await _timed_round(puller) * 1000)
        per_round = len(recorder.sizes) // args.rounds
        reference = await raw_reference(url, recorder.sizes[:per_round])
        emit(bench="sync.no_change_round", backend=backend,
             ms_p50=round(statistics.median(samples), 2), ms_max=round(max(samples), 2),
             raw_reference_ms=round(reference * 1000, 2))

        if args.live_changes:
            await measure_live(devices, backend, args.live_changes)

        crowd = [await devices.new("Crowd", notes=args.ops_per_device)
                 for _ in range(args.devices)]
        for _, rec in crowd:
            rec.sizes.clear()
        started = time.perf_counter()
        results = await asyncio.gather(*(e.sync_once() for e, _ in crowd))
        seconds = time.perf_counter() - started
        errors = sum(1 for s in results if s.state is not SyncState.SYNCED or s.pending)
        sizes = [size for _, rec in crowd for size in rec.sizes]
        reference = await raw_reference(url, sizes, concurrency=args.devices)
        total = args.devices * args.ops_per_device
        emit(bench="sync.concurrent_devices", backend=backend, devices=args.devices,
             ops=total, seconds=round(seconds, 3), ops_per_s=round(total / seconds),
             errors=errors, raw_reference_s=round(reference, 3))

        loader, _ = await devices.new("Load")
        reference = await health_under_push_load(
            url, loader.store.meta("sync.token"), loader.store.device_id, 0, 0)
        figures = await health_under_push_load(
            url, loader.store.meta("sync.token"), loader.store.device_id, args.load_pushes,
            args.load_ops)
        emit(bench="sync.health_under_push_load", backend=backend, pushes=args.load_pushes,
             ops_per_push=args.load_ops, **figures,
             idle_health_ms_p50=reference["health_ms_p50"])
    finally:
        await devices.close()


async def run(args: argparse.Namespace) -> None:
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as temp:
            root = Path(temp)
            with contextlib.ExitStack() as stack:
                url = ""
                if backend == "postgres":  # fsync on, as a real server would run
                    url = stack.enter_context(throwaway_postgres()) + "/postgres"
                    os.environ[DATABASE_URL_ENV] = url
                try:
                    base = stack.enter_context(server(root / "server", url))
                    await measure(backend, base, root / "server", root, args)
                finally:
                    os.environ.pop(DATABASE_URL_ENV, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--push-ops", type=int, default=10_000)
    parser.add_argument("--pull-records", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--ops-per-device", type=int, default=250)
    parser.add_argument("--live-changes", type=int, default=200,
                        help="changes timed from phone A to phone B by long-poll (0: none)")
    parser.add_argument("--load-pushes", type=int, default=60)
    parser.add_argument("--load-ops", type=int, default=5000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
    else:
        try:
            asyncio.run(run(args))
        except PostgresUnavailable as unavailable:
            raise SystemExit(str(unavailable)) from None


if __name__ == "__main__":
    main()
