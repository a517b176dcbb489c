"""``GET /v1/pull?wait=S``: a long-poll that answers on the team's next push, or after S s,
frees its place when the client hangs up, and is capped per device and per server."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from bench.postgres import free_port
from sync.server.limits import Limits
from sync.server.serving import CrewkitServer

from .conftest import PairFn, Server

GENEROUS_S = 20.0


def _live(server: Server):  # type: ignore[no-untyped-def]
    return server.app.state.context.live


async def _until(condition: Callable[[], bool]) -> None:
    """Yield until ``condition`` holds (the caller bounds the wait)."""
    while not condition():
        await asyncio.sleep(0.005)


async def test_a_waiting_pull_answers_with_the_push_that_wakes_it(
    server: Server, pair: PairFn
) -> None:
    phone_a, phone_b = await pair(), await pair()
    started = time.monotonic()
    waiting = asyncio.ensure_future(phone_b.client.get(
        "/v1/pull", params={"cursor": 0, "wait": GENEROUS_S}))
    await asyncio.wait_for(_until(lambda: _live(server).waiting(phone_b.team_id) == 1), 10)
    assert not waiting.done()
    await phone_a.push(phone_a.op("notes", "n1", title="Steadicam case out"))
    answer = await asyncio.wait_for(waiting, GENEROUS_S)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["id"] for c in body["changes"]] == ["n1"] and body["cursor"] == 1
    assert time.monotonic() - started < GENEROUS_S  # woken, not timed out
    assert _live(server).waiting() == 0


async def test_news_already_there_is_answered_without_waiting(
    server: Server, pair: PairFn
) -> None:
    phone = await pair()
    await phone.push(phone.op("notes", "n1", title="call time 7:00"))
    answer = await asyncio.wait_for(phone.client.get(
        "/v1/pull", params={"cursor": 0, "wait": 30}), 10)
    assert [c["id"] for c in answer.json()["changes"]] == ["n1"]


async def test_a_wait_with_no_news_ends_empty_after_its_seconds(
    server: Server, pair: PairFn
) -> None:
    phone, other_team = await pair(), await pair(team="Other production")
    await phone.push(phone.op("notes", "n1", title="call time 7:00"))
    started = time.monotonic()
    waiting = asyncio.ensure_future(phone.client.get(
        "/v1/pull", params={"cursor": 1, "wait": 0.6}))
    await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
    await other_team.push(other_team.op("notes", "x1", title="not this team's news"))
    answer = await asyncio.wait_for(waiting, GENEROUS_S)
    assert time.monotonic() - started >= 0.6
    body = answer.json()
    assert (answer.status_code, body["changes"], body["cursor"], body["more"]) == (
        200, [], 1, False)
    assert _live(server).waiting() == 0


async def test_a_replayed_push_wakes_the_waiter_which_waits_on(
    server: Server, pair: PairFn
) -> None:
    phone_a, phone_b = await pair(), await pair()
    op = phone_a.op("notes", "n1", title="call time 7:00")
    await phone_a.push(op)
    waiting = asyncio.ensure_future(phone_b.client.get(
        "/v1/pull", params={"cursor": 1, "wait": GENEROUS_S}))
    await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
    await phone_a.push(op)  # nothing new: the waiter reads again and goes on waiting
    await asyncio.sleep(0.2)
    assert not waiting.done() and _live(server).waiting() == 1
    await phone_a.push(phone_a.op("notes", "n2", title="wrap at 19:00"))
    body = (await asyncio.wait_for(waiting, GENEROUS_S)).json()
    assert [c["id"] for c in body["changes"]] == ["n2"] and body["cursor"] == 2


async def test_a_cancelled_pull_frees_its_waiter(server: Server, pair: PairFn) -> None:
    phone = await pair()
    waiting = asyncio.ensure_future(phone.client.get(
        "/v1/pull", params={"cursor": 0, "wait": GENEROUS_S}))
    await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
    waiting.cancel()
    await asyncio.wait_for(_until(lambda: _live(server).waiting() == 0), 10)
    # The device's place is free again: a new wait is admitted.
    again = asyncio.ensure_future(phone.client.get(
        "/v1/pull", params={"cursor": 0, "wait": 0.2}))
    assert (await asyncio.wait_for(again, GENEROUS_S)).status_code == 200


@contextmanager
def _served(server: Server) -> Iterator[CrewkitServer]:
    """The app under a real uvicorn on 127.0.0.1, in a thread."""
    port = free_port()
    uv = CrewkitServer(server.app, "127.0.0.1", port, log_level="warning")
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield uv
    finally:
        uv.should_exit = True
        thread.join(20)


async def test_a_client_that_hangs_up_frees_its_waiter_on_a_real_server(
    server: Server, pair: PairFn
) -> None:
    phone = await pair()
    with _served(server) as uv:
        port = uv.config.port
        request = (f"GET /v1/pull?cursor=0&wait={GENEROUS_S} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Authorization: Bearer {phone.token}\r\n\r\n").encode()
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(request)
        await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
        sock.close()
        await asyncio.wait_for(_until(lambda: _live(server).waiting() == 0), 10)


@pytest.mark.parametrize("wait", ["-1", "30.5", "soon", "nan", "inf"])
async def test_a_wait_out_of_range_is_refused(server: Server, pair: PairFn, wait: str) -> None:
    phone = await pair()
    answer = await phone.client.get("/v1/pull", params={"cursor": 0, "wait": wait})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


async def test_waiters_are_capped_per_device_and_per_server(
    make_server: Callable[..., Server], pair: PairFn
) -> None:
    server = make_server(Limits(waits_per_device=1, waiting_pulls=2))
    phones = [await pair() for _ in range(4)]
    clients = [server.client(p.token) for p in phones]
    params = {"cursor": 0, "wait": GENEROUS_S}
    try:
        first = asyncio.ensure_future(clients[0].get("/v1/pull", params=params))
        await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
        twice = await clients[0].get("/v1/pull", params=params)
        assert twice.status_code == 429 and twice.json()["error"] == "too_many_waiters"
        assert twice.headers["Retry-After"] == "1"
        second = asyncio.ensure_future(clients[1].get("/v1/pull", params=params))
        await asyncio.wait_for(_until(lambda: _live(server).waiting() == 2), 10)
        full = await clients[2].get("/v1/pull", params=params)
        assert full.status_code == 503 and full.json()["error"] == "server_busy"
        assert "Retry-After" in full.headers
        # A pull that does not wait is never capped.
        assert (await clients[2].get("/v1/pull", params={"cursor": 0})).status_code == 200
        pusher = phones[3]
        pushed = await clients[3].post("/v1/push", json={
            "device_id": pusher.device_id, "schema": 1,
            "ops": [pusher.op("notes", "n1", title="gear truck arrived")]})
        assert pushed.status_code == 200
        for waiting in (first, second):
            body = (await asyncio.wait_for(waiting, GENEROUS_S)).json()
            assert [c["id"] for c in body["changes"]] == ["n1"]
        assert _live(server).waiting() == 0
    finally:
        for client in clients:
            await client.aclose()


async def test_a_device_revoked_while_its_pull_waits_gets_no_more_news(
    server: Server, pair: PairFn
) -> None:
    phone_a, phone_b = await pair(), await pair()
    waiting = asyncio.ensure_future(phone_b.client.get(
        "/v1/pull", params={"cursor": 0, "wait": GENEROUS_S}))
    await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
    assert server.storage.revoke(phone_b.device_id, 0)
    await phone_a.push(phone_a.op("notes", "n1", title="pushed after the revoke"))
    answer = await asyncio.wait_for(waiting, GENEROUS_S)
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
    assert _live(server).waiting() == 0


async def test_a_stopping_server_answers_its_waiting_pulls_at_once(
    server: Server, pair: PairFn
) -> None:
    phone = await pair()
    with _served(server) as uv:
        url = f"http://127.0.0.1:{uv.config.port}"
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            waiting = asyncio.ensure_future(client.get(
                "/v1/pull", params={"cursor": 0, "wait": 30},
                headers={"Authorization": f"Bearer {phone.token}"}))
            await asyncio.wait_for(_until(lambda: _live(server).waiting() == 1), 10)
            uv.should_exit = True  # what SIGTERM does
            answer = await asyncio.wait_for(waiting, GENEROUS_S)  # not the 30 s wait
    assert (answer.status_code, answer.json()["changes"]) == (200, [])
