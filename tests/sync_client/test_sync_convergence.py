"""Convergence: devices editing the same records while partitioned, over a flaky network
and a restarting server, all end up identical to each other and to the server, and
every op the server ever acknowledged (heard by its device or not) survives the merge.

Each seed is one random history: 3-5 devices, several rounds of random edits (insert,
update, delete of a small shared pool of ids, so edits collide), a random subset of
devices syncing in random order with every request randomly passed, lost (no signal),
answered 503, duplicated, or answered-then-dropped after the server committed; and
sometimes a server restart (a new app over the same database) between rounds.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import httpx
import pytest

from app.store import OUTBOX
from sync.merge import RecordState

from .conftest import FAULTS, Device, World
from .states import Key, storage_state, survives

SEEDS = range(6)
POOL = {"notes": [f"note-{n}" for n in range(4)], "equipment": [f"gear-{n}" for n in range(3)]}


def _random_fields(rng: random.Random, coll: str) -> dict[str, Any]:
    if coll == "notes":
        choices = {"title": rng.choice(["Rain", "Truck", "Power"]),
                   "body": rng.choice(["", "call 07:00", "bring ponchos"]),
                   "severity": rng.choice(["low", "high"])}
    else:
        choices = {"name": rng.choice(["Arri", "Sony", "Dolly"]),
                   "value_minor": rng.randrange(0, 10_000), "currency": "EUR",
                   "flag": rng.choice(["none", "repair", "missing"])}
    names = rng.sample(sorted(choices), rng.randint(1, len(choices)))
    return {name: choices[name] for name in names}


def _random_edit(rng: random.Random, device: Device) -> None:
    with device.store.transaction() as tx:
        for _ in range(rng.randint(1, 3)):
            coll = rng.choice(sorted(POOL))
            record_id = rng.choice(POOL[coll])
            if tx.get(coll, record_id) is not None:
                if rng.random() < 0.2:
                    tx.delete(coll, record_id)
                else:
                    tx.update(coll, record_id, _random_fields(rng, coll))
            elif tx.state(coll, record_id) is None:
                tx.insert(coll, _random_fields(rng, coll), record_id=record_id)


def _flaky(rng: random.Random, fault_rate: float, lose_first_push: bool = False) -> Any:
    def choose(request: httpx.Request) -> str:
        nonlocal lose_first_push
        if lose_first_push:  # pass everything until the first push, then lose its answer
            lose_first_push = request.url.path != "/v1/push"
            return "pass" if lose_first_push else "drop_after_commit"
        return rng.choice(FAULTS[1:]) if rng.random() < fault_rate else "pass"

    return choose


def _device_state(device: Device) -> dict[Key, RecordState]:
    found = {}
    for coll, ids in POOL.items():
        for record_id in ids:
            state = device.store.state(coll, record_id)
            if state is not None:
                found[(coll, record_id)] = state
    return found


@pytest.mark.parametrize("seed", SEEDS)
async def test_devices_and_server_converge(world_on_each_backend: World, seed: int) -> None:
    world, rng = world_on_each_backend, random.Random(seed)
    devices = [await world.paired_device() for _ in range(rng.randint(3, 5))]
    created: dict[str, dict[str, Any]] = {}
    for number in range(rng.randint(4, 7)):
        for device in devices:
            for _ in range(rng.randint(0 if number else 1, 3)):
                _random_edit(rng, device)
            created.update(device.store.private(OUTBOX))
        syncing = rng.sample(devices, rng.randint(1, len(devices)))
        for device in syncing:
            lose = number == 0 and device is syncing[0]  # at least once per history
            device.network.choose = _flaky(rng, fault_rate=0.4, lose_first_push=lose)
            await device.engine.sync_once()
        if rng.random() < 0.4:
            world.restart()
    for device in devices:
        device.network.choose = _flaky(rng, fault_rate=0.0)
    for _ in range(2):  # the first pass pushes everything, the second pulls it everywhere
        for device in devices:
            status = await device.engine.sync_once()
            assert (status.pending, status.rejected) == (0, 0), status

    server = storage_state(world.storage, devices[0].store.meta("sync.team_id"))
    for device in devices:
        assert _device_state(device) == server
    acknowledged = [(op, answer) for d in devices for op, answer in d.network.answered_pushes]
    acked_ids = {op_id for _, answer in acknowledged for op_id in answer["acked"]}
    assert acked_ids == set(created)  # every op made it, including never-heard answers
    for request, answer in acknowledged:
        for op in request["ops"]:
            if op["op_id"] in answer["acked"]:
                assert survives(op, server.get((op["coll"], op["id"]))), op
    faults = sum((d.network.faults for d in devices), Counter())
    assert faults[("drop_after_commit", "/v1/push")] >= 1
    assert sum(n for (fault, _), n in faults.items() if fault != "pass") > 1
