"""Where a round syncs: a reachable hub of the device's team, else the server, each with its
own cursor; and the cursor of a store written before hubs, carried over."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.blobs import BlobStore
from app.hlc import wall_ms
from app.store import OUTBOX, Store
from sync import BadHubAddress, SyncEngine, SyncSettings, SyncState
from sync.client._endpoints import HUB, SERVER_KIND, cursor_of, parse_hub_address
from sync.client._pairing import CURSOR, CURSORS
from sync.server.auth import new_invite_code, new_token, secret_hash

from .conftest import SERVER_URL, World
from .tiers import (
    HUB_HOST,
    HUB_URL,
    HubStandIn,
    Router,
    TwoTierDevice,
    close_two_tier,
    hub_record,
    two_tier_device,
)


@pytest.fixture
async def phone(world: World, tmp_path: Path) -> AsyncIterator[TwoTierDevice]:
    device = await two_tier_device(world, tmp_path)
    yield device
    await close_two_tier(device)


def _note(store: Store, title: str) -> str:
    with store.transaction() as tx:
        return tx.insert("notes", {"title": title})


def _hub_changes(phone: TwoTierDevice) -> list[str]:
    """The JSON text of every change the hub holds."""
    return phone.hub.storage.pull(phone.hub.own_team, 0, 1000).changes


async def test_a_round_syncs_with_a_found_hub_of_its_team(phone: TwoTierDevice) -> None:
    assert phone.engine.status.endpoint is None  # paired, not synced yet
    phone.finder.show(hub_record(phone.hub.team_id))
    note = _note(phone.store, "Steadicam case out")
    status = await phone.engine.sync_once()
    assert status.state is SyncState.SYNCED and status.pending == 0
    assert (status.endpoint.kind, status.endpoint.url, status.endpoint.name) == (
        HUB, HUB_URL, "Base camp")
    assert any(note in change for change in _hub_changes(phone))
    assert phone.server.faults[("pass", "/v1/push")] == 0  # nothing went to the server
    assert cursor_of(phone.store, HUB_URL) > 0
    [seen] = status.hubs
    assert (seen.usable, seen.source, seen.upstream, seen.relay_waiting) == (
        True, "found", "linked", 0)


async def test_without_a_hub_the_round_syncs_with_the_server(phone: TwoTierDevice) -> None:
    _note(phone.store, "Call sheet v2")
    status = await phone.engine.sync_once()
    assert status.endpoint.kind == SERVER_KIND and status.endpoint.url == SERVER_URL
    assert phone.hub.faults[("pass", "/v1/health")] == 0  # no hub known: none asked
    assert status.hubs == ()


async def test_a_hub_of_another_team_is_never_used(phone: TwoTierDevice) -> None:
    real_team = phone.hub.team_id
    phone.hub.team_id = "team-someone-else"  # the hub's health names another team
    phone.finder.show(hub_record(real_team))  # even if mDNS said otherwise
    status = await phone.engine.sync_once()
    assert status.endpoint.kind == SERVER_KIND
    [seen] = status.hubs
    assert not seen.usable and "another team" in seen.note
    assert phone.hub.faults[("pass", "/v1/push")] == 0
    phone.finder.show(hub_record("team-someone-else"))  # announced for another team
    status = await phone.engine.sync_once()
    assert status.hubs == () and status.endpoint.kind == SERVER_KIND


async def test_a_plain_server_typed_as_a_hub_is_not_used_as_one(
    world: World, phone: TwoTierDevice,
) -> None:
    phone.router.routes["127.0.0.10"] = world.network()  # the company server, by IP
    phone.engine.set_hub_address("http://127.0.0.10:8080")
    status = await phone.engine.sync_once()
    assert status.endpoint.url == SERVER_URL
    [seen] = status.hubs
    assert (seen.source, seen.usable, seen.note) == (
        "typed", False, "a server, not a base-camp hub")


async def test_an_unreachable_hub_falls_back_to_the_server_and_back_again(
    phone: TwoTierDevice,
) -> None:
    phone.finder.show(hub_record(phone.hub.team_id))
    assert (await phone.engine.sync_once()).endpoint.kind == HUB
    phone.router.down.add("127.0.0.9")  # the hub's laptop closes its lid
    note = _note(phone.store, "made while the hub was away")
    status = await phone.engine.sync_once()
    assert (status.state, status.endpoint.kind, status.pending) == (
        SyncState.SYNCED, SERVER_KIND, 0)
    assert not any(note in change for change in _hub_changes(phone))
    [seen] = status.hubs
    assert seen.note == "no answer"
    phone.router.down.clear()
    status = await phone.engine.sync_once()
    assert status.endpoint.kind == HUB
    assert {e.kind for e in status.endpoints} == {HUB, SERVER_KIND}
    assert all(e.last_sync_ms is not None for e in status.endpoints)


async def test_a_hub_failing_mid_round_is_rested_and_the_server_syncs_at_once(
    world: World, tmp_path: Path,
) -> None:
    now = [1000.0]
    device = await two_tier_device(world, tmp_path, settings=SyncSettings(hub_retry_s=30),
                                   monotonic=lambda: now[0])
    try:
        device.finder.show(hub_record(device.hub.team_id))
        device.hub.choose = lambda r: "busy" if r.url.path == "/v1/push" else "pass"
        _note(device.store, "Genny refuelled")
        status = await device.engine.sync_once()
        assert (status.state, status.endpoint.kind, status.pending) == (
            SyncState.SYNCED, SERVER_KIND, 0)
        assert "the hub Base camp could not sync" in status.last_error
        device.hub.choose = lambda r: "pass"
        status = await device.engine.sync_once()  # rested: still the server
        assert status.endpoint.kind == SERVER_KIND
        assert "failed to sync" in status.hubs[0].note
        now[0] += 31
        assert (await device.engine.sync_once()).endpoint.kind == HUB
    finally:
        await close_two_tier(device)


async def test_with_no_server_either_a_hub_that_failed_is_asked_again_next_round(
    phone: TwoTierDevice,
) -> None:
    phone.finder.show(hub_record(phone.hub.team_id))
    phone.router.down.add("crewkit.test")  # no internet at the location
    phone.hub.choose = lambda r: "busy" if r.url.path == "/v1/push" else "pass"
    _note(phone.store, "Dolly track booked")
    assert (await phone.engine.sync_once()).state is SyncState.OFFLINE
    phone.hub.choose = lambda r: "pass"
    status = await phone.engine.sync_once()
    assert (status.state, status.endpoint.kind, status.pending) == (SyncState.SYNCED, HUB, 0)


async def test_a_hub_that_does_not_know_the_device_does_not_unpair_it(
    world: World, tmp_path: Path,
) -> None:
    device = await two_tier_device(world, tmp_path)
    try:
        device.hub.storage.revoke(device.store.device_id, 1)  # or never learned it
        device.finder.show(hub_record(device.hub.team_id))
        status = await device.engine.sync_once()
        assert (status.state, status.endpoint.kind) == (SyncState.SYNCED, SERVER_KIND)
        assert "does not know this device" in status.last_error
    finally:
        await close_two_tier(device)


async def test_a_typed_hub_is_preferred_and_the_last_hub_is_kept(
    phone: TwoTierDevice,
) -> None:
    phone.router.routes["127.0.0.11"] = phone.hub  # the same hub at a second address
    phone.finder.show(hub_record(phone.hub.team_id, host="127.0.0.11"))
    assert (await phone.engine.sync_once()).endpoint.url == "http://127.0.0.11:8765"
    phone.engine.set_hub_address(f"crewkit://hub?url={HUB_URL}/")
    assert phone.engine.hub_address == HUB_URL
    status = await phone.engine.sync_once()
    assert status.endpoint.url == "http://127.0.0.11:8765"  # the hub in use is kept
    phone.finder.show()
    status = await phone.engine.sync_once()
    assert status.endpoint.url == HUB_URL
    assert [h.source for h in status.hubs] == ["typed"]
    phone.engine.set_hub_address("")
    assert phone.engine.hub_address is None


@pytest.mark.parametrize(("text", "why"), [
    ("   ", "Type the hub"),
    ("192.168.1.20:8765", "http:// or https://"),
    ("ftp://192.168.1.20", "http:// or https://"),
    ("http://", "http:// or https://"),
    ("http://10.0.0.2:99999", "port"),
    ("http://10.0.0.2:8765/v1/pull?cursor=0", "just scheme, host and port"),
    ("crewkit://join?server=http://10.0.0.2&code=X", "not a hub's"),
    ("crewkit://hub?name=base", "url= parameter"),
])
async def test_a_bad_hub_address_is_refused_and_nothing_is_stored(
    phone: TwoTierDevice, text: str, why: str,
) -> None:
    phone.engine.set_hub_address(HUB_URL)
    with pytest.raises(BadHubAddress, match=why):
        parse_hub_address(text)
    if text.strip():
        with pytest.raises(BadHubAddress, match=why):
            phone.engine.set_hub_address(text)
    assert phone.engine.hub_address == HUB_URL


def test_hub_addresses_are_read_from_urls_and_hub_links() -> None:
    assert parse_hub_address(" https://Base-Camp.local:8443/ ") == "https://Base-Camp.local:8443"
    assert parse_hub_address("crewkit://hub?url=http%3A%2F%2F10.0.0.2%3A8765") == (
        "http://10.0.0.2:8765")
    assert parse_hub_address("http://[fe80::1]:8765") == "http://[fe80::1]:8765"


async def test_long_polls_go_to_the_endpoint_of_the_last_round(phone: TwoTierDevice) -> None:
    phone.finder.show(hub_record(phone.hub.team_id))
    phone.engine.settings = SyncSettings(poll_interval_s=3600, live_wait_s=0.2)
    phone.engine.start()

    def waits_at(network: Any) -> int:
        return network.faults[("pass", "/v1/pull")]

    async def until(condition: Any) -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(until(lambda: waits_at(phone.hub) >= 3), 20)
    assert phone.engine.status.endpoint.kind == HUB and phone.finder.started == 1
    at_server = waits_at(phone.server)
    phone.router.down.add("127.0.0.9")
    phone.finder.show()  # mDNS hears the hub leave: a round at once, with the server
    await asyncio.wait_for(until(lambda: waits_at(phone.server) >= at_server + 3), 20)
    assert phone.engine.status.endpoint.kind == SERVER_KIND
    await phone.engine.stop()
    assert phone.finder.closed == 1


async def test_a_typed_hub_that_comes_back_is_used_again_without_a_local_change(
    phone: TwoTierDevice,
) -> None:
    phone.engine.settings = SyncSettings(poll_interval_s=3600, live_wait_s=0,
                                         hub_retry_s=0.1, probe_timeout_s=0.5)
    phone.engine.set_hub_address(HUB_URL)
    phone.router.down.add("127.0.0.9")
    phone.engine.start()

    async def until(condition: Any) -> None:
        while not condition():
            await asyncio.sleep(0.01)

    status = lambda: phone.engine.status  # noqa: E731
    await asyncio.wait_for(until(lambda: status().endpoint is not None), 20)
    assert status().endpoint.kind == SERVER_KIND
    phone.router.down.clear()  # the hub's laptop wakes up
    await asyncio.wait_for(until(lambda: status().endpoint.kind == HUB), 20)


async def test_a_device_that_joined_through_a_hub_says_it_syncs_with_the_hub(
    world: World, tmp_path: Path,
) -> None:
    hub = HubStandIn(world, tmp_path)
    hub.team_id = hub.own_team  # a hub of a team of its own, or before its next relay
    code = new_invite_code()
    hub.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    store = Store.open(tmp_path / "joined-at-the-hub")
    engine = SyncEngine(store, transport=Router({HUB_HOST: hub}),
                        blobs=BlobStore(tmp_path / "joined-blobs"))
    try:
        await engine.pair(f"crewkit://join?server={HUB_URL}&code={code}", name="phone")
        _note(store, "Joined at base camp")
        status = await engine.sync_once()
        assert (status.state, status.endpoint.kind, status.endpoint.name) == (
            SyncState.SYNCED, HUB, "Base camp")
        assert [(e.kind, e.url) for e in status.endpoints] == [(HUB, HUB_URL)]
        [seen] = status.hubs
        assert (seen.source, seen.usable, seen.upstream) == ("paired", True, "linked")
    finally:
        await engine.stop()
        store.close()
        hub.close()


async def test_a_store_from_before_hubs_keeps_its_cursor(world: World, tmp_path: Path) -> None:
    writer = await world.paired_device()
    for n in range(3):
        _note(writer.store, f"note {n}")
    await writer.engine.sync_once()
    old = await world.paired_device()
    await old.engine.sync_once()
    reached = cursor_of(old.store, SERVER_URL)
    assert reached > 0
    with old.store.transaction() as tx:  # what a store written before hubs holds
        tx.set_meta(CURSOR, reached)
        tx.put_private("_meta", CURSORS, None)
    await old.engine.stop()
    directory = old.store.directory
    old.store.close()
    world.devices.remove(old)

    reopened = Store.open(directory)
    network = world.network()
    engine = SyncEngine(reopened, transport=network, blobs=BlobStore(directory / "blobs"))
    try:
        assert cursor_of(reopened, SERVER_URL) == reached
        assert reopened.meta(CURSOR) is None
        late = _note(writer.store, "after the upgrade")
        await writer.engine.sync_once()
        pulled: list[int] = []
        network.choose = lambda r: (pulled.append(int(r.url.params.get("cursor", -1)))
                                    or "pass")
        await engine.sync_once()
        assert reached in pulled and 0 not in pulled  # carried on, not restarted
        assert reopened.get("notes", late)["title"] == "after the upgrade"
        SyncEngine(reopened, transport=network)  # opening again changes nothing
        assert cursor_of(reopened, SERVER_URL) > reached
    finally:
        await engine.stop()
        reopened.close()


def _applied(storage_path: Path, device_id: str) -> list[str]:
    with sqlite3.connect(storage_path) as db:
        return [row[0] for row in db.execute(
            "SELECT op_id FROM applied_ops WHERE device_id = ?", (device_id,))]


async def _relay(world: World, phone: TwoTierDevice) -> None:
    """What the hub's relay does: every op the hub acknowledged, with its origin, upstream
    through ``POST /v1/relay`` under a hub token."""
    code, token = new_invite_code(), new_token()
    world.storage.create_invite("Film", "hub", secret_hash(code), 1)
    hub_device = world.storage.pair(secret_hash(code), "hub-base-camp", "Base camp",
                                    secret_hash(token), 1)
    ops = list({op["op_id"]: {**op, "origin": body["device_id"]}
                for body, answer in phone.hub.answered_pushes
                for op in body["ops"] if op["op_id"] in answer["acked"]}.values())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=world.app),
                                 base_url=SERVER_URL) as client:
        answer = await client.post("/v1/relay", headers={"Authorization": f"Bearer {token}"},
                                   json={"device_id": hub_device.device_id, "schema": 2,
                                         "ops": ops})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rejected"] == []


FAULTS = ("pass", "pass", "drop_after_commit", "duplicate", "offline")


@pytest.mark.parametrize("seed", range(3))
async def test_moving_between_hub_and_server_and_losing_answers_lands_every_op_once(
    world: World, tmp_path: Path, seed: int,
) -> None:
    """A phone alternates between a hub and the server, pushes, and loses answers; the
    other devices write only to the server. Every op reaches the server exactly once
    (relayed or direct), each endpoint keeps its own cursor, and the phone ends holding
    exactly what the server holds."""
    rng = random.Random(seed)
    phone = await two_tier_device(world, tmp_path)
    other = await world.paired_device()
    made: list[str] = []
    try:
        for step in range(24):
            for _ in range(rng.randint(1, 3)):
                made.append(_note(phone.store, f"phone {step}"))
            if rng.random() < 0.4:
                _note(other.store, f"other {step}")
                await other.engine.sync_once()
            phone.finder.show(*([hub_record(phone.hub.team_id)] if rng.random() < 0.5 else []))
            fault = rng.choice(FAULTS)
            phone.hub.choose = phone.server.choose = (
                lambda r, fault=fault: fault if r.url.path in ("/v1/push", "/v1/pull")
                else "pass")
            await phone.engine.sync_once()
        phone.hub.choose = phone.server.choose = lambda r: "pass"
        for shown in (True, False):  # quiescence: one clean round at each endpoint
            phone.finder.show(*([hub_record(phone.hub.team_id)] if shown else []))
            await phone.engine.sync_once()
        assert phone.store.private(OUTBOX) == {}
        assert phone.hub.answered_pushes and phone.server.answered_pushes
        await _relay(world, phone)
        await phone.engine.sync_once()  # with the server: brings back the relayed ops
        await other.engine.sync_once()

        device_id = phone.store.device_id
        applied = _applied(tmp_path / "data" / "crewkit.sqlite3", device_id)
        assert sorted(applied) == sorted(set(applied))  # once each
        pushed = {op["op_id"] for body, _ in phone.server.answered_pushes + phone.hub.
                  answered_pushes for op in body["ops"]}
        assert set(applied) == pushed
        assert cursor_of(phone.store, SERVER_URL) != cursor_of(phone.store, HUB_URL)
        for store in (phone.store, other.store):
            notes = {n["id"]: n["title"] for n in store.all("notes")}
            assert set(made) <= set(notes)
            assert notes == {n["id"]: n["title"] for n in other.store.all("notes")}
        assert len(phone.store.all("notes")) == len(made) + sum(
            1 for n in other.store.all("notes") if n["title"].startswith("other"))
    finally:
        await close_two_tier(phone)
