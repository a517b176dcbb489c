"""A crowd of pushes never holds up health checks or pulls: pushes take turns on their
own threads, wait in a bounded queue, and past it are refused at once with a 503.

``make bench`` measures health under 60 concurrent 5,000-op pushes (``sync.health_under
_push_load``); this test holds pushes inside storage so the mechanism shows without
timing anything.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from sync.server.limits import Limits

from .conftest import Paired, PairFn, Server

THREADS, QUEUED = 2, 50


async def test_health_and_pulls_answer_while_every_push_waits(
    make_server: Callable[..., Server], pair: PairFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = await pair()
    server = make_server(Limits(push_threads=THREADS, queued_pushes=QUEUED))
    release, inside = threading.Event(), threading.Semaphore(0)
    merge = server.storage.push

    def held_push(*args: Any) -> dict[str, int]:
        inside.release()
        assert release.wait(60)
        return merge(*args)

    monkeypatch.setattr(server.storage, "push", held_push)
    async with server.client(device.token) as client:
        phone = Paired(device.device_id, device.token, device.team_id, device.role, client)
        ops = [[phone.op("notes", f"n{n}", title="x")] for n in range(THREADS + QUEUED)]
        pushes = [asyncio.create_task(phone.push(*batch)) for batch in ops]
        for _ in range(THREADS):  # both push threads are inside storage, held
            assert await asyncio.to_thread(inside.acquire, True, 30)
        lanes = server.app.state.context.lanes
        deadline = time.monotonic() + 30
        while lanes.pushes < THREADS + QUEUED and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # until the other pushes all wait in the queue
        assert lanes.pushes == THREADS + QUEUED
        assert not inside.acquire(blocking=False)  # only THREADS pushes run at once

        started = time.monotonic()
        health = await asyncio.wait_for(client.get("/v1/health"), 20)
        pull = await asyncio.wait_for(client.get("/v1/pull"), 20)
        assert (health.status_code, pull.status_code) == (200, 200)
        assert time.monotonic() - started < 20

        refused = await client.post("/v1/push", json={
            "device_id": device.device_id, "schema": 1,
            "ops": [phone.op("notes", "late", title="x")]})
        assert refused.status_code == 503 and refused.json()["error"] == "server_busy"
        assert int(refused.headers["retry-after"]) >= 1

        release.set()
        answers = await asyncio.wait_for(asyncio.gather(*pushes), 60)
    assert [a["acked"] for a in answers] == [[batch[0]["op_id"]] for batch in ops]
    assert len((await device.pull())["changes"]) == THREADS + QUEUED
