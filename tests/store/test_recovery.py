"""Opening damaged databases: never a crash, never a silent wipe."""

from __future__ import annotations

from pathlib import Path

from app.store import Store

ITEM = {"code": "crewkit:eq:1", "name": "Alexa Mini"}


def make(directory: Path, n: int, compact: bool = False) -> list[str]:
    store = Store.open(directory)
    ids = []
    for i in range(n):
        with store.transaction() as tx:
            ids.append(tx.insert("equipment", {**ITEM, "code": f"c{i}"}))
    if compact:
        store.compact()
    store.close()
    return ids


def ids_in(store: Store) -> list[str]:
    return sorted(r["id"] for r in store.all("equipment"))


def test_a_torn_last_line_is_ignored_and_cut(store_dir: Path) -> None:
    ids = make(store_dir, 3)
    journal = store_dir / "crewkit.journal"
    journal.write_bytes(journal.read_bytes() + b'{"tx": 99, "w": [["equipment", "x"')
    store = Store.open(store_dir)
    assert ids_in(store) == sorted(ids) and store.recovery_notes == []
    with store.transaction() as tx:
        new = tx.insert("equipment", ITEM)
    store.close()
    store = Store.open(store_dir)
    assert ids_in(store) == sorted([*ids, new])
    store.close()


def test_a_garbage_middle_line_costs_its_transaction_only_and_is_named(store_dir: Path) -> None:
    ids = make(store_dir, 4)
    journal = store_dir / "crewkit.journal"
    lines = journal.read_bytes().split(b"\n")
    lines[3] = b"\x00\x00garbage"  # the third of four transactions (line 1 is device setup)
    journal.write_bytes(b"\n".join(lines))
    store = Store.open(store_dir)
    assert ids_in(store) == sorted([ids[0], ids[1], ids[3]])
    assert store.unreadable_transactions == [4]
    assert len(store.recovery_notes) == 1
    assert "transaction 4" in store.recovery_notes[0] and "line 4" in store.recovery_notes[0]
    aside = list(store_dir.glob("crewkit.journal.unreadable-*"))
    assert len(aside) == 1 and b"garbage" in aside[0].read_bytes()
    assert aside[0].name in store.recovery_notes[0]
    store.close()
    store = Store.open(store_dir)  # the recovered state is durable; no crash loop
    assert ids_in(store) == sorted([ids[0], ids[1], ids[3]]) and store.recovery_notes == []
    store.close()


def test_an_unreadable_snapshot_is_set_aside_and_rebuilt_from_the_journals(
    store_dir: Path,
) -> None:
    ids = make(store_dir, 2, compact=True)
    (store_dir / "crewkit.json").write_text('{"equipment": {"a": ')
    store = Store.open(store_dir)
    assert "was damaged" in store.recovery_notes[0]
    assert "Nothing was lost" in store.recovery_notes[0]
    assert list(store_dir.glob("crewkit.json.unreadable-*"))
    assert ids_in(store) == sorted(ids)
    with store.transaction() as tx:
        rid = tx.insert("equipment", ITEM)
    store.close()
    store = Store.open(store_dir)
    assert ids_in(store) == sorted([*ids, rid]) and store.recovery_notes == []
    store.close()


def test_a_snapshot_that_is_not_a_database_is_moved_aside(store_dir: Path) -> None:
    store_dir.mkdir()
    (store_dir / "crewkit.json").write_text("[1, 2, 3]")
    store = Store.open(store_dir)
    assert "not a TinyDB database" in store.recovery_notes[0]
    assert store.unreadable_transactions == []
    store.close()


def test_a_well_formed_but_malformed_record_is_set_aside_and_named(store_dir: Path) -> None:
    ids = make(store_dir, 2)
    journal = store_dir / "crewkit.journal"
    journal.write_bytes(journal.read_bytes() + b'{"tx": 50, "w": 3}\n')
    store = Store.open(store_dir)
    assert ids_in(store) == sorted(ids) and store.unreadable_transactions == [4]
    assert "could not be recovered (transaction 4" in store.recovery_notes[0]
    store.close()


def test_a_crash_between_snapshot_and_journal_reset_replays_nothing_twice(
    store_dir: Path,
) -> None:
    ids = make(store_dir, 3)
    journal = (store_dir / "crewkit.journal").read_bytes()
    store = Store.open(store_dir)
    with store.transaction() as tx:
        tx.delete("equipment", ids[0])
    store.compact()
    store.close()
    # As if the process died after the snapshot's rename but before the journal was cut.
    (store_dir / "crewkit.journal").write_bytes(journal)
    store = Store.open(store_dir)
    assert ids_in(store) == sorted(ids[1:])
    store.close()
