"""Push and pull against real storage: merge per field, tombstones, replay, pages, codes."""

from __future__ import annotations

import itertools
import json
from typing import Any

from app.hlc import Stamp, wall_ms
from sync.schema import SCHEMA_VERSION
from sync.server.auth import new_invite_code, secret_hash
from sync.server.storage import Storage, ValidOp
from sync.server.storage.sql import CHUNK

from .conftest import Backend, PairFn, Server


def by_id(pulled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["id"]: change for change in pulled["changes"]}


async def test_health_needs_no_token(server: Server) -> None:
    async with server.client() as client:
        body = (await client.get("/v1/health")).json()
    assert body["status"] == "ok" and body["version"] == 1 and body["schema"] == SCHEMA_VERSION
    assert abs(body["server_time"] - wall_ms()) < 60_000


async def test_invites_are_single_use(server: Server, pair: PairFn) -> None:
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    async with server.client() as client:
        first = await client.post("/v1/devices", json={"invite": code.lower().replace("-", ""),
                                                       "device_id": "phone-1", "name": "A"})
        again = await client.post("/v1/devices", json={"invite": code, "device_id": "phone-2",
                                                       "name": "B"})
    assert first.status_code == 200 and first.json()["role"] == "crew"
    assert again.status_code == 403 and again.json()["error"] == "invalid_invite"


async def test_a_paired_device_id_cannot_pair_again(server: Server, pair: PairFn) -> None:
    device = await pair()
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    async with server.client() as client:
        response = await client.post("/v1/devices", json={
            "invite": code, "device_id": device.device_id, "name": "thief"})
    assert response.status_code == 409 and response.json()["error"] == "device_exists"


async def test_push_then_pull_returns_whole_records(pair: PairFn) -> None:
    device = await pair()
    op = device.op("equipment", "cam-1", name="Alexa Mini", value_minor=4_500_000)
    answer = await device.push(op)
    assert answer["acked"] == [op["op_id"]] and answer["rejected"] == []
    assert abs(answer["server_time"] - wall_ms()) < 60_000
    pulled = await device.pull()
    assert pulled["more"] is False and pulled["cursor"] == 1
    [change] = pulled["changes"]
    assert change == {"coll": "equipment", "id": "cam-1", "deleted": False, "seq": 1,
                      "fields": {"name": "Alexa Mini", "value_minor": 4_500_000},
                      "hlc": {"name": op["hlc"], "value_minor": op["hlc"]}}
    assert (await device.pull(cursor=1))["changes"] == []


async def test_replayed_ops_are_acked_without_effect(pair: PairFn) -> None:
    device = await pair()
    first = device.op("notes", "n1", title="Rain cover")
    await device.push(first)
    later = device.op("notes", "n1", title="Rain cover on stage 2")
    await device.push(later)
    replay = await device.push(first, later, first)
    assert replay["acked"] == [first["op_id"], later["op_id"], first["op_id"]]
    pulled = await device.pull()
    assert [c["seq"] for c in pulled["changes"]] == [2]
    assert pulled["changes"][0]["fields"]["title"] == "Rain cover on stage 2"


async def test_last_writer_wins_per_field_in_any_order(pair: PairFn) -> None:
    a, b = await pair("Forward"), await pair("Forward")
    a2, b2 = await pair("Backward"), await pair("Backward")
    t = wall_ms() - 10_000
    ops_a = [a.op("equipment", "case-7", hlc=a.hlc(t + 2), name="Case 7", serial="old")]
    ops_b = [b.op("equipment", "case-7", hlc=b.hlc(t + 1), name="Case seven", notes="dented"),
             b.op("equipment", "case-7", hlc=b.hlc(t + 3), serial="SN-9")]
    await a.push(*ops_a)
    await b.push(*ops_b)
    await b2.push(*[{**op, "hlc": op["hlc"].replace(b.device_id, b2.device_id)}
                    for op in ops_b])
    await a2.push(*[{**op, "hlc": op["hlc"].replace(a.device_id, a2.device_id)}
                    for op in ops_a])
    forward = by_id(await a.pull())["case-7"]["fields"]
    backward = by_id(await a2.pull())["case-7"]["fields"]
    assert forward == backward == {"name": "Case 7", "serial": "SN-9", "notes": "dented"}


