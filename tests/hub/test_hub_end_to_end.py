"""A location with no signal, in real processes on loopback: the company server and a
base-camp hub (``crewkit-server serve`` and ``crewkit-server hub``), and two phones (real
stores with their sync engines over real HTTP). Ana's phone was paired with the server
and is told the hub's address; Ben's joined through an invite the hub issued.

With the server stopped, a check-out on one phone shows on the other through the hub,
live; once the server runs again the hub relays both ops up under their origin devices
and op ids, and Ben (paired at the hub) is known there too. Two check-outs of one case
made at once on both phones show as the same custody conflict on both.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.blobs import BlobStore
from app.custody import conflicts, custody_of
from app.custody_actions import check_in, check_out
from app.equipment import create_item
from app.store import OUTBOX, Store
from bench.postgres import free_port
from bench.serving import serving
from sync import SyncEngine, SyncState, current_pairing

from .processes import SCRIPT, cli, invite, status

#: How long a change may take from one phone to the other through the hub: the goal is
#: 2 s; the bound leaves room for a machine busy with other work.
LIVE_S = 15.0
#: How long the hub may take to relay once the server is back: its backoff while the
#: server was down reaches at most a minute.
RELAY_S = 90.0
MORNING = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


@dataclass
class Phone:
    store: Store
    engine: SyncEngine

    @property
    def device_id(self) -> str:
        pairing = current_pairing(self.store)
        assert pairing is not None
        return pairing.device_id

    @property
    def token(self) -> str:
        pairing = current_pairing(self.store)
        assert pairing is not None
        return pairing.token

    def ops_of(self, record_ids: list[str]) -> list[str]:
        """The op ids waiting in the outbox for ``record_ids``."""
        return [op_id for op_id, op in self.store.private(OUTBOX).items()
                if op["id"] in record_ids]


@dataclass
class Location:
    """The company server and the hub as processes, and the two phones."""

    root: Path
    processes: ExitStack
    up_port: int = field(default_factory=free_port)
    hub_port: int = field(default_factory=free_port)
    phones: list[Phone] = field(default_factory=list)
    _upstream: ExitStack | None = None
    _starts: int = 0

    @property
    def up_data(self) -> Path:
        return self.root / "upstream"

    @property
    def hub_data(self) -> Path:
        return self.root / "hub"

    @property
    def up_url(self) -> str:
        return f"http://127.0.0.1:{self.up_port}"

    @property
    def hub_url(self) -> str:
        return f"http://127.0.0.1:{self.hub_port}"

    async def start_upstream(self) -> None:
        """Run the company server (again, over the same data and port)."""
        self._starts += 1
        command = [SCRIPT, "--data", self.up_data, "serve", "--port", str(self.up_port)]
        self._upstream = await asyncio.to_thread(
            _entered, serving(command, f"{self.up_url}/v1/health",
                              log=self.root / f"upstream{self._starts}.log"))

    async def stop_upstream(self) -> None:
        assert self._upstream is not None
        await asyncio.to_thread(self._upstream.close)
        self._upstream = None

    async def start_hub(self, join: str) -> None:
        command = [SCRIPT, "--data", self.hub_data, "hub", "--join", join, "--name",
                   "Base camp", "--host", "127.0.0.1", "--port", str(self.hub_port),
                   "--no-advertise"]
        await asyncio.to_thread(self.processes.enter_context, serving(
            command, f"{self.hub_url}/v1/health", log=self.root / "hub.log"))

    async def hub_health(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            return dict((await client.get(f"{self.hub_url}/v1/health")).json()["hub"])

    async def phone(self, name: str, join: str) -> Phone:
        directory = self.root / name
        store = Store.open(directory)
        engine = SyncEngine(store, blobs=BlobStore(directory / "blobs"))
        phone = Phone(store, engine)
        self.phones.append(phone)
        await engine.pair(join, name=name)
        engine.start()
        return phone

    async def close(self) -> None:
        for phone in self.phones:
            await phone.engine.stop()
            phone.store.close()
        if self._upstream is not None:
            await self.stop_upstream()
        await asyncio.to_thread(self.processes.close)


def _entered(manager: Any) -> ExitStack:
    stack = ExitStack()
    stack.enter_context(manager)
    return stack


@contextmanager
def _timed() -> Iterator[Callable[[], float]]:
    start = time.monotonic()
    yield lambda: time.monotonic() - start


async def until(check: Callable[[], object], timeout_s: float, what: str) -> float:
    """Wait until ``check()`` is true (it may be a coroutine function); seconds taken."""
    with _timed() as taken:
        while True:
            outcome = check()
            if asyncio.iscoroutine(outcome):
                outcome = await outcome
            if outcome:
                return taken()
            assert taken() < timeout_s, f"{what}: not within {timeout_s} s"
            await asyncio.sleep(0.02)


@dataclass
class BaseCamp:
    location: Location
    ana: Phone  # paired with the company server, syncing with the hub
    ben: Phone  # paired at the hub
    case: str  # the Steadicam case, known to both phones


@pytest.fixture
async def linked_camp(tmp_path: Path) -> AsyncIterator[BaseCamp]:
    """Server and hub running, both phones syncing with the hub."""
    with ExitStack() as processes:
        location = Location(tmp_path, processes)
        try:
            yield await _set_up(location)
        finally:
            await location.close()


@pytest.fixture
async def camp(linked_camp: BaseCamp) -> BaseCamp:
    """Both phones syncing with the hub, and the server stopped."""
    location = linked_camp.location
    await location.stop_upstream()

    async def cut_off() -> bool:
        return (await location.hub_health())["upstream"] == "unreachable"

    await until(cut_off, LIVE_S, "the hub notices the server is gone")
    return linked_camp


async def _set_up(location: Location) -> BaseCamp:
    await location.start_upstream()
    ana = await location.phone("ana", await asyncio.to_thread(
        invite, location.up_data, "coordinator", location.up_url))
    case = create_item(ana.store, name="Steadicam case", category="camera",
                       value_minor=2_800_000, currency="EUR")
    await until(lambda: ana.engine.status.synced_at_ms and ana.engine.status.pending == 0,
                LIVE_S, "ana's phone syncs with the server")
    await location.start_hub(await asyncio.to_thread(
        invite, location.up_data, "hub", location.up_url))

    async def linked() -> bool:
        return (await location.hub_health())["upstream"] == "linked"

    await until(linked, LIVE_S, "the hub links upstream")
    ana.engine.set_hub_address(location.hub_url)
    ben = await location.phone("ben", await asyncio.to_thread(
        invite, location.hub_data, "crew", location.hub_url))
    for phone in (ana, ben):
        await until(lambda p=phone: _at_hub(p) and p.engine.status.pending == 0, LIVE_S,
                    "each phone syncs with the hub")
    await until(lambda: custody_of(ben.store, case).status == "available", LIVE_S,
                "ben's phone has the case")
    return BaseCamp(location, ana, ben, case)


def _at_hub(phone: Phone) -> bool:
    endpoint = phone.engine.status.endpoint
    return endpoint is not None and endpoint.kind == "hub"


async def _devices(data: Path) -> list[dict[str, Any]]:
    """``crewkit-server devices --json`` of the server over ``data``."""
    done = await asyncio.to_thread(cli, data, "devices", "--json")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


async def _is_listed(data: Path, device_id: str) -> bool:
    return device_id in {d["device_id"] for d in await _devices(data)}


def _applied_ops(data: Path) -> set[tuple[str, str]]:
    """The (origin device, op id) pairs the server's database has applied."""
    with sqlite3.connect(f"file:{data / 'crewkit.sqlite3'}?mode=ro", uri=True) as db:
        return set(db.execute("SELECT device_id, op_id FROM applied_ops").fetchall())


