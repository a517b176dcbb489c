"""A paginated pull running while other devices push never skips a change.

The pushes run concurrently for real: the app's endpoints execute in FastAPI's worker
threads, each on its own database connection, while this event loop keeps them in flight.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from app.hlc import wall_ms
from sync.server.storage import Storage, ValidOp

from .conftest import Paired, PairFn

WRITERS, BATCHES, BATCH = 4, 12, 15
RECORDS = 40  # fewer ids than ops: records are rewritten and keep moving to newer seqs


async def _write(device: Paired, number: int) -> None:
    for batch in range(BATCHES):
        await device.push(*[
            device.op("checklist_items", f"item-{(number * 7 + batch * BATCH + i) % RECORDS}",
                      text=f"w{number} b{batch} i{i}", position=i)
            for i in range(BATCH)
        ])


async def _follow(reader: Paired, done: asyncio.Event) -> dict[str, dict[str, Any]]:
    """Pull small pages until the writers are done and a page says there is no more."""
    cursor, merged = 0, {}
    while True:
        finished = done.is_set()  # read before pulling: this page starts after the writes
        page = await reader.pull(cursor, limit=7)
        seqs = [c["seq"] for c in page["changes"]]
        assert seqs == sorted(seqs) and all(s > cursor for s in seqs)
        for change in page["changes"]:
            merged[change["id"]] = change
        cursor = page["cursor"]
        if finished and not page["more"]:
            return merged
        await asyncio.sleep(0)


async def test_concurrent_pushes_during_paginated_pull(pair: PairFn) -> None:
    writers = [await pair() for _ in range(WRITERS)]
    reader = await pair(role="crew")
    done = asyncio.Event()
    follower = asyncio.create_task(_follow(reader, done))
    await asyncio.gather(*[_write(device, n) for n, device in enumerate(writers)])
    done.set()
    followed = await follower
    final = {c["id"]: c for c in (await reader.pull(0, limit=5000))["changes"]}
    assert len(final) == RECORDS
    assert followed == final


def test_storage_threads_pushing_while_pulling(storage: Storage) -> None:
    """The same guarantee one layer down, with plain threads and no HTTP."""
    devices = []
    for n in range(3):
        team = storage.create_invite("Threads", "coordinator", f"invite{n}", wall_ms())
        devices.append(storage.pair(f"invite{n}", f"t{n}", "t", f"token{n}", wall_ms()))
    errors: list[BaseException] = []

    def push(index: int) -> None:
        device = devices[index]
        try:
            for batch in range(20):
                storage.push(device, [
                    ValidOp(f"{batch}-{i}", "notes", f"n{(batch * 5 + i) % 30}",
                            f"{wall_ms():015d}:{batch * 10 + i:06d}:{device.device_id}",
                            {"title": f"{index}/{batch}/{i}"}, False)
                    for i in range(10)
                ], wall_ms())
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=push, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    cursor, seen = 0, {}
    while any(t.is_alive() for t in threads) or cursor < _top(storage, team):
        page = storage.pull(team, cursor, 5)
        for text in page.changes:
            change = _parse(text)
            assert change["seq"] > cursor
            seen[change["id"]] = change
        cursor = page.cursor
    for thread in threads:
        thread.join()
    assert not errors
    final = {c["id"]: c for c in map(_parse, storage.pull(team, 0, 5000).changes)}
    assert seen == final and len(final) == 30


def _top(storage: Storage, team: str) -> int:
    return storage.pull(team, 0, 5000).cursor


def _parse(text: str) -> dict[str, Any]:
    return dict(json.loads(text))
