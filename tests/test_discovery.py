"""Finding a team's hub by mDNS: the TXT record, announcing and browsing on loopback only
(``127.0.0.1``, never another address), and choosing the reachable hub."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest

from sync.discovery import (
    MAX_INSTANCE_BYTES,
    SERVICE_TYPE,
    Advertiser,
    Hub,
    browse,
    choose_hub,
    health_probe,
    hub_from_txt,
    instance_name,
    txt_record,
)
from sync.schema import SCHEMA_VERSION
from sync.wire import PROTOCOL_VERSION

LOOPBACK = ["127.0.0.1"]


def _encoded(txt: dict[str, str]) -> dict[bytes, bytes | None]:
    return {key.encode(): value.encode() for key, value in txt.items()}


def _team() -> str:
    return f"team-{secrets.token_hex(8)}"


def test_the_txt_record_names_team_server_and_versions() -> None:
    txt = txt_record("team-8eccef3e8bb05520", "Base camp laptop")
    assert txt == {"team": "team-8eccef3e8bb05520", "name": "Base camp laptop",
                   "v": str(PROTOCOL_VERSION), "schema": str(SCHEMA_VERSION)}
    hub = hub_from_txt(_encoded(txt), ["127.0.0.5"], 8765)
    assert hub == Hub("team-8eccef3e8bb05520", "Base camp laptop", PROTOCOL_VERSION,
                      SCHEMA_VERSION, ("127.0.0.5",), 8765)
    assert hub is not None and hub.urls() == ["http://127.0.0.5:8765"]


@pytest.mark.parametrize("properties", [
    {b"name": b"printer"},  # another service's record
    {b"team": b"team-1", b"v": b"one", b"schema": b"2"},
    {b"team": b"team 1/../x", b"v": b"1", b"schema": b"2"},
    {b"team": b"\xff\xfe", b"v": b"1", b"schema": b"2"},
    {b"team": None, b"v": b"1", b"schema": b"2"},
])
def test_records_that_are_not_a_crewkit_servers_are_ignored(
    properties: dict[bytes, bytes | None],
) -> None:
    assert hub_from_txt(properties, ["127.0.0.5"], 8765) is None


def test_an_ipv6_hub_gets_a_bracketed_url() -> None:
    hub = hub_from_txt(_encoded(txt_record("team-1", "hub")), ["::1"], 8765)
    assert hub is not None and hub.urls() == ["http://[::1]:8765"]


def test_a_long_server_name_is_cut_to_one_dns_label_keeping_the_team() -> None:
    team = "team-8eccef3e8bb05520"
    name = instance_name(team, "Ana's very long laptop name.with.dots " * 4)
    label = name.removesuffix("." + SERVICE_TYPE)
    assert len(label.encode()) <= MAX_INSTANCE_BYTES
    assert label.endswith(team) and "." not in label


async def test_a_device_finds_the_hub_of_its_own_team_on_loopback() -> None:
    ours, theirs = _team(), _team()
    advertiser = Advertiser("Base camp", 18765, LOOPBACK, LOOPBACK)
    try:
        await asyncio.to_thread(advertiser.advertise, [ours, theirs])
        hubs = await browse(ours, seconds=1.5, interfaces=LOOPBACK)
        assert [(h.team_id, h.name, h.addresses, h.port) for h in hubs] == [
            (ours, "Base camp", ("127.0.0.1",), 18765)]
        # Withdrawn teams are no longer found.
        await asyncio.to_thread(advertiser.advertise, [theirs])
        assert await browse(ours, seconds=1.5, interfaces=LOOPBACK) == []
    finally:
        await asyncio.to_thread(advertiser.close)


def _health(version: int = PROTOCOL_VERSION, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"status": "ok", "version": version, "schema": 2,
                                        "server_time": 0})


async def test_the_reachable_hub_is_chosen_over_one_that_does_not_answer() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        port = request.url.port
        if port == 1001:
            raise httpx.ConnectError("no route", request=request)
        if port == 1002:
            return _health(version=PROTOCOL_VERSION + 1)  # speaks another protocol
        if port == 1003:
            return _health(status=503)  # its database is down
        return _health()

    probe = health_probe(httpx.MockTransport(answer))
    team = _team()

    def hub(port: int, version: int = PROTOCOL_VERSION) -> Hub:
        return Hub(team, f"hub {port}", version, SCHEMA_VERSION, ("127.0.0.1",), port)

    assert await choose_hub([hub(1001), hub(1002), hub(1003), hub(1004)], probe) == (
        "http://127.0.0.1:1004")
    assert await choose_hub([hub(1001), hub(1002), hub(1003)], probe) is None
    assert await choose_hub([hub(1004, version=PROTOCOL_VERSION + 1)], probe) is None
    assert await choose_hub([], probe) is None


async def test_the_quickest_of_two_reachable_hubs_is_preferred() -> None:
    async def probe(url: str) -> float | None:
        return {"http://127.0.0.1:2001": 0.4, "http://127.0.0.1:2002": 0.01}[url]

    team = _team()
    hubs = [Hub(team, "far", PROTOCOL_VERSION, SCHEMA_VERSION, ("127.0.0.1",), port)
            for port in (2001, 2002)]
    assert await choose_hub(hubs, probe) == "http://127.0.0.1:2002"
