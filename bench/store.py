"""Store benchmark: Crewkit's store beside plain TinyDB (JSONStorage) and SQLite.

At 50,000 equipment items and 200,000 custody events, each engine does the same work:
a durable check-out (find the item by QR code, append one custody event, update the
item), a lookup by QR code, and opening the database. Check-outs and lookups are
interleaved across engines, operation by operation, so a noisy disk or CPU hits every
engine alike and the ratios hold. ``python -m bench.store [--items N --events M]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from app.ids import new_id
from app.store import OUTBOX, Store

from .common import emit, summary_ms

CATEGORIES = ["camera", "lens", "lighting", "grip", "sound", "power", "rigging", "video"]
ACTIONS = ["check_out", "check_in", "transfer", "audit"]
Records = dict[str, dict[str, Any]]


def make_dataset(items: int, events: int, seed: int = 7) -> tuple[Records, Records]:
    rng = random.Random(seed)
    equipment = {}
    for n in range(items):
        rid = new_id()
        equipment[rid] = {
            "code": f"crewkit:eq:{rid}",
            "name": f"{rng.choice(CATEGORIES).title()} item {n}",
            "category": rng.choice(CATEGORIES),
            "serial": f"SN{rng.randrange(10**9):09d}",
            "value_minor": rng.randrange(1_000, 5_000_000),
            "currency": "EUR",
            "kit_id": None,
            "flag": "none",
            "notes": "",
            "photo": None,
        }
    ids = list(equipment)
    people = [new_id() for _ in range(200)]
    custody = {
        new_id(): {
            "equipment_id": rng.choice(ids),
            "action": rng.choice(ACTIONS),
            "person_id": rng.choice(people),
            "at": f"2026-11-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:00+00:00",
            "due_at": None,
            "condition": "good",
            "note": "",
            "photo": None,
            "production_id": "p1",
        }
        for n in range(events)
    }
    return equipment, custody


def checkout_event(equipment_id: str) -> dict[str, Any]:
    return {
        "equipment_id": equipment_id,
        "action": "check_out",
        "person_id": "bench-person",
        "at": "2026-11-28T09:00:00+00:00",
        "due_at": "2026-11-28T19:00:00+00:00",
        "condition": "good",
        "note": "",
        "photo": None,
        "production_id": "p1",
    }


class Crewkit:
    name = "crewkit"

    def __init__(self, directory: Path, equipment: Records, custody: Records) -> None:
        store = Store.open(directory)
        for coll, records in (("equipment", equipment), ("custody_events", custody)):
            rows = list(records.items())
            for start in range(0, len(rows), 10_000):
                with store.transaction() as tx:
                    for rid, fields in rows[start : start + 10_000]:
                        tx.insert(coll, fields, record_id=rid)
        with store.transaction() as tx:  # an imported database was pushed long ago
            for op_id in store.private(OUTBOX):
                tx.put_private(OUTBOX, op_id, None)
        store.compact()
        store.close()
        # Opened in a fresh process, after the build's writes reached the disk: the figure
        # is the open alone, not the open racing the kernel's write-back of the build.
        os.sync()
        self.opened = json.loads(subprocess.run(
            [sys.executable, "-m", "bench.store", "--open-only", str(directory)],
            check=True, capture_output=True, text=True,
        ).stdout)
        self.store = Store.open(directory)

    def checkout(self, code: str) -> None:
        with self.store.transaction() as tx:
            rid = self.store.lookup("equipment", "code", code)[0]["id"]
            tx.insert("custody_events", checkout_event(rid))
            tx.update("equipment", rid, {"notes": f"out {time.time_ns()}"})

    def lookup(self, code: str) -> object:
        return self.store.lookup("equipment", "code", code)


def open_only(directory: Path) -> None:
    import resource

    start = time.perf_counter()
    store = Store.open(directory)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    records = len(store.table("equipment")) + len(store.table("custody_events"))
    print(json.dumps({"open_s": round(elapsed, 3), "rss_mb": round(rss_mb, 1),
                      "records": records}))


class Sqlite:
    name = "sqlite"

    def __init__(self, path: Path, equipment: Records, custody: Records) -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        self.eq_cols = ["id", *next(iter(equipment.values()))]
        self.ev_cols = ["id", *next(iter(custody.values()))]
        db.execute(f"CREATE TABLE equipment ({', '.join(self.eq_cols)}, PRIMARY KEY (id))")
        db.execute(f"CREATE TABLE custody_events ({', '.join(self.ev_cols)}, PRIMARY KEY (id))")
        db.execute("CREATE INDEX equipment_code ON equipment(code)")
        db.execute("CREATE INDEX custody_item ON custody_events(equipment_id)")
        db.execute("BEGIN")
        db.executemany(self._insert("equipment", self.eq_cols),
                       [(k, *v.values()) for k, v in equipment.items()])
        db.executemany(self._insert("custody_events", self.ev_cols),
                       [(k, *v.values()) for k, v in custody.items()])
        db.execute("COMMIT")
        db.close()
        start = time.perf_counter()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("SELECT count(*) FROM equipment").fetchone()
        self.opened = {"open_s": round(time.perf_counter() - start, 3)}

    @staticmethod
    def _insert(table: str, columns: list[str]) -> str:
        return f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})"

    def checkout(self, code: str) -> None:
        db = self.db
        db.execute("BEGIN")
        (rid,) = db.execute("SELECT id FROM equipment WHERE code = ?", (code,)).fetchone()
        db.execute(self._insert("custody_events", self.ev_cols),
                   (new_id(), *checkout_event(rid).values()))
        db.execute("UPDATE equipment SET notes = ? WHERE id = ?", (f"out {time.time_ns()}", rid))
        db.execute("COMMIT")

    def lookup(self, code: str) -> object:
        return self.db.execute("SELECT * FROM equipment WHERE code = ?", (code,)).fetchall()


class PlainTinyDB:
    name = "tinydb"

    def __init__(self, path: Path, equipment: Records, custody: Records) -> None:
        path.write_text(json.dumps({"equipment": dict(enumerate(equipment.values(), 1)),
                                    "custody_events": dict(enumerate(custody.values(), 1))}))
        start = time.perf_counter()
        self.db = TinyDB(path)
        self.db.table("equipment").get(doc_id=1)
        self.opened = {"open_s": round(time.perf_counter() - start, 3)}
        self.items, self.events = self.db.table("equipment"), self.db.table("custody_events")

    def checkout(self, code: str) -> None:
        doc_id = self.items.get(Query().code == code).doc_id
        self.events.insert(checkout_event(str(doc_id)))
        self.items.update({"notes": f"out {time.time_ns()}"}, doc_ids=[doc_id])

    def lookup(self, code: str) -> object:
        return self.items.search(Query().code == code)


def interleaved(engines: dict[str, Any], codes: list[str], limits: dict[str, int],
                op: Callable[[Any, str], object]) -> dict[str, list[float]]:
    """Time ``op`` on each engine in turn for each code (up to that engine's limit)."""
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for n, code in enumerate(codes):
        for name, engine in engines.items():
            if n < limits[name]:
                start = time.perf_counter()
                op(engine, code)
                samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=1_000, help="check-outs per engine")
    parser.add_argument("--tinydb-runs", type=int, default=5)
    parser.add_argument("--open-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open_only:
        open_only(args.open_only)
        return
    equipment, custody = make_dataset(args.items, args.events)
    rng = random.Random(1)
    checkout_codes = [e["code"] for e in rng.sample(list(equipment.values()), args.runs)]
    lookup_codes = [e["code"] for e in rng.sample(list(equipment.values()), args.runs)]
    limits = {"crewkit": args.runs, "sqlite": args.runs, "tinydb": args.tinydb_runs}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        engines = {
            "crewkit": Crewkit(root / "crewkit", equipment, custody),
            "sqlite": Sqlite(root / "bench.sqlite", equipment, custody),
            "tinydb": PlainTinyDB(root / "tinydb.json", equipment, custody),
        }
        checkouts = interleaved(engines, checkout_codes, limits, lambda e, c: e.checkout(c))
        lookups = interleaved(engines, lookup_codes, limits, lambda e, c: e.lookup(c))
        for name, engine in engines.items():
            figures = {
                **summary_ms(checkouts[name]),
                "checkouts": len(checkouts[name]),
                "lookup_by_code_us": round(sum(lookups[name]) * 1000 / len(lookups[name]), 2),
                **engine.opened,
            }
            if name == "tinydb":
                figures["note"] = (f"measured on {args.tinydb_runs} operations: every write "
                                   "rewrites the whole file and every query re-reads it")
            emit(bench="store", engine=name, items=args.items, events=args.events, **figures)


if __name__ == "__main__":
    main()
