"""Ops a hub accepted and the company server refused come back in the hub's pull answers
and are shown on the device like any rejected op."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.store import OUTBOX, Store
from sync import SyncState
from sync.client._outbox import reject_from_upstream

from .conftest import World
from .tiers import TwoTierDevice, close_two_tier, hub_record, two_tier_device

FORBIDDEN = {"code": "forbidden", "message": "a crew device may not edit budget lines"}


@pytest.fixture
async def phone(world: World, tmp_path: Path) -> AsyncIterator[TwoTierDevice]:
    device = await two_tier_device(world, tmp_path, role="crew")
    device.finder.show(hub_record(device.hub.team_id))
    yield device
    await close_two_tier(device)


def _note(store: Store, title: str) -> str:
    with store.transaction() as tx:
        return tx.insert("notes", {"title": title})


async def test_an_op_acked_by_the_hub_and_refused_upstream_becomes_rejected(
    phone: TwoTierDevice,
) -> None:
    note = _note(phone.store, "Budget: extra grip day")
    assert (await phone.engine.sync_once()).pending == 0  # the hub took it
    [(body, _)] = phone.hub.answered_pushes
    [op] = body["ops"]
    phone.hub.rejections = [{"op": op, **FORBIDDEN}, {"op": {"op_id": 7}, "code": "x"}]
    status = await phone.engine.sync_once()
    assert (status.state, status.rejected, status.pending) == (SyncState.SYNCED, 1, 0)
    [rejected] = phone.engine.rejected_ops()
    assert (rejected.op_id, rejected.coll, rejected.id, rejected.code, rejected.upstream) == (
        op["op_id"], "notes", note, "forbidden", True)
    assert rejected.message == FORBIDDEN["message"]
    assert phone.store.get("notes", note) is not None  # nothing dropped on the device
    status = await phone.engine.sync_once()  # told again: still one
    assert status.rejected == 1 and len(phone.engine.rejected_ops()) == 1
    assert phone.engine.retry_rejected() == 1
    assert not phone.engine.rejected_ops() and phone.engine.status.pending == 1
    assert "upstream" not in next(iter(phone.store.private(OUTBOX).values()))


def test_a_pending_op_refused_upstream_is_held_not_pushed_again(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "phone")
    try:
        _note(store, "Budget: van hire")
        [(op_id, doc)] = store.private(OUTBOX).items()
        op = {"op_id": op_id, **{k: doc[k] for k in ("coll", "id", "hlc", "set", "delete")}}
        assert reject_from_upstream(store, [{"op": op, **FORBIDDEN}]) == 1
        assert store.private(OUTBOX)[op_id]["status"] == "rejected"
        assert reject_from_upstream(store, [{"op": op, **FORBIDDEN}]) == 0
        assert reject_from_upstream(store, ["junk", {"op": None}, {}]) == 0
    finally:
        store.close()
