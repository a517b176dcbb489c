"""Damaged files, through the store's public API: a flipped byte is told from a torn
write, every intact transaction is kept and the lost ones are named, a damaged snapshot
costs nothing while the previous generation is intact, and no damaged shape stops the
store from opening."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest

from app.store import OUTBOX, Store, StoreUnavailable
from app.store.jsonio import dumps
from sync import current_pairing
from tests.store.faults import drop_privileges, in_child

ITEM = {"code": "crewkit:eq:1", "name": "Alexa Mini"}
PAIRING = {"sync.server": "http://127.0.0.1:8765", "sync.token": "tok-1",
           "sync.team_id": "t1", "sync.role": "crew"}


def make(directory: Path, n: int) -> list[str]:
    store = Store.open(directory)
    ids = []
    for i in range(n):
        with store.transaction() as tx:
            ids.append(tx.insert("equipment", {**ITEM, "code": f"c{i}"}))
    store.close()
    return ids


def equipment(store: Store) -> list[str]:
    return sorted(r["id"] for r in store.all("equipment"))


def journal_lines(directory: Path) -> list[bytes]:
    return (directory / "crewkit.journal").read_bytes().split(b"\n")


def write_lines(directory: Path, lines: list[bytes]) -> None:
    (directory / "crewkit.journal").write_bytes(b"\n".join(lines))


def checksummed(record: object) -> bytes:
    body = dumps(record)
    return b"%08x " % zlib.crc32(body) + body


def reopened(directory: Path) -> Store:
    store = Store.open(directory)
    assert store.recovery_notes == [], "recovery is durable: the second open is clean"
    return store


# -- checksums: damage is not a torn write, and costs only what it hit -------------------


def test_a_flipped_byte_in_the_last_line_is_reported_not_dropped_as_torn(
    store_dir: Path,
) -> None:
    ids = make(store_dir, 3)
    lines = journal_lines(store_dir)
    last = bytearray(lines[-2])  # lines[-1] is the b"" after the final newline
    last[len(last) // 2] ^= 0x01
    lines[-2] = bytes(last)
    write_lines(store_dir, lines)
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids[:2])
    assert store.unreadable_transactions == [4]
    assert "1 saved change could not be recovered (transaction 4" in store.recovery_notes[0]
    store.close()
    reopened(store_dir).close()


def test_several_damaged_lines_each_cost_one_transaction(store_dir: Path) -> None:
    ids = make(store_dir, 9)
    lines = journal_lines(store_dir)
    for n in (2, 5, 6):  # transactions 3, 6 and 7
        lines[n] = lines[n][:40] + b"#" + lines[n][41:]
    write_lines(store_dir, lines)
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids[i] for i in (0, 2, 3, 6, 7, 8))
    assert store.unreadable_transactions == [3, 6, 7]
    assert "transactions 3, 6 to 7" in store.recovery_notes[0]
    assert "lines 3, 6 to 7" in store.recovery_notes[0]
    store.close()


@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_damaged_newline_loses_nothing(store_dir: Path, where: str) -> None:
    ids = make(store_dir, 4)
    data = bytearray((store_dir / "crewkit.journal").read_bytes())
    newlines = [i for i, b in enumerate(data) if b == ord("\n")]
    data[newlines[2] if where == "middle" else newlines[-1]] = ord("x")
    (store_dir / "crewkit.journal").write_bytes(bytes(data))
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids)
    assert store.unreadable_transactions == [] and store.recovery_notes == []
    with store.transaction() as tx:
        new = tx.insert("equipment", ITEM)
    store.close()
    store = reopened(store_dir)
    assert equipment(store) == sorted([*ids, new])
    store.close()


def test_a_journal_written_before_checksums_opens_and_takes_new_commits(
    store_dir: Path,
) -> None:
    ids = make(store_dir, 3)
    lines = journal_lines(store_dir)
    legacy = [line[9:] for line in lines[:-1]] + [b'{"tx": 9, "w": [["equipment", "x"']
    write_lines(store_dir, legacy)  # bare JSON records, and a torn last one
    assert all(line.startswith(b'{"tx":') for line in legacy)
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids) and store.recovery_notes == []
    device = store.device_id
    with store.transaction() as tx:
        new = tx.insert("equipment", ITEM)
    store.close()
    store = reopened(store_dir)
    assert equipment(store) == sorted([*ids, new]) and store.device_id == device
    store.close()


# -- all or nothing, and a damaged snapshot unpairs nothing ------------------------------


@pytest.mark.parametrize("bad_write", [
    ["equipment", "x", {"name": "no stamps"}],
    ["equipment", "x", 5],
    ["equipment", 7, None],
    ["_meta", "device_id", {"no": "value"}],
])
def test_a_transaction_with_one_malformed_write_is_not_applied_at_all(
    store_dir: Path, bad_write: list
) -> None:
    ids = make(store_dir, 2)
    lines = journal_lines(store_dir)
    good = ["equipment", "half", {**ITEM, "_hlc": {"": "000000000000001:000000:aa"}}]
    lines.insert(-1, checksummed({"tx": 4, "w": [good, bad_write]}))
    write_lines(store_dir, lines)
    store = Store.open(store_dir)
    assert store.get("equipment", "half") is None, "half of a transaction was applied"
    assert equipment(store) == sorted(ids) and store.unreadable_transactions == [4]
    store.close()


def paired_store_with_pending_ops(directory: Path, compactions: int) -> tuple[str, list[str]]:
    store = Store.open(directory, compact_bytes=1 << 30)
    with store.transaction() as tx:
        for key, value in PAIRING.items():
            tx.set_meta(key, value)
    ids = []
    for round_ in range(compactions + 1):
        for i in range(10):
            with store.transaction() as tx:
                ids.append(tx.insert("equipment", {**ITEM, "code": f"c{round_}-{i}"}))
        if round_ < compactions:
            store.compact()
    device = store.device_id
    store.close()
    return device, ids


@pytest.mark.parametrize("compactions", [1, 2, 3])
@pytest.mark.parametrize("damage", [b"", b'{"equipment": {"a": {', b"\x00" * 64])
def test_a_damaged_snapshot_keeps_the_device_its_pairing_and_its_pending_ops(
    store_dir: Path, compactions: int, damage: bytes
) -> None:
    device, ids = paired_store_with_pending_ops(store_dir, compactions)
    (store_dir / "crewkit.json").write_bytes(damage)
    store = Store.open(store_dir)
    assert store.device_id == device
    pairing = current_pairing(store)
    assert pairing is not None and pairing.token == "tok-1"
    assert equipment(store) == sorted(ids)
    pending = [op for op in store.private(OUTBOX).values() if op["status"] == "pending"]
    assert len(pending) == len(ids)
    assert store.unreadable_transactions == []
    assert "Nothing was lost" in store.recovery_notes[0]
    store.close()
    store = reopened(store_dir)
    assert store.device_id == device and equipment(store) == sorted(ids)
    store.close()


@pytest.mark.parametrize("renamed", [1, 2, 3])
def test_a_compaction_cut_short_between_its_renames_loses_nothing(
    store_dir: Path, renamed: int
) -> None:
    """The files as they are after the first, second or third rename of a compaction."""
    device, ids = paired_store_with_pending_ops(store_dir, 1)
    store = Store.open(store_dir, compact_bytes=1 << 30)
    with store.transaction() as tx:
        ids.append(tx.insert("equipment", ITEM))
    snapshot_then = (store_dir / "crewkit.json").read_bytes()
    store.compact()  # crewkit.json is now the new snapshot; rebuild the earlier states
    store.close()
    new_snapshot = (store_dir / "crewkit.json").read_bytes()
    if renamed >= 1:  # crewkit.json -> previous: no current snapshot
        (store_dir / "crewkit.json").unlink()
        (store_dir / "crewkit.previous.json").write_bytes(snapshot_then)
    if renamed >= 2:  # journal -> previous journal: no current journal either
        (store_dir / "crewkit.journal").unlink(missing_ok=True)
    else:
        (store_dir / "crewkit.previous.journal").rename(store_dir / "crewkit.journal")
    if renamed >= 3:
        (store_dir / "crewkit.json").write_bytes(new_snapshot)
    store = Store.open(store_dir)
    assert store.recovery_notes == [] and store.device_id == device
    assert equipment(store) == sorted(ids)
    with store.transaction() as tx:
        ids.append(tx.insert("equipment", ITEM))
    store.compact()
    store.close()
    (store_dir / "crewkit.json").write_bytes(b"")  # and the generations are whole again
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids) and store.unreadable_transactions == []
    store.close()


# -- shapes that once stopped the store from opening --------------------------------------


@pytest.mark.parametrize("line", [b"[1, 2]", b'"text"', b"17", b"null", checksummed([1, 2])])
def test_a_journal_line_that_is_json_but_not_a_record_costs_only_itself(
    store_dir: Path, line: bytes
) -> None:
    ids = make(store_dir, 3)
    lines = journal_lines(store_dir)
    lines.insert(2, line)
    write_lines(store_dir, lines)
    store = Store.open(store_dir)
    assert equipment(store) == sorted(ids) and store.unreadable_transactions == []
    store.close()


@pytest.mark.parametrize("document", [
    b"[1, 2, 3]",
    b'{"_store": {"state": "x"}, "_meta": {}}',
    b'{"_store": [], "equipment": {}}',
    b'{"_meta": {"device_id": 5}}',
    b'{"_meta": []}',
    b'{"equipment": {"a": "not a document"}}',
])
def test_a_snapshot_of_the_wrong_shape_falls_back_to_the_previous_generation(
    store_dir: Path, document: bytes
) -> None:
    device, ids = paired_store_with_pending_ops(store_dir, 2)
    (store_dir / "crewkit.json").write_bytes(document)
    store = Store.open(store_dir)
    assert store.device_id == device and equipment(store) == sorted(ids)
    assert "Nothing was lost" in store.recovery_notes[0]
    store.close()


def test_a_lone_snapshot_of_the_wrong_shape_opens_on_what_it_still_holds(
    store_dir: Path,
) -> None:
    """A store written before snapshots had generations: nothing to fall back to."""
    device, ids = paired_store_with_pending_ops(store_dir, 1)
    for name in ("crewkit.previous.json", "crewkit.previous.journal"):
        (store_dir / name).unlink(missing_ok=True)
    snapshot = store_dir / "crewkit.json"
    tables = json.loads(snapshot.read_text())
    tables["_store"]["state"]["tx"] = "12"
    snapshot.write_text(json.dumps(tables))
    store = Store.open(store_dir)
    assert store.device_id == device and equipment(store) == sorted(ids)
    assert "count of saved transactions is damaged" in store.recovery_notes[0]
    store.close()


def open_as_nobody(directory: Path) -> str:
    drop_privileges()
    try:
        Store.open(directory).close()
    except StoreUnavailable as error:
        return str(error)
    return "opened"


def test_a_data_folder_the_app_cannot_write_is_one_clear_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    os.chmod(folder, 0o555)
    message = in_child(open_as_nobody, folder)
    assert message == (
        f"Crewkit cannot open its data folder {folder}: Crewkit is not allowed to write there."
    )


def test_a_data_folder_that_is_a_file_is_one_clear_sentence(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreUnavailable, match=r"/file/db: part of that path is a file, not"):
        Store.open(tmp_path / "file" / "db")
    with pytest.raises(StoreUnavailable, match=r"/file: that path is a file, not a folder\.$"):
        Store.open(tmp_path / "file")
