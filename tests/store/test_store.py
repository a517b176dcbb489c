from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tinydb import Query, TinyDB
from tinydb.table import Table

from app.store import OUTBOX, RecordNotFound, Store, StoreChange, StoreLocked
from sync.merge import RecordState

ITEM = {"code": "crewkit:eq:1", "name": "Alexa Mini", "category": "camera"}


def reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.directory)


def test_writes_survive_reopen(store: Store) -> None:
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    with store.transaction() as tx:
        tx.update("equipment", rid, {"name": "Alexa Mini LF"})
    store = reopen(store)
    assert store.get("equipment", rid) == {"id": rid, **ITEM, "name": "Alexa Mini LF"}
    store.close()


def test_a_failed_transaction_stores_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
        tx.insert("custody_events", {"equipment_id": rid, "action": "check_out"})
        raise RuntimeError("user cancelled")
    assert store.all("equipment") == [] and store.all("custody_events") == []
    assert store.private(OUTBOX) == {}
    store = reopen(store)
    assert store.all("equipment") == []
    store.close()


def test_an_unserialisable_value_fails_before_anything_is_applied(store: Store) -> None:
    with pytest.raises(TypeError), store.transaction() as tx:
        tx.insert("equipment", {"name": object()})
    assert store.all("equipment") == []


def test_every_change_queues_one_op_in_the_same_transaction(store: Store) -> None:
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
        tx.update("equipment", rid, {"flag": "repair"})
    with store.transaction() as tx:
        tx.update("equipment", rid, {"flag": "repair"})  # no change: no op
        tx.delete("equipment", rid)
    ops = list(store.private(OUTBOX).values())
    assert [(op["set"], op["delete"]) for op in ops] == [
        (ITEM, False),
        ({"flag": "repair"}, False),
        ({}, True),
    ]
    assert [op["hlc"] for op in ops] == sorted({op["hlc"] for op in ops})
    assert store.get("equipment", rid) is None
    assert store.state("equipment", rid).deleted


def test_updating_a_missing_record_is_a_clear_error(store: Store) -> None:
    with pytest.raises(RecordNotFound, match="no equipment record nope"), store.transaction() as tx:
        tx.update("equipment", "nope", {"name": "x"})


def test_reserved_names_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="reserved"), store.transaction() as tx:
        tx.insert("equipment", {"_hlc": {}})
    with pytest.raises(ValueError, match="collection"), store.transaction() as tx:
        tx.insert("_outbox", {})


