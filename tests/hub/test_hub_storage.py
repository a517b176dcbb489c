"""A hub's tables, on SQLite and PostgreSQL: the relay queue filled by the very push
transaction that applied each op, rejections numbered from the team's seq and handed to
their origin's pulls, devices copied from upstream, record states merged from upstream."""

from __future__ import annotations

import json

import pytest

from app.hlc import Stamp
from sync.server.storage import Device, HubLinkError, Storage, TeamDevice, ValidOp

NOW = 1_764_324_000_000
HASH_A, HASH_B = "a" * 64, "b" * 64


def _op(origin: str, n: int, **values: object) -> ValidOp:
    return ValidOp(f"{origin}-op{n}", "equipment", f"cam{n}", str(Stamp(NOW, n, origin)),
                   values or {"notes": f"note {n}"}, False)


def _linked(storage: Storage) -> str:
    link = storage.link_upstream("team-up", "Film", "http://upstream.test", "tok", "hub1", NOW)
    storage.register_devices(link.team_id, [TeamDevice("ana", "Ana", "crew", HASH_A, NOW)])
    return link.team_id


def test_a_push_queues_each_newly_applied_op_in_order(storage: Storage) -> None:
    team = _linked(storage)
    ana = Device("ana", team, "crew")
    storage.push(ana, [_op("ana", 1), _op("ana", 2)], NOW)
    storage.push(ana, [_op("ana", 2), _op("ana", 3)], NOW)  # op 2 again: a replay
    queued = storage.queued_ops(team, 10)
    assert [(q.origin, q.op["op_id"]) for q in queued] == [
        ("ana", "ana-op1"), ("ana", "ana-op2"), ("ana", "ana-op3")]
    assert queued[0].op == {"op_id": "ana-op1", "coll": "equipment", "id": "cam1",
                            "hlc": str(Stamp(NOW, 1, "ana")), "set": {"notes": "note 1"},
                            "delete": False}
    assert storage.relay_waiting(team) == 3


def test_a_server_that_is_no_hub_queues_nothing(storage: Storage) -> None:
    team = storage.create_invite("Film", "crew", "c" * 64, NOW)
    storage.push(Device("ana", team, "crew"), [_op("ana", 1)], NOW)
    assert storage.relay_waiting(team) == 0
    assert storage.hub_link() is None


def test_a_hub_with_a_team_of_its_own_queues_nothing(storage: Storage) -> None:
    link = storage.start_hub_team("Film", NOW)
    storage.push(Device("ana", link.team_id, "crew"), [_op("ana", 1)], NOW)
    assert (link.upstream_url, link.state, storage.relay_waiting(link.team_id)) == (
        None, "none", 0)


def test_settled_ops_leave_the_queue_and_rejections_reach_their_origin_once(
    storage: Storage,
) -> None:
    team = _linked(storage)
    storage.register_devices(team, [TeamDevice("ben", "Ben", "crew", HASH_B, NOW)])
    storage.push(Device("ana", team, "crew"), [_op("ana", 1), _op("ana", 2)], NOW)
    storage.push(Device("ben", team, "crew"), [_op("ben", 3)], NOW)
    sent = storage.queued_ops(team, 10)
    acked = {("ana", "ana-op1"), ("ben", "ben-op3")}
    rejected = {("ana", "ana-op2"): ("forbidden", "no")}
    assert storage.settle_relayed(team, sent, acked, rejected) == 1
    assert storage.settle_relayed(team, sent, acked, rejected) == 0  # a resent answer
    assert storage.relay_waiting(team) == 0
    page = storage.hub_page(team, "ana", 3, 100)
    assert [json.loads(r) for r in page.rejected] == [
        {"op": sent[1].op, "code": "forbidden", "message": "no"}]
    assert page.cursor == 4 and not page.changes  # the rejection took seq 4
    assert storage.hub_page(team, "ana", page.cursor, 100).rejected == []
    assert storage.hub_page(team, "ben", 3, 100).rejected == []


def test_a_paged_pull_carries_a_rejection_with_the_page_reaching_its_number(
    storage: Storage,
) -> None:
    team = _linked(storage)
    ana = Device("ana", team, "crew")
    storage.push(ana, [_op("ana", 1)], NOW)
    storage.settle_relayed(team, storage.queued_ops(team, 10), set(),
                           {("ana", "ana-op1"): ("forbidden", "no")})  # seq 2
    storage.push(ana, [_op("ana", 3)], NOW)  # seq 3
    first = storage.hub_page(team, "ana", 0, 1)
    assert (first.cursor, first.more, first.rejected) == (1, True, [])
    second = storage.hub_page(team, "ana", first.cursor, 1)
    assert (second.cursor, len(second.rejected), len(second.changes)) == (3, 1, 1)


def test_devices_from_upstream_authenticate_and_revocations_follow(storage: Storage) -> None:
    team = _linked(storage)
    storage.adopt_devices(team, [TeamDevice("cam", "Cam", "coordinator", HASH_B, NOW)])
    assert storage.device_for_token(HASH_B) == Device("cam", team, "coordinator")
    storage.adopt_devices(team, [TeamDevice("cam", "Cam", "coordinator", HASH_B, NOW,
                                            revoked_ms=NOW + 1)])
    assert storage.device_for_token(HASH_B) is None
    new_token = "d" * 64  # paired again upstream
    storage.adopt_devices(team, [TeamDevice("cam", "Cam", "crew", new_token, NOW + 2)])
    assert storage.device_for_token(new_token) == Device("cam", team, "crew")


def test_devices_paired_at_the_hub_wait_to_be_registered_upstream(storage: Storage) -> None:
    team = _linked(storage)
    storage.create_invite("Film", "crew", "e" * 64, NOW)
    storage.pair("e" * 64, "dana", "Dana", HASH_B, NOW)
    waiting = storage.unregistered_devices(team)
    assert [d.device_id for d in waiting] == ["ana", "dana"]
    storage.mark_registered(waiting)
    assert storage.unregistered_devices(team) == []


def test_upstream_states_merge_with_a_new_seq_once(storage: Storage) -> None:
    team = _linked(storage)
    storage.push(Device("ana", team, "crew"), [_op("ana", 1, notes="mine")], NOW)
    later = str(Stamp(NOW + 5, 0, "ben"))
    change = {"coll": "equipment", "id": "cam1", "fields": {"notes": "theirs", "serial": "X"},
              "hlc": {"notes": later, "serial": later}, "deleted": False, "seq": 7}
    assert storage.merge_upstream(team, [change], 7) == [
        ("equipment", {"notes": "theirs", "serial": "X"})]
    assert storage.merge_upstream(team, [change], 7) == []
    page = storage.pull(team, 1, 10)
    assert page.cursor == 2 and json.loads(page.changes[0])["fields"]["notes"] == "theirs"
    assert storage.hub_link().cursor == 7  # type: ignore[union-attr]


def test_an_own_team_with_records_does_not_join_another_team(storage: Storage) -> None:
    own = storage.start_hub_team("Location", NOW)
    storage.push(Device("ana", own.team_id, "crew"), [_op("ana", 1)], NOW)
    with pytest.raises(HubLinkError, match="already has records"):
        storage.link_upstream("team-up", "Film", "http://up.test", "tok", "hub1", NOW)
    assert storage.hub_link() == own


def test_an_empty_own_team_gives_way_to_the_upstream_team(storage: Storage) -> None:
    storage.start_hub_team("Film", NOW)
    link = storage.link_upstream("team-up", "Film", "http://up.test", "tok", "hub1", NOW)
    assert (link.team_id, link.team_name, link.state) == ("team-up", "Film", "linked")
