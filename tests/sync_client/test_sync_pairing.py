"""Pairing from a join link: validation before the network, and what the store keeps."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from sync import PairingFailed, SyncSettings, SyncState, current_pairing, parse_join_link
from sync.client._endpoints import cursor_meta, cursor_of


def test_a_join_link_gives_server_and_code() -> None:
    link = parse_join_link(" crewkit://join?server=https://sync.example.org:8443/&code=AB12-CD34 ")
    assert (link.server, link.code) == ("https://sync.example.org:8443", "AB12-CD34")


def test_percent_encoded_server_urls_are_decoded() -> None:
    link = parse_join_link("crewkit://join?server=http%3A%2F%2F10.0.0.5%3A8765&code=X")
    assert link.server == "http://10.0.0.5:8765"


@pytest.mark.parametrize(
    ("uri", "complaint"),
    [
        ("https://join?server=http://a&code=X", "not a Crewkit join link"),
        ("crewkit:eq:0191", "not a Crewkit join link"),
        ("crewkit://leave?server=http://a&code=X", "not a Crewkit join link"),
        ("crewkit://join?code=X", "'server'"),
        ("crewkit://join?server=http://a", "'code'"),
        ("crewkit://join?server=http://a&code=", "'code'"),
        ("crewkit://join?server=http://a&code=X&code=Y", "'code'"),
        ("crewkit://join?server=ftp://a&code=X", "http(s) URL"),
        ("crewkit://join?server=a.example&code=X", "http(s) URL"),
    ],
)
def test_bad_join_links_say_what_is_wrong(uri: str, complaint: str) -> None:
    with pytest.raises(PairingFailed) as caught:
        parse_join_link(uri)
    assert complaint in str(caught.value)


async def test_pairing_stores_server_token_team_and_role(world) -> None:
    device = world.device()
    assert device.engine.status.state is SyncState.UNPAIRED
    pairing = await device.engine.pair(world.join_link("Film", "crew"), name="Ana's phone")
    assert current_pairing(device.store) == pairing
    assert (pairing.role, pairing.device_id) == ("crew", device.store.device_id)
    assert pairing.team_id.startswith("team-")
    assert pairing.token not in repr(pairing)
    assert [d.name for d in world.storage.devices()] == ["Ana's phone"]
    assert (await device.engine.sync_once()).state is SyncState.SYNCED


async def test_a_used_invite_is_refused_with_the_servers_reason(world) -> None:
    link = world.join_link()
    await world.device().engine.pair(link, name="first")
    second = world.device()
    with pytest.raises(PairingFailed, match="refused to pair: the invite code is unknown or used"):
        await second.engine.pair(link, name="second")
    assert current_pairing(second.store) is None


async def test_no_signal_while_pairing_is_a_clear_error(world) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    device = world.device()
    device.engine._transport = httpx.MockTransport(offline)
    with pytest.raises(PairingFailed, match=r"Could not reach the server at http://.+ tap Pair"):
        await device.engine.pair(world.join_link(), name="phone")
    assert current_pairing(device.store) is None


async def never_answers(request: httpx.Request) -> httpx.Response:
    """A server that takes the connection and then says nothing, ever."""
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


async def test_a_server_that_never_answers_fails_the_pairing_in_time(world) -> None:
    device = world.device()
    device.engine.settings = replace(device.engine.settings, pair_timeout_s=0.2)
    device.engine._transport = httpx.MockTransport(never_answers)
    with pytest.raises(PairingFailed, match=r"did not answer within 0\.2 seconds.+tap Pair"):
        await asyncio.wait_for(device.engine.pair(world.join_link(), name="phone"), 10)
    assert current_pairing(device.store) is None


def test_pairing_waits_about_twenty_seconds_at_most_by_default() -> None:
    assert SyncSettings().pair_timeout_s == 20


def _pairing_server(team_id: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        assert (request.method, request.url.path) == ("POST", "/v1/devices")
        return httpx.Response(200, json={"token": "t0k", "team_id": team_id, "role": "crew"})

    return httpx.MockTransport(answer)


async def test_joining_another_team_restarts_the_pull(world) -> None:
    device = world.device()
    link = "crewkit://join?server=http://crewkit.test&code=ABCD"
    device.engine._transport = _pairing_server("team-film")
    await device.engine.pair(link, name="phone")
    with device.store.transaction() as tx:
        for key, value in cursor_meta(device.store, "http://crewkit.test", 41).items():
            tx.set_meta(key, value)
    await device.engine.pair(link, name="phone")
    assert cursor_of(device.store, "http://crewkit.test") == 41  # same team: carry on where it was
    with device.store.transaction() as tx:  # made offline, meant for team-film
        tx.insert("notes", {"title": "Generator 2 leaking"})
    device.engine._transport = _pairing_server("team-tour")
    await device.engine.pair(link, name="phone")
    assert cursor_of(device.store, "http://crewkit.test") == 0
    assert current_pairing(device.store).team_id == "team-tour"
    # The op is not pushed into the new team, and not lost: held, visible, retryable.
    (held,) = device.engine.rejected_ops()
    assert (held.coll, held.code) == ("notes", "team_changed")
    assert device.engine.retry_rejected() == 1 and device.engine.rejected_ops() == []


async def test_a_malformed_pairing_answer_stores_nothing(world) -> None:
    device = world.device()
    device.engine._transport = httpx.MockTransport(lambda r: httpx.Response(200, json=[1]))
    with pytest.raises(PairingFailed, match="unexpected answer"):
        await device.engine.pair("crewkit://join?server=http://x.test&code=A", name="phone")
    assert current_pairing(device.store) is None
