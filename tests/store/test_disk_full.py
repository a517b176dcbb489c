"""A full disk (a capped file size): a commit returns only once its whole line is on
disk, and a commit that failed leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from app.store import Store, StoreUnavailable
from tests.store.faults import cap_file_size, in_child

PAD = "x" * 700


def commit_under_cap(directory: Path, headroom: int, count: int, compact: int) -> list[bool]:
    """In a child: cap files at the journal's size + ``headroom``, then commit ``count``
    records r0, r1, ...; return which commits returned."""
    store = Store.open(directory, compact_bytes=compact)
    cap_file_size((directory / "crewkit.journal").stat().st_size + headroom)
    outcomes = []
    for n in range(count):
        try:
            with store.transaction() as tx:
                tx.insert("notes", {"body": PAD, "n": n}, record_id=f"r{n}")
        except OSError:
            outcomes.append(False)
        else:
            outcomes.append(True)
    return outcomes


def present(directory: Path) -> tuple[list[bool], Store]:
    store = Store.open(directory)
    return [store.get("notes", f"r{n}") is not None for n in range(6)], store


def test_a_commit_cut_short_by_a_full_disk_fails_and_leaves_nothing(store_dir: Path) -> None:
    # Room for one record and a half: the second commit's line is written in part only.
    outcomes = in_child(commit_under_cap, store_dir, 2400, 6, 1 << 30)
    assert outcomes[0] is True and outcomes[1] is False
    found, store = present(store_dir)
    assert found == outcomes, "every commit that returned is there, every failed one is not"
    assert store.recovery_notes == []
    with store.transaction() as tx:  # the journal takes new commits where it left off
        tx.insert("notes", {"body": "after"}, record_id="after")
    store.close()
    store = Store.open(store_dir)
    assert store.get("notes", "after") and store.get("notes", "r0")
    assert store.get("notes", "r1") is None
    store.close()


def commit_past_a_snapshot_that_cannot_fit(directory: Path) -> list[bool]:
    """In a child: one commit big enough to start a compaction, with room on the disk
    for its journal line but not for the new snapshot; then a small commit."""
    store = Store.open(directory, compact_bytes=1)
    snapshot = (directory / "crewkit.json").stat().st_size
    cap_file_size((directory / "crewkit.journal").stat().st_size + 2 * snapshot + 2000)
    outcomes = []
    for n, pad in ((0, "y" * snapshot), (1, "")):
        try:
            with store.transaction() as tx:
                tx.insert("notes", {"body": pad}, record_id=f"r{n}")
        except OSError:
            outcomes.append(False)
        else:
            outcomes.append(True)
    return outcomes


def test_a_snapshot_that_does_not_fit_does_not_fail_the_commit_it_follows(
    store_dir: Path,
) -> None:
    store = Store.open(store_dir)
    for n in range(6):
        with store.transaction() as tx:
            tx.insert("notes", {"body": PAD}, record_id=f"old{n}")
    store.compact()
    store.close()
    assert in_child(commit_past_a_snapshot_that_cannot_fit, store_dir) == [True, True]
    store = Store.open(store_dir)
    assert store.get("notes", "r0") and store.get("notes", "r1") and store.get("notes", "old5")
    assert store.recovery_notes == []
    assert [p.name for p in store_dir.iterdir() if p.name.endswith((".tmp", ".new"))] == []
    store.close()


def open_on_a_full_disk(directory: Path) -> str:
    cap_file_size(0)
    try:
        Store.open(directory).close()
    except StoreUnavailable as error:
        return str(error)
    return "opened"


def test_a_new_store_on_a_full_disk_says_so_in_one_sentence(store_dir: Path) -> None:
    message = in_child(open_on_a_full_disk, store_dir)
    assert message == f"Crewkit cannot open its data folder {store_dir}: the disk is full."
    store = Store.open(store_dir)  # and once there is room, it opens as a new store
    assert store.recovery_notes == [] and store.device_id
    store.close()
