"""Property: a team syncing through two base-camp hubs and the company server converges.

Each example is one random day: 3-5 real devices (stores and sync engines; one crew, one
joined through hub A's own invite) editing a small shared pool of records and checking
gear out, two hubs of the team, and the upstream server, all in process. Between edits,
any link (device to hub, device to upstream, hub to upstream) may be cut or healed, any
answer may be lost after the far side handled it or come twice, hubs and upstream
restart over their data, and devices move between hubs. After quiescence (every link up,
a few rounds of every device and every hub) every device, both hubs and upstream hold
identical records; every op any endpoint acknowledged survives; every custody event is
there once, as made.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.blobs import BlobStore
from app.custody import conflicts
from app.custody_actions import check_out
from app.equipment import create_item
from app.hlc import wall_ms
from app.store import OUTBOX, Store
from sync import SyncEngine, SyncSettings
from sync.merge import DELETED, RecordState
from sync.server.app import create_app
from sync.server.auth import new_invite_code, secret_hash
from sync.server.cli import join_uri
from sync.server.hub import create_hub_app
from sync.server.hub.joining import join_upstream
from sync.server.storage import Storage, open_storage

from .hubs import UPSTREAM_URL

HUB_URLS = ("http://hub-a.test", "http://hub-b.test")
POOL = {"notes": [f"note-{n}" for n in range(3)], "equipment": [f"gear-{n}" for n in range(2)]}
Key = tuple[str, str]
#: What a link does with one request (``pass`` unless its fault rate says otherwise).
FAULTS = ("offline", "drop_after_commit", "duplicate")


@dataclass
class Tier:
    """A server in process (upstream or a hub) that can restart over its data."""

    url: str
    data: Path
    make: Callable[[Storage], Any]
    storage: Storage = field(init=False)
    app: Any = field(init=False)

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.storage = open_storage(self.data, "")
        self.app = self.make(self.storage)

    def restart(self) -> None:
        self.storage.close()
        self.start()


class Link(httpx.AsyncBaseTransport):
    """One party's way to one tier: cut or up, and when up, faulty at ``rate``."""

    def __init__(self, tier: Tier, rng: random.Random) -> None:
        self.tier, self.rng = tier, rng
        self.cut = False
        self.rate = 0.0
        self.faults: Counter[str] = Counter()
        #: (request body, answer) of every push this tier answered 200.
        self.answered_pushes: list[tuple[dict[str, Any], dict[str, Any]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.rng.choice(FAULTS) if self.rng.random() < self.rate else "pass"
        self.faults[fault] += 1
        if self.cut or fault == "offline":
            raise httpx.ConnectError("no route", request=request)
        response = await self._forward(request)
        if fault == "duplicate":
            response = await self._forward(request)
        if fault == "drop_after_commit":
            raise httpx.ReadError("connection lost", request=request)
        return response

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        answer = await httpx.ASGITransport(app=self.tier.app).handle_async_request(request)
        body = await answer.aread()
        if request.url.path == "/v1/push" and answer.status_code == 200:
            self.answered_pushes.append((json.loads(request.content), json.loads(body)))
        return httpx.Response(answer.status_code, headers=answer.headers, content=body,
                              request=request)


class Routes(httpx.AsyncBaseTransport):
    """A device's network: each request over its link to the tier its host names."""

    def __init__(self, links: dict[str, Link]) -> None:
        self.links = links

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        link = self.links.get(f"{request.url.scheme}://{request.url.host}")
        if link is None:
            raise httpx.ConnectError(f"no route to {request.url.host}", request=request)
        return await link.handle_async_request(request)


@dataclass
class Phone:
    store: Store
    engine: SyncEngine
    links: dict[str, Link]


class Day:
    """The team: upstream, two hubs and the phones, over one seeded fault source."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.upstream = Tier(UPSTREAM_URL, root / "upstream",
                             lambda storage: create_app(storage, root / "upstream" / "blobs"))
        self.hub_links = [Link(self.upstream, rng) for _ in HUB_URLS]
        self.hubs = [Tier(url, root / f"hub{n}", _hub_app(root / f"hub{n}", link))
                     for n, (url, link) in enumerate(zip(HUB_URLS, self.hub_links, strict=True))]
        self.phones: list[Phone] = []
        self.clock = 0.0  # the phones' monotonic clock: a minute passes every step

    def tiers(self) -> list[Tier]:
        return [self.upstream, *self.hubs]

    def links(self) -> list[Link]:
        return [*self.hub_links, *(link for p in self.phones for link in p.links.values())]

    def invite(self, tier: Tier, role: str) -> str:
        code = new_invite_code()
        tier.storage.create_invite("Film", role, secret_hash(code), wall_ms())
        return join_uri(tier.url, code)

    async def join_hubs(self) -> None:
        for hub, link in zip(self.hubs, self.hub_links, strict=True):
            await join_upstream(hub.storage, self.invite(self.upstream, "hub"), hub.url,
                                wall_ms(), link)

    async def phone(self, paired_at: Tier, role: str) -> Phone:
        directory = self.root / f"phone{len(self.phones)}"
        links = {tier.url: Link(tier, self.rng) for tier in self.tiers()}
        store = Store.open(directory)
        engine = SyncEngine(store, transport=Routes(links), blobs=BlobStore(directory / "blobs"),
                            settings=SyncSettings(timeout_s=5), monotonic=lambda: self.clock,
                            rng=random.Random(len(self.phones)))
        await engine.pair(self.invite(paired_at, role), name=directory.name)
        made = Phone(store, engine, links)
        self.phones.append(made)
        return made

    async def relay(self, hub: int) -> None:
        await self.hubs[hub].app.state.relay.run_once()

    async def close(self) -> None:
        for phone in self.phones:
            await phone.engine.stop()
            phone.store.close()
        for tier in self.tiers():
            tier.storage.close()


def _hub_app(data: Path, link: Link) -> Callable[[Storage], Any]:
    return lambda storage: create_hub_app(storage, data / "blobs", transport=link)


def _edit(rng: random.Random, phone: Phone, made_events: dict[str, dict[str, Any]]) -> None:
    with phone.store.transaction() as tx:
        coll = rng.choice([*POOL, "custody_events"])
        if coll == "custody_events":  # append-only: a new event every time
            fields = {"equipment_id": rng.choice(POOL["equipment"]),
                      "action": rng.choice(["checkout", "checkin"]),
                      "person_id": rng.choice(["ana", "ben"]),
                      "at": "2026-11-28T09:59:50+01:00"}
            made_events[tx.insert(coll, fields)] = fields
            return
        record_id = rng.choice(POOL[coll])
        fields = ({"title": rng.choice(["Rain", "Truck"]), "body": rng.choice(["", "07:00"])}
                  if coll == "notes" else {"name": rng.choice(["Arri", "Dolly"]),
                                           "flag": rng.choice(["none", "repair"])})
        if tx.get(coll, record_id) is not None:
            if rng.random() < 0.2:
                tx.delete(coll, record_id)
            else:
                tx.update(coll, record_id, fields)
        elif tx.state(coll, record_id) is None:
            tx.insert(coll, fields, record_id=record_id)


def _tier_state(tier: Tier, team_id: str) -> dict[Key, RecordState]:
    page = tier.storage.pull(team_id, 0, 100_000)
    assert not page.more
    found = {}
    for text in page.changes:
        change = json.loads(text)
        fields = {**change["fields"], **({DELETED: True} if change["deleted"] else {})}
        found[(change["coll"], change["id"])] = RecordState(fields, change["hlc"])
    return found


def _phone_state(phone: Phone, events: set[str]) -> dict[Key, RecordState]:
    keys = [(coll, i) for coll, ids in POOL.items() for i in ids]
    keys += [("custody_events", i) for i in events]
    return {key: state for key in keys if (state := phone.store.state(*key)) is not None}


def _survives(op: dict[str, Any], state: RecordState | None) -> bool:
    """An op is not lost if each field it wrote carries its stamp or a later one."""
    written = [*op.get("set", {}), *([DELETED] if op.get("delete") else [])]
    return state is not None and all(state.stamps.get(f, "") >= op["hlc"] for f in written)


PARTIES = 7  # up to five phones and two hubs
STEP = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 4)),
    st.tuples(st.just("sync"), st.integers(0, 4)),
    st.tuples(st.just("relay"), st.integers(0, 1)),
    st.tuples(st.just("cut"), st.integers(0, PARTIES - 1), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 4), st.sampled_from([None, 0, 1])),
    st.tuples(st.just("restart"), st.integers(0, 2)),
)


async def _run_day(root: Path, seed: int, phones: int, fault_rate: float,
                   steps: list[tuple[Any, ...]]) -> None:
    rng = random.Random(seed)
    day = Day(root, rng)
    try:
        await day.join_hubs()
        crew = await day.phone(day.upstream, "crew")
        team = [crew, *[await day.phone(day.upstream, "coordinator") for _ in range(phones - 2)]]
        for hub in range(2):
            await day.relay(hub)  # the hubs learn the team's devices
        team.append(await day.phone(day.hubs[0], "coordinator"))  # joins at base camp
        made: dict[str, dict[str, Any]] = {}
        outbox: dict[str, dict[str, Any]] = {}
        for link in day.links():
            link.rate = fault_rate
        for step in steps:
            day.clock += 60
            kind, *args = step
            if kind == "edit":
                phone = team[args[0] % len(team)]
                _edit(rng, phone, made)
                outbox.update(phone.store.private(OUTBOX))
            elif kind == "sync":
                await team[args[0] % len(team)].engine.sync_once()
            elif kind == "relay":
                await day.relay(args[0])
            elif kind == "cut":
                party, tier, cut = args
                party %= len(team) + 2
                if party >= len(team):  # a hub's link upstream
                    day.hub_links[party - len(team)].cut = cut
                else:
                    team[party].links[day.tiers()[tier].url].cut = cut
            elif kind == "move":
                phone, hub = team[args[0] % len(team)], args[1]
                phone.engine.set_hub_address(None if hub is None else HUB_URLS[hub])
            else:
                day.tiers()[args[0]].restart()

        for link in day.links():
            link.cut, link.rate = False, 0.0
        for _ in range(3):  # push everything in, relay it both ways, pull it everywhere
            for phone in team:
                await phone.engine.sync_once()
            for hub in range(2):
                await day.relay(hub)
        for phone in team:
            status = await phone.engine.sync_once()
            assert (status.pending, status.rejected) == (0, 0), status

        team_id = team[0].store.meta("sync.team_id")
        upstream = _tier_state(day.upstream, team_id)
        for hub in day.hubs:
            assert _tier_state(hub, team_id) == upstream, hub.url
        for phone in team:
            assert _phone_state(phone, set(made)) == upstream, phone.store.directory
        assert {key[1] for key in upstream if key[0] == "custody_events"} == set(made)
        for event_id, fields in made.items():
            state = upstream[("custody_events", event_id)]
            assert state.visible_fields() == fields
        answered = [pair for link in day.links() for pair in link.answered_pushes]
        acked = {op_id for _, answer in answered for op_id in answer["acked"]}
        assert acked >= set(outbox)  # every op was taken, heard by its phone or not
        for request, answer in answered:
            for op in request["ops"]:
                if op["op_id"] in answer["acked"]:
                    assert _survives(op, upstream.get((op["coll"], op["id"]))), op
    finally:
        await day.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), phones=st.integers(3, 5),
       fault_rate=st.sampled_from([0.0, 0.2, 0.4]), steps=st.lists(STEP, max_size=60))
def test_phones_hubs_and_upstream_converge(seed: int, phones: int, fault_rate: float,
                                           steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory(prefix="crewkit-tiers-") as root:
        asyncio.run(_run_day(Path(root), seed, phones, fault_rate, steps))


async def test_a_custody_conflict_through_one_hub_shows_on_both_phones_in_the_next_round(
    tmp_path: Path,
) -> None:
    day = Day(tmp_path, random.Random(0))
    try:
        await day.join_hubs()
        grip, camera_assistant = [await day.phone(day.upstream, "crew") for _ in range(2)]
        gear_room = await day.phone(day.upstream, "coordinator")
        steadicam = create_item(gear_room.store, name="Steadicam case", category="grip",
                                value_minor=900_000, currency="EUR")
        await gear_room.engine.sync_once()
        await day.relay(0)
        for phone in (grip, camera_assistant):
            phone.engine.set_hub_address(HUB_URLS[0])
            phone.links[UPSTREAM_URL].cut = True  # no signal in the car park
            await phone.engine.sync_once()
            assert phone.engine.status.endpoint.kind == "hub"
        day.hub_links[0].cut = True  # and none at base camp either

        morning = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
        check_out(grip.store, steadicam, "person-grip", at=morning)
        check_out(camera_assistant.store, steadicam, "person-ca",
                  at=morning + timedelta(minutes=2))
        for phone in (grip, camera_assistant, grip):
            status = await phone.engine.sync_once()
            assert (status.pending, status.endpoint.kind) == (0, "hub")
        for phone in (grip, camera_assistant):
            [conflict] = conflicts(phone.store)
            assert [e["person_id"] for e in conflict.competing] == ["person-grip", "person-ca"]
        assert conflicts(gear_room.store) == []  # upstream has heard nothing yet

        day.hub_links[0].cut = False
        await day.relay(0)
        await gear_room.engine.sync_once()
        [conflict] = conflicts(gear_room.store)
        assert conflict.item_id == steadicam
    finally:
        await day.close()