def test_tinydb_queries_run_over_memory_and_tinydb_writes_are_refused(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("equipment", ITEM)
        tx.insert("equipment", {**ITEM, "code": "crewkit:eq:2", "category": "lens"})
    item = Query()
    assert [r["code"] for r in store.search("equipment", item.category == "lens")] == [
        "crewkit:eq:2"
    ]
    with store.transaction() as tx:
        tx.insert("equipment", {**ITEM, "code": "crewkit:eq:3", "category": "lens"})
    assert len(store.search("equipment", item.category == "lens")) == 2  # cache cleared
    with pytest.raises(TypeError, match="transaction"):
        store.table("equipment").insert({"name": "sneaky"})


def test_snapshot_is_a_tinydb_database(store: Store) -> None:
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    store.compact()

    class StringIds(Table):  # TinyDB's documented hook; record ids are UUIDs, not ints
        document_id_class = str

    class PlainTinyDB(TinyDB):
        table_class = StringIds

    with PlainTinyDB(store.directory / "crewkit.json") as plain:
        doc = plain.table("equipment").get(Query().code == ITEM["code"])
    assert doc is not None and doc["name"] == ITEM["name"]
    assert doc.doc_id == rid


def test_compaction_folds_the_journal(store_dir: Path) -> None:
    store = Store.open(store_dir, compact_bytes=2_000)
    ids = []
    for n in range(50):
        with store.transaction() as tx:
            ids.append(tx.insert("equipment", {**ITEM, "code": f"c{n}"}))
    assert (store_dir / "crewkit.journal").stat().st_size < 4_000
    assert (store_dir / "crewkit.json").stat().st_size > 2_000
    store = reopen(store)
    assert sorted(r["id"] for r in store.all("equipment")) == sorted(ids)
    store.close()


def test_indexes_agree_with_a_scan_through_writes_merges_and_reopen(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.insert("equipment", {**ITEM, "code": "A"})
        b = tx.insert("equipment", {**ITEM, "code": "B"})
    with store.transaction() as tx:
        tx.update("equipment", a, {"code": "A2"})
        tx.delete("equipment", b)
    remote = Store.open(store.directory.parent / "remote")
    with remote.transaction() as tx:
        c = tx.insert("equipment", {**ITEM, "code": "C"})
    store.merge_remote([("equipment", c, remote.state("equipment", c))])
    remote.close()
    for s in (store, reopen(store)):
        for code in ("A", "A2", "B", "C"):
            scanned = [r for r in s.all("equipment") if r["code"] == code]
            assert s.lookup("equipment", "code", code) == scanned
    assert [r["id"] for r in s.lookup("equipment", "code", "C")] == [c]
    s.close()


def test_holder_index_follows_custody(store: Store) -> None:
    def event(action: str, person: str | None, at: str) -> dict:
        return {"equipment_id": "cam", "action": action, "person_id": person, "at": at}

    holder = store.index("custody_events", "holder")
    with store.transaction() as tx:
        tx.insert("custody_events", event("check_out", "ana", "2026-11-28T09:00:00+01:00"))
    assert holder.holder_of("cam") == "ana" and holder.lookup("ana") == {"cam"}
    with store.transaction() as tx:
        # 08:30 UTC is after 09:00+01:00 (08:00 UTC) although it sorts before as text.
        back = tx.insert("custody_events", event("check_in", None, "2026-11-28T08:30:00+00:00"))
        tx.insert("custody_events", event("audit", "bo", "2026-11-28T10:00:00+00:00"))
    assert holder.holder_of("cam") is None and holder.lookup("ana") == set()
    with store.transaction() as tx:
        tx.delete("custody_events", back)
    assert holder.holder_of("cam") == "ana"
    store = reopen(store)
    assert store.index("custody_events", "holder").holder_of("cam") == "ana"
    store.close()


def test_merge_is_last_writer_wins_per_field_and_moves_the_cursor_atomically(
    store: Store, tmp_path: Path
) -> None:
    other = Store.open(tmp_path / "other")
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    other.merge_remote([("equipment", rid, store.state("equipment", rid))])
    with other.transaction() as tx:
        tx.update("equipment", rid, {"name": "renamed elsewhere"})
    with store.transaction() as tx:
        tx.update("equipment", rid, {"category": "lens"})
    changed = store.merge_remote(
        [("equipment", rid, other.state("equipment", rid))], meta={"sync.cursor": 7}
    )
    assert changed == 1
    assert store.get("equipment", rid) == {**ITEM, "id": rid, "name": "renamed elsewhere",
                                           "category": "lens"}
    assert store.meta("sync.cursor") == 7
    assert store.merge_remote([("equipment", rid, other.state("equipment", rid))]) == 0
    assert store.clock.now() > other.clock.last  # the clock absorbed the remote stamp
    other.close()


def test_listeners_hear_of_commits_after_the_lock_is_released(store: Store) -> None:
    heard: list[StoreChange] = []

    def listener(change: StoreChange) -> None:
        with store.transaction():  # would deadlock across threads if still locked
            heard.append(change)

    unsubscribe = store.subscribe(listener)
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    unsubscribe()
    with store.transaction() as tx:
        tx.update("equipment", rid, {"name": "x"})
    assert heard == [StoreChange({"equipment": frozenset({rid})}, remote=False)]


def test_a_failing_listener_does_not_undo_the_commit(store: Store) -> None:
    store.subscribe(lambda change: 1 / 0)
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    assert store.get("equipment", rid) is not None


def test_the_clock_never_goes_backwards_across_reopen(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("equipment", ITEM)
    last = store.clock.last
    store.clock.offset_ms = -10**9  # the device clock jumped back by days
    with store.transaction() as tx:
        tx.insert("equipment", ITEM)
    assert store.clock.last > last
    later = store.clock.last
    device = store.device_id
    store = reopen(store)
    assert store.clock.now() > later and store.device_id == device
    store.close()


def test_concurrent_threads_lose_nothing(store: Store) -> None:
    def work(n: int) -> None:
        for i in range(50):
            with store.transaction() as tx:
                tx.insert("notes", {"title": f"{n}-{i}"})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = reopen(store)
    assert len(store.all("notes")) == 200 and len(store.private(OUTBOX)) == 200
    store.close()


def test_a_second_open_of_the_same_directory_is_refused_until_the_first_closes(
    store: Store,
) -> None:
    with pytest.raises(StoreLocked, match="in use by another Crewkit"):
        Store.open(store.directory)
    store.close()
    Store.open(store.directory).close()


def test_records_read_or_written_share_nothing_mutable_with_the_store(store: Store) -> None:
    crew = ["ana", "bo"]
    fields = {"title": "Scene 4", "people_ids": crew}
    with store.transaction() as tx:
        rid = tx.insert("schedule_items", fields)
    crew.append("cy")  # the caller keeps editing its own list and dict
    fields["title"] = "changed behind the store's back"
    read = store.get("schedule_items", rid)
    read["people_ids"].append("dee")
    (op,) = store.private(OUTBOX).values()
    assert store.get("schedule_items", rid) == {"id": rid, "title": "Scene 4",
                                                "people_ids": ["ana", "bo"]}
    assert op["set"] == {"title": "Scene 4", "people_ids": ["ana", "bo"]}
    with store.transaction() as tx:  # an edited copy is a change, recorded as one
        tx.update("schedule_items", rid, {"people_ids": read["people_ids"]})
    assert store.get("schedule_items", rid)["people_ids"] == ["ana", "bo", "dee"]


def test_a_pulled_stamp_in_non_ascii_digits_is_not_merged_and_the_rest_is(store: Store) -> None:
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    full_width = {ord("0") + d: 0xFF10 + d for d in range(10)}
    forged = f"{'9' * 15}:{'0' * 6}".translate(full_width) + ":dev-x"
    good = f"{'0' * 14}1:000000:dev-y"
    changed = store.merge_remote(
        [
            ("equipment", rid, RecordState({"name": "forged"}, {"name": forged})),
            ("equipment", "e2", RecordState({"name": "Tripod"}, {"name": good})),
        ],
        meta={"sync.cursor": 3},
    )
    assert changed == 1
    assert store.get("equipment", rid)["name"] == ITEM["name"]
    assert store.get("equipment", "e2")["name"] == "Tripod"
    assert store.meta("sync.cursor") == 3