async def test_a_check_out_travels_through_the_hub_and_up_once_the_server_is_back(
    camp: BaseCamp,
) -> None:
    location, ana, ben, case = camp.location, camp.ana, camp.ben, camp.case
    [out] = check_out(ana.store, case, "person-ana", at=MORNING)
    out_ops = ana.ops_of([out])
    taken = await until(lambda: custody_of(ben.store, case).holder_id == "person-ana", LIVE_S,
                        "ana's check-out shows on ben's phone")
    print(f"check-out A → B through the hub: {taken:.3f} s")
    [back] = check_in(ben.store, case, at=MORNING + timedelta(hours=3))
    back_ops = ben.ops_of([back])
    taken = await until(lambda: custody_of(ana.store, case).status == "available", LIVE_S,
                        "ben's check-in shows on ana's phone")
    print(f"check-in B → A through the hub: {taken:.3f} s")
    assert len(out_ops) == len(back_ops) == 1
    assert _at_hub(ana) and _at_hub(ben)
    assert (await location.hub_health())["relay_waiting"] == 2

    await location.start_upstream()

    def relayed() -> bool:
        now = status(location.hub_data)
        return bool(now["relay_waiting"] == 0 and now["upstream"] == "linked")

    taken = await until(lambda: asyncio.to_thread(relayed), RELAY_S,
                        "the hub relays to the server once it is back")
    print(f"relayed once the server is back: {taken:.3f} s")
    async with httpx.AsyncClient(base_url=location.up_url, headers={
            "Authorization": f"Bearer {ana.token}"}) as server:
        pulled = (await server.get("/v1/pull", params={"cursor": 0})).json()
    events = {c["id"]: c for c in pulled["changes"] if c["coll"] == "custody_events"}
    assert events[out]["fields"]["action"] == "check_out"
    assert events[back]["fields"]["action"] == "check_in"
    assert ana.device_id in events[out]["hlc"]["action"]
    assert ben.device_id in events[back]["hlc"]["action"]
    assert {(ana.device_id, out_ops[0]), (ben.device_id, back_ops[0])} <= _applied_ops(
        location.up_data)
    listed = {d["device_id"]: d["role"] for d in await _devices(location.up_data)}
    assert listed[ben.device_id] == "crew"


