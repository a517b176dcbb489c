"""Hostile text in pushes and pairings: lone surrogates, NUL, oversized names and values.

Each bad op is rejected on its own with a short message, the good ops of the same push
are acked, and no answer echoes more than a short prefix of what was sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.hlc import wall_ms
from sync import wire
from sync.schema import MAX_ID_CHARS, MAX_LIST_ITEMS, MAX_STR_CHARS, QUOTE_CHARS
from sync.server.auth import new_invite_code, secret_hash

from .conftest import Paired, PairFn, Server

MB = 1024 * 1024


async def push_raw(device: Paired, *ops: dict[str, Any]) -> dict[str, Any]:
    """Push with the body encoded as ASCII JSON, so a lone surrogate goes as ``\\ud800``."""
    content = json.dumps({"device_id": device.device_id, "schema": 1, "ops": list(ops)})
    response = await device.client.post(
        "/v1/push", content=content.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def rejections(answer: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {r["op_id"]: (r["code"], r["message"]) for r in answer["rejected"]}


async def test_a_lone_surrogate_is_rejected_per_op_and_the_rest_acked(pair: PairFn) -> None:
    device = await pair()
    # NUL is text (JSON spells it \u0000): stored and pulled back as sent, on PostgreSQL too.
    good = device.op("equipment", "cam1", name="Camera A", notes="nul\x00inside")
    in_str = device.op("equipment", "cam2", name="Cam\ud800era")
    in_ref = device.op("equipment", "cam3", kit_id="\udfff")
    in_list = device.op("schedule_items", "s1", people_ids=["p1", "p\ud800"])
    in_field_name = device.op("equipment", "cam4", **{"na\ud800me": "x"})
    in_coll = device.op("equip\ud800", "cam5", name="x")
    in_op_key = device.op("equipment", "cam6", name="x") | {"\ud800": 1}
    answer = await push_raw(device, good, in_str, in_ref, in_list, in_field_name, in_coll,
                            in_op_key)
    assert answer["acked"] == [good["op_id"]]
    found = rejections(answer)
    expected = {in_str["op_id"]: wire.INVALID_FIELD, in_ref["op_id"]: wire.INVALID_FIELD,
                in_list["op_id"]: wire.INVALID_FIELD, in_field_name["op_id"]: wire.INVALID_FIELD,
                in_coll["op_id"]: wire.UNKNOWN_COLLECTION, in_op_key["op_id"]: wire.INVALID_OP}
    assert {op_id: code for op_id, (code, _) in found.items()} == expected
    assert "surrogate" in found[in_str["op_id"]][1]
    assert "equipment.name" in found[in_str["op_id"]][1]
    pulled = await device.pull()
    assert [(c["coll"], c["id"]) for c in pulled["changes"]] == [("equipment", "cam1")]
    assert pulled["changes"][0]["fields"]["notes"] == "nul\x00inside"


@pytest.mark.parametrize("name", ["Ana\x00s phone", "Ana\ud800", "\x00"])
async def test_pairing_names_with_nul_or_a_surrogate_get_400(server: Server, name: str) -> None:
    code = new_invite_code()
    server.storage.create_invite("Film", "crew", secret_hash(code), wall_ms())
    content = json.dumps({"invite": code, "device_id": "phone1", "name": name})
    async with server.client() as anonymous:
        response = await anonymous.post("/v1/devices", content=content.encode(),
                                        headers={"Content-Type": "application/json"})
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "invalid_request"
        assert "name" in response.json()["message"]
        # The refusal used nothing up: the same invite pairs with a clean name.
        again = await anonymous.post("/v1/devices", json={"invite": code, "device_id": "phone1",
                                                          "name": "Ana's phone"})
    assert again.status_code == 200, again.text


async def test_megabyte_names_are_rejected_and_not_echoed(pair: PairFn) -> None:
    device = await pair()
    huge = "x" * MB
    good = device.op("equipment", "cam1", name="Camera A")
    long_field = device.op("equipment", "cam2", **{huge: "x"})
    long_coll = device.op(huge, "cam3", name="x")
    long_key = device.op("equipment", "cam4", name="x") | {huge: 1}
    content = json.dumps({"device_id": device.device_id, "schema": 1,
                          "ops": [good, long_field, long_coll, long_key]})
    response = await device.client.post(
        "/v1/push", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text[:200]
    assert len(response.content) < 2000
    answer = response.json()
    assert answer["acked"] == [good["op_id"]]
    found = rejections(answer)
    assert found[long_field["op_id"]][0] == wire.INVALID_FIELD
    assert found[long_coll["op_id"]][0] == wire.UNKNOWN_COLLECTION
    assert found[long_key["op_id"]][0] == wire.INVALID_OP
    for _, message in found.values():
        assert "x" * QUOTE_CHARS in message and "x" * (QUOTE_CHARS + 1) not in message


async def test_string_values_are_capped_per_op(pair: PairFn) -> None:
    device = await pair()
    at_caps = [
        device.op("equipment", "cam1", name="n" * MAX_STR_CHARS, kit_id="k" * MAX_ID_CHARS),
        device.op("schedule_items", "s1", people_ids=["p" * MAX_ID_CHARS] * MAX_LIST_ITEMS),
    ]
    over = {
        "long_str": device.op("equipment", "cam2", notes="n" * (MAX_STR_CHARS + 1)),
        "long_ref": device.op("equipment", "cam3", kit_id="k" * (MAX_ID_CHARS + 1)),
        "long_item": device.op("schedule_items", "s2", people_ids=["p" * (MAX_ID_CHARS + 1)]),
        "many_items": device.op("schedule_items", "s3", people_ids=["p"] * (MAX_LIST_ITEMS + 1)),
    }
    answer = await device.push(*at_caps, *over.values())
    assert answer["acked"] == [op["op_id"] for op in at_caps]
    found = rejections(answer)
    assert {found[op["op_id"]][0] for op in over.values()} == {wire.INVALID_FIELD}
    assert f"at most {MAX_STR_CHARS} characters" in found[over["long_str"]["op_id"]][1]
    assert f"at most {MAX_ID_CHARS} characters" in found[over["long_ref"]["op_id"]][1]
    assert f"at most {MAX_LIST_ITEMS}" in found[over["many_items"]["op_id"]][1]
    assert all(len(message) < 300 for _, message in found.values())
