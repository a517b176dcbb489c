"""A fault campaign against one store: kill -9, a full disk, short and failing writes
at random points, byte flips in the journals and torn snapshots, one after another.

After every fault the store must open, hold every acknowledged transaction (except one
a byte flip hit, and then only if the store names it as lost), hold no transaction
whose commit failed, and hold every transaction whole or not at all.

``CREWKIT_STORE_FAULTS=10000 pytest tests/store/test_faults.py`` runs a long campaign
(``CREWKIT_FAULT_SEED`` picks another one). Writers are forked from the test process,
so a fault costs a fork, not a Python start-up.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import app.store.journal as journal_module
from app.store import Store, StoreUnavailable
from app.store.journal import decode
from tests.store.faults import cap_file_size, fork

FAULTS = int(os.environ.get("CREWKIT_STORE_FAULTS", "60"))
ROUND = 50  # faults per database: a long campaign costs the same per fault as a short one
COMPACT = 24 * 1024
KINDS = ("kill", "disk_full", "short_write", "flip", "tear_snapshot")
WEIGHTS = (35, 25, 20, 15, 5)
EVENTS = "custody_events"


# -- the writer, in a forked child ------------------------------------------------------


def _say(pipe: int, word: str) -> None:
    os.write(pipe, f"{word}\n".encode())


def _commit(store: Store, rng: random.Random, batch: int) -> None:
    with store.transaction() as tx:
        size = rng.randint(1, 6)
        for n in range(size):
            fields = {"batch": batch, "size": size, "n": n, "pad": "x" * rng.randint(0, 200)}
            tx.insert(EVENTS, fields, record_id=f"{batch}-{n}")
        tx.set_meta("last_batch", batch)


def _flaky_writes(rng: random.Random) -> None:
    """Writes that come back short, fail part-way or fail outright; syncs that fail."""
    real_pwrite, real_sync = os.pwrite, journal_module._sync

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        roll = rng.random()
        if roll < 0.04:
            raise OSError(errno.ENOSPC, "no space left on device")
        if roll < 0.35 and len(data) > 1:
            written = real_pwrite(fd, bytes(data[: rng.randint(1, len(data) - 1)]), offset)
            if roll < 0.08:
                raise OSError(errno.EIO, "input/output error")
            return written
        return real_pwrite(fd, data, offset)

    def sync(fd: int) -> None:
        if rng.random() < 0.03:
            raise OSError(errno.EIO, "input/output error")
        real_sync(fd)

    os.pwrite = pwrite  # type: ignore[assignment]
    journal_module._sync = sync


def _writer(directory: Path, kind: str, seed: int, first: int, pipe: int) -> None:
    rng = random.Random(seed)
    store = Store.open(directory, compact_bytes=COMPACT, indexes=[])
    if kind == "disk_full":
        cap_file_size((directory / "crewkit.journal").stat().st_size + rng.randint(0, 3000))
    elif kind == "short_write":
        _flaky_writes(rng)
    failures, commits = 0, rng.randint(2, 10) if kind != "kill" else 10**9
    parent = os.getppid()
    for batch in range(first, first + commits):
        if os.getppid() != parent:
            break  # the campaign is gone: a writer waiting to be killed stops
        _say(pipe, f"S{batch}")
        try:
            _commit(store, rng, batch)
        except OSError:
            _say(pipe, f"F{batch}")
            failures += 1
            if failures >= 2:
                break
        else:
            _say(pipe, f"A{batch}")
    if kind == "disk_full":
        store.close()
        try:  # opening on a full disk: either it opens or it says why in a sentence
            Store.open(directory, indexes=[]).close()
            _say(pipe, "Oopened")
        except StoreUnavailable:
            _say(pipe, "Ounavailable")
    elif rng.random() < 0.5:
        store.close()


def run_writer(directory: Path, kind: str, seed: int, first: int, rng: random.Random) -> str:
    read, write = os.pipe()
    pid = fork()
    if pid == 0:
        os.close(read)
        status = 0
        try:
            _writer(directory, kind, seed, first, write)
        except BaseException as error:  # reported to the parent, which fails the test
            _say(write, f"X{type(error).__name__}: {error}".replace("\n", " "))
            status = 1
        os._exit(status)
    os.close(write)
    if kind == "kill":
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


# -- damage done from outside -----------------------------------------------------------


def flip_a_byte(directory: Path, rng: random.Random) -> int | None:
    """Flip one bit of a journal; return the batch whose line it hit, if any."""
    journals = [p for p in (directory / "crewkit.journal", directory / "crewkit.previous.journal")
                if p.exists() and p.stat().st_size]
    if not journals:
        return None
    path = rng.choice(journals)
    data = bytearray(path.read_bytes())
    at = rng.randrange(len(data))
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    record = decode(bytes(data[start : end if end >= 0 else len(data)]))
    data[at] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    if record is None:
        return None
    batches = {int(rid.split("-")[0]) for table, rid, _ in record["w"] if table == EVENTS}
    return batches.pop() if batches else None


def tear_snapshot(directory: Path, rng: random.Random) -> bool:
    path = directory / "crewkit.json"
    if not path.exists():
        return False
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(len(data))])
    return True


# -- the ledger and the check -------------------------------------------------------------


@dataclass
class Ledger:
    acknowledged: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)
    started: set[int] = field(default_factory=set)
    excused: set[int] = field(default_factory=set)  # hit by a byte flip: may be lost
    lost: int = 0


def record(ledger: Ledger, output: str) -> str:
    opened = ""
    for line in output.splitlines():
        kind, value = line[0], line[1:]
        assert kind != "X", f"the writer failed: {value}"
        if kind == "O":
            opened = value
            continue
        batch = int(value)
        {"S": ledger.started, "A": ledger.acknowledged, "F": ledger.failed}[kind].add(batch)
    assert not ledger.acknowledged & ledger.failed
    return opened


def check(directory: Path, ledger: Ledger, fault: int, kind: str, torn: bool) -> None:
    try:
        store = Store.open(directory, indexes=[])
    except Exception as error:
        raise AssertionError(f"fault {fault} ({kind}): the store did not open: {error}") from error
    try:
        batches: dict[int, list[dict]] = defaultdict(list)
        for event in store.all(EVENTS):
            batches[event["batch"]].append(event)
        for batch, events in batches.items():
            assert len(events) == events[0]["size"], f"fault {fault}: batch {batch} is half there"
        present = set(batches)
        assert present <= ledger.started, f"fault {fault}: batches nobody wrote"
        assert not present & ledger.failed, (
            f"fault {fault} ({kind}): failed commits are there: {sorted(present & ledger.failed)}"
        )
        missing = ledger.acknowledged - present
        assert missing <= ledger.excused, (
            f"fault {fault} ({kind}): acknowledged batches lost: {sorted(missing - ledger.excused)}"
        )
        assert len(missing) <= len(store.unreadable_transactions), (
            f"fault {fault}: {sorted(missing)} lost but only "
            f"{store.unreadable_transactions} reported"
        )
        if kind in ("kill", "disk_full", "short_write"):
            assert store.recovery_notes == [], f"fault {fault} ({kind}): {store.recovery_notes}"
        if torn:
            assert "Nothing was lost" in store.recovery_notes[0], store.recovery_notes
        ledger.lost += len(missing)
        ledger.acknowledged -= missing  # lost and reported: not expected back
        ledger.acknowledged |= present  # a transaction in flight at a kill may have landed
        ledger.excused.clear()  # opening rewrote whatever a flip damaged
    finally:
        store.close()


def test_the_store_survives_a_fault_campaign(tmp_path: Path) -> None:
    rng = random.Random(os.environ.get("CREWKIT_FAULT_SEED", "crewkit"))
    kinds: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    ledgers: list[Ledger] = []
    for fault in range(FAULTS):
        if fault % ROUND == 0:
            if fault:  # the last database passed all its faults; keep a failing one only
                shutil.rmtree(tmp_path / f"db{fault // ROUND - 1}")
            directory, ledger, next_batch = tmp_path / f"db{fault // ROUND}", Ledger(), 1
            ledgers.append(ledger)
        kind = rng.choices(KINDS, WEIGHTS)[0]
        torn = False
        if kind in ("kill", "disk_full", "short_write"):
            output = run_writer(directory, kind, rng.randrange(1 << 30), next_batch, rng)
            if outcome := record(ledger, output):
                opened[outcome] += 1
            next_batch = max(ledger.started, default=0) + 1
        elif kind == "flip":
            hit = flip_a_byte(directory, rng)
            if hit is not None:
                ledger.excused.add(hit)
        else:
            torn = tear_snapshot(directory, rng)
        kinds[kind] += 1
        check(directory, ledger, fault, kind, torn)
    acknowledged = sum(len(ledger.acknowledged) for ledger in ledgers)
    lost = sum(ledger.lost for ledger in ledgers)
    print(
        f"{FAULTS} faults {dict(kinds)}: {acknowledged} acknowledged transactions held, "
        f"{lost} lost to byte flips (each one named), opening on a full disk: {dict(opened)}"
    )
    assert kinds["kill"] and acknowledged >= FAULTS // 2
