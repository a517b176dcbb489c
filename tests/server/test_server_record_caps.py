"""A record's size is capped per op, and a pull page is capped in bytes as well as count.

Receipts and photos travel as blobs, so a record is a few fields of text: one that would
outgrow ``MAX_RECORD_BYTES`` is refused op by op, and a page of big records stops at
``max_page_bytes`` instead of building hundreds of megabytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sync.schema import MAX_RECORD_BYTES, MAX_STR_CHARS
from sync.server.limits import Limits

from .conftest import Paired, PairFn, Server

# A control character is stored as a six-byte JSON escape: 4000 of them make 24,000 bytes.
ESCAPED = "\x01" * MAX_STR_CHARS


def change_bytes(change: dict[str, Any]) -> int:
    """What the cap counts: the record's fields and stamps as the JSON a pull sends."""
    def encoded(value: Any) -> int:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    return encoded(change["fields"]) + encoded(change["hlc"])


async def test_an_op_that_would_outgrow_the_record_is_rejected_alone(pair: PairFn) -> None:
    device = await pair()
    ids = ["\x01" * 128] * 250  # 192,764 bytes
    first = [device.op("custody_events", "e1", resolves=ids),
             device.op("custody_events", "e1", note=ESCAPED),
             device.op("custody_events", "e1", condition=ESCAPED)]  # 240,789 bytes
    action = device.op("custody_events", "e1", action=ESCAPED)  # would make 264,801
    other = device.op("notes", "n2", title="short")
    answer = await device.push(*first, action, other)
    assert answer["acked"] == [op["op_id"] for op in [*first, other]]
    [refused] = answer["rejected"]
    assert (refused["op_id"], refused["code"]) == (action["op_id"], "record_too_large")
    assert f"at most {MAX_RECORD_BYTES} bytes" in refused["message"]
    assert "blob" in refused["message"]
    changes = {c["id"]: c for c in (await device.pull())["changes"]}
    assert set(changes["e1"]["fields"]) == {"resolves", "note", "condition"}
    assert change_bytes(changes["e1"]) <= MAX_RECORD_BYTES
    # Replaying the refused op is refused again; a smaller value still fits.
    again = await device.push(action)
    assert [r["op_id"] for r in again["rejected"]] == [action["op_id"]]
    smaller = device.op("custody_events", "e1", action="checkout")
    assert (await device.push(smaller))["acked"] == [smaller["op_id"]]


async def test_one_op_over_the_cap_is_rejected_and_stores_nothing(pair: PairFn) -> None:
    device = await pair()
    huge = device.op("custody_events", "e1", resolves=["\x01" * 128] * 1000)  # 771,000 bytes
    answer = await device.push(huge)
    assert answer["acked"] == []
    assert [r["code"] for r in answer["rejected"]] == ["record_too_large"]
    assert (await device.pull())["changes"] == []


async def test_a_page_stops_at_its_byte_cap(
    make_server: Callable[..., Server], pair: PairFn
) -> None:
    device = await pair()
    for n in range(10):
        await device.push(device.op("notes", f"n{n}", title=f"{n}" + "x" * 3999))
    limited = make_server(Limits(max_page_bytes=10_000))
    async with limited.client(device.token) as client:
        reader = Paired(device.device_id, device.token, device.team_id, device.role, client)
        cursor, pages, seen = 0, [], []
        while True:
            page = await reader.pull(cursor, limit=1000)
            pages.append(page)
            seen += [c["id"] for c in page["changes"]]
            cursor = page["cursor"]
            if not page["more"]:
                break
    assert seen == [f"n{n}" for n in range(10)]
    assert all(sum(map(change_bytes, p["changes"])) <= 10_000 for p in pages)
    assert [len(p["changes"]) for p in pages] == [2, 2, 2, 2, 2]


async def test_a_record_bigger_than_a_page_still_comes_alone(
    make_server: Callable[..., Server], pair: PairFn
) -> None:
    device = await pair()
    await device.push(device.op("notes", "big", title="x" * 4000, body="y" * 4000),
                      device.op("notes", "small", title="s"))
    limited = make_server(Limits(max_page_bytes=1000))
    async with limited.client(device.token) as client:
        reader = Paired(device.device_id, device.token, device.team_id, device.role, client)
        first = await reader.pull(0)
        assert [c["id"] for c in first["changes"]] == ["big"] and first["more"]
        second = await reader.pull(first["cursor"])
        assert [c["id"] for c in second["changes"]] == ["small"] and not second["more"]