async def test_an_older_write_changes_nothing_and_takes_no_seq(pair: PairFn) -> None:
    device = await pair()
    now = wall_ms()
    await device.push(device.op("notes", "n1", hlc=device.hlc(now), title="new"))
    answer = await device.push(device.op("notes", "n1", hlc=device.hlc(now - 5000), title="old"))
    assert len(answer["acked"]) == 1
    pulled = await device.pull()
    assert [(c["seq"], c["fields"]["title"]) for c in pulled["changes"]] == [(1, "new")]


async def test_a_delete_is_a_tombstone_later_edits_do_not_revive(pair: PairFn) -> None:
    device = await pair()
    now = wall_ms()
    await device.push(device.op("expenses", "x1", hlc=device.hlc(now), vendor="Cafe"))
    delete = device.op("expenses", "x1", hlc=device.hlc(now + 1), delete=True)
    await device.push(delete)
    await device.push(device.op("expenses", "x1", hlc=device.hlc(now + 2), note="late edit"))
    change = by_id(await device.pull())["x1"]
    assert change["deleted"] is True
    assert change["fields"] == {"vendor": "Cafe", "note": "late edit"}
    assert change["hlc"]["_deleted"] == delete["hlc"]
    assert "_deleted" not in change["fields"]


async def test_pull_pages_follow_seq(pair: PairFn) -> None:
    device = await pair()
    await device.push(*[device.op("notes", f"n{i:02}", title=str(i)) for i in range(25)])
    cursor, seen, pages = 0, [], 0
    while True:
        page = await device.pull(cursor, limit=10)
        pages += 1
        seen += [c["seq"] for c in page["changes"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert pages == 3 and seen == list(range(1, 26)) and cursor == 25


async def test_each_bad_op_is_rejected_alone(make_server: Any, pair: PairFn) -> None:
    device = await pair(role="crew")
    now = wall_ms()
    good = device.op("equipment", "cam-1", name="Camera")
    ops: list[Any] = [
        device.op("gadgets", "g1", name="x"),
        device.op("equipment", "e1", colour="red"),
        device.op("equipment", "e2", value_minor="12"),
        device.op("productions", "p1", name="Tour"),
        device.op("budget_lines", "b1", category="Catering"),
        device.op("people", "pe1", name="Ana"),
        device.op("equipment", "e3", hlc=device.hlc(now + 6 * 60_000), name="future"),
        good,
        {"coll": "equipment", "id": "e4", "hlc": device.hlc(), "set": {"name": "no op id"}},
        "not an object",
        {**device.op("equipment", "e5", name="x"), "hlc": "yesterday"},
        {**device.op("equipment", "e6", name="x"), "hlc": str(Stamp(now, 0, "someone-else"))},
        device.op("equipment", "e7"),
        {**device.op("equipment", "e8", name="x"), "extra": 1},
        {**device.op("equipment", "e9", name="x"), "id": "../../etc"},
    ]
    answer = await device.push(*ops)
    assert answer["acked"] == [good["op_id"]]
    codes = [(r["op_id"], r["code"]) for r in answer["rejected"]]
    assert [code for _, code in codes] == [
        "unknown_collection", "invalid_field", "invalid_field", "forbidden", "forbidden",
        "forbidden", "clock_skew", "invalid_op", "invalid_op", "invalid_op", "invalid_op",
        "invalid_op", "invalid_op", "invalid_op",
    ]
    assert codes[0][0] == ops[0]["op_id"] and codes[7][0] is None and codes[8][0] is None
    assert all(r["message"] for r in answer["rejected"])
    assert [c["id"] for c in (await device.pull())["changes"]] == ["cam-1"]


async def test_crew_reads_what_it_cannot_write(pair: PairFn) -> None:
    coordinator, crew = await pair(), await pair(role="crew")
    await coordinator.push(coordinator.op("productions", "p1", name="Tour"),
                           coordinator.op("budget_lines", "b1", allocated_minor=100))
    await crew.push(crew.op("custody_events", "c1", action="checkout", equipment_id="cam-1"))
    assert {c["id"] for c in (await crew.pull())["changes"]} == {"p1", "b1", "c1"}


async def test_only_a_coordinator_decides_on_expenses(pair: PairFn) -> None:
    coordinator, crew = await pair(), await pair(role="crew")
    answer = await crew.push(crew.op("expenses", "x1", amount_minor=900, status="submitted"),
                             crew.op("expenses", "x1", status="approved"),
                             crew.op("expenses", "x2", status="rejected"),
                             crew.op("expenses", "x3", status="reimbursed"))
    assert len(answer["acked"]) == 1
    assert [r["code"] for r in answer["rejected"]] == ["forbidden"] * 3
    assert "coordinator" in answer["rejected"][0]["message"]
    assert len((await coordinator.push(coordinator.op("expenses", "x1", status="approved")))
               ["acked"]) == 1
    pulled = by_id(await crew.pull())
    assert pulled["x1"]["fields"]["status"] == "approved" and set(pulled) == {"x1"}


async def test_clock_skew_is_judged_by_the_server_clock(make_server: Any, pair: PairFn) -> None:
    device = await pair()
    late_server = make_server(clock=lambda: wall_ms() - 10 * 60_000)
    async with late_server.client(device.token) as client:
        response = await client.post("/v1/push", json={
            "device_id": device.device_id, "schema": 1,
            "ops": [device.op("notes", "n1", title="x")]})
    assert response.json()["rejected"][0]["code"] == "clock_skew"


async def test_records_survive_a_server_restart(backend: Backend, pair: PairFn) -> None:
    device = await pair()
    await device.push(device.op("notes", "n1", title="kept"))
    reopened = backend.open()
    page = reopened.pull(device.team_id, 0, 10)
    assert len(page.changes) == 1 and '"kept"' in page.changes[0]


def test_a_push_spanning_several_insert_statements(storage: Storage) -> None:
    """Over ``CHUNK`` rows a push writes several multi-row INSERTs: still one seq per
    changed record, in order, each record once per push, and replays skipped."""
    assert CHUNK == 500  # the numbers below are chosen around it
    storage.create_invite("Film", "coordinator", "code-hash", wall_ms())
    device = storage.pair("code-hash", "dev-big", "phone", "token-hash", wall_ms())
    now, counter = wall_ms(), itertools.count()

    def op(n: int, title: str) -> ValidOp:
        return ValidOp(f"op{next(counter)}", "notes", f"n{n:03}",
                       str(Stamp(now, next(counter), "dev-big")), {"title": title}, False)

    first = [op(n, "one") for n in range(734)]
    storage.push(device, first, now)  # n000-n733: seqs 1-734
    # n400-n733 rewritten, n734-n899 new, n800-n899 twice in this push; replays skipped.
    second = [op(n, "two") for n in range(400, 900)] + [op(n, "three") for n in range(800, 900)]
    storage.push(device, second + first[:700], now)
    page = storage.pull(device.team_id, 0, 5000)
    changes = [json.loads(change) for change in page.changes]
    assert [c["seq"] for c in changes] == [*range(1, 401), *range(735, 1235)]
    assert [c["id"] for c in changes] == [f"n{n:03}" for n in range(900)]
    assert [c["fields"]["title"] for c in changes] == ["one"] * 400 + ["two"] * 400 + [
        "three"] * 100
    assert (page.cursor, page.more) == (1234, False)


async def test_a_stamp_in_non_ascii_digits_is_rejected_and_cannot_win_forever(
    pair: PairFn,
) -> None:
    coordinator, crew = await pair(), await pair(role="crew")
    full_width = {ord("0") + d: 0xFF10 + d for d in range(10)}
    huge = f"{'9' * 15}:{'0' * 6}".translate(full_width) + f":{crew.device_id}"
    forged = {**crew.op("equipment", "cam-1", name="Crew's camera"), "hlc": huge}
    empty = {**crew.op("equipment", "cam-2", name="x"), "hlc": ""}
    answer = await crew.push(forged, empty)
    assert answer["acked"] == []
    assert [r["code"] for r in answer["rejected"]] == ["invalid_op", "invalid_op"]
    await coordinator.push(coordinator.op("equipment", "cam-1", name="Coordinator's camera"))
    names = {c["id"]: c["fields"]["name"] for c in (await crew.pull())["changes"]}
    assert names == {"cam-1": "Coordinator's camera"}


async def test_a_cursor_beyond_any_seq_is_a_clear_400(pair: PairFn) -> None:
    device = await pair()
    for cursor in (2**63, 2**63 - 1 + 2**64, 10**30):
        response = await device.client.get("/v1/pull", params={"cursor": cursor})
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "invalid_request"
    assert (await device.pull(cursor=2**63 - 1))["changes"] == []