async def test_check_outs_of_one_case_on_both_phones_show_one_conflict_on_both(
    camp: BaseCamp,
) -> None:
    ana, ben, case = camp.ana, camp.ben, camp.case
    # Both phones hold the case as available, and neither syncs between the two scans.
    check_out(ana.store, case, "person-ana", at=MORNING)
    check_out(ben.store, case, "person-ben", at=MORNING + timedelta(minutes=2))
    taken = await until(lambda: conflicts(ana.store) and conflicts(ben.store), LIVE_S,
                        "the conflict shows on both phones")
    print(f"conflict on both phones: {taken:.3f} s")
    assert conflicts(ana.store) == conflicts(ben.store)
    [conflict] = conflicts(ana.store)
    assert conflict.item_id == case
    assert [e["person_id"] for e in conflict.competing] == ["person-ana", "person-ben"]
    for phone in (ana, ben):
        assert custody_of(phone.store, case).holder_id == "person-ben"
        assert _at_hub(phone)


async def test_revocations_made_at_the_server_reach_the_running_hub(
    linked_camp: BaseCamp,
) -> None:
    location, ana, ben, case = (linked_camp.location, linked_camp.ana, linked_camp.ben,
                                linked_camp.case)
    # Ben, paired at the hub, is known to the server at once, so it can revoke him.
    taken = await until(lambda: _is_listed(location.up_data, ben.device_id), LIVE_S,
                        "the server knows ben")
    print(f"ben known at the server: {taken:.3f} s")
    assert (await asyncio.to_thread(cli, location.up_data, "revoke", ben.device_id)
            ).returncode == 0
    # Ana's check-out, pushed to the hub, starts its next exchange with the server.
    check_out(ana.store, case, "person-ana", at=MORNING)

    async def refuses_ben() -> bool:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {ben.token}"}) as c:
            return (await c.get(f"{location.hub_url}/v1/pull")).status_code == 401

    taken = await until(refuses_ben, LIVE_S, "the hub refuses ben's token")
    print(f"the hub refuses ben: {taken:.3f} s")
    assert (await ben.engine.sync_once()).state is SyncState.PAIR_AGAIN

    async def relay_waiting() -> int:
        return int((await location.hub_health())["relay_waiting"])

    taken = await until(lambda: _is(relay_waiting(), 0), LIVE_S, "ana's check-out goes up")
    print(f"check-out relayed: {taken:.3f} s")
    [hub_id] = [d["device_id"] for d in await _devices(location.up_data)
                if d["role"] == "hub"]
    assert (await asyncio.to_thread(cli, location.up_data, "revoke", hub_id)).returncode == 0
    check_in(ana.store, case, at=MORNING + timedelta(hours=3))

    async def revoked() -> bool:
        return (await location.hub_health())["upstream"] == "revoked"

    taken = await until(revoked, LIVE_S, "the hub finds itself revoked")
    print(f"the hub finds itself revoked: {taken:.3f} s")
    said = await asyncio.to_thread(status, location.hub_data)
    assert (said["upstream"], said["relay_waiting"]) == ("revoked", 1)
    assert "pair it again" in (await asyncio.to_thread(cli, location.hub_data, "status")).stdout
    # The hub still serves the location, and ana's phone sees what became of its relay.
    now = await ana.engine.sync_once()
    assert now.state is SyncState.SYNCED and _at_hub(ana)
    [hub] = now.hubs
    assert (hub.usable, hub.upstream, hub.relay_waiting) == (True, "revoked", 1)


async def _is(value: Awaitable[int], expected: int) -> bool:
    return await value == expected
