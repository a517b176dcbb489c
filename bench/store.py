"""Store benchmark: Crewkit's store beside plain TinyDB (JSONStorage) and SQLite.

At 50,000 equipment items and 200,000 custody events, each engine is measured on the
same work: a durable check-out (append one custody event, update one item), a lookup
by QR code, and opening the database. ``python -m bench.store [--items N --events M]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from app.ids import new_id
from app.store import Store

from .common import emit, summary_ms, timed_ms

CATEGORIES = ["camera", "lens", "lighting", "grip", "sound", "power", "rigging", "video"]
ACTIONS = ["check_out", "check_in", "transfer", "audit"]


def make_dataset(items: int, events: int, seed: int = 7) -> tuple[dict, dict]:
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
    custody = {}
    for n in range(events):
        custody[new_id()] = {
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


# -- Crewkit ---------------------------------------------------------------------------


def build_crewkit(directory: Path, equipment: dict, custody: dict) -> None:
    store = Store.open(directory)
    for coll, records in (("equipment", equipment), ("custody_events", custody)):
        rows = list(records.items())
        for start in range(0, len(rows), 10_000):
            with store.transaction() as tx:
                for rid, fields in rows[start : start + 10_000]:
                    tx.insert(coll, fields, record_id=rid)
    # The outbox of a freshly imported database would have been pushed long ago.
    with store.transaction() as tx:
        for op_id in store.private("_outbox"):
            tx.put_private("_outbox", op_id, None)
    store.compact()
    store.close()


def bench_crewkit(directory: Path, codes: list[str], runs: int) -> dict[str, Any]:
    opened = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.store", "--open-only", str(directory)],
            check=True, capture_output=True, text=True,
        ).stdout
    )
    store = Store.open(directory)

    def checkout(code: str) -> None:
        with store.transaction() as tx:
            rid = store.lookup("equipment", "code", code)[0]["id"]
            tx.insert("custody_events", checkout_event(rid))
            tx.update("equipment", rid, {"notes": f"out {time.time_ns()}"})

    samples = [timed_ms(lambda c=c: checkout(c), 1)[0] for c in codes[:runs]]
    lookups = timed_ms(lambda: [store.lookup("equipment", "code", c) for c in codes], 1)[0]
    store.close()
    return {
        **summary_ms(samples),
        "checkouts": len(samples),
        "lookup_by_code_us": round(lookups * 1000 / len(codes), 2),
        **opened,
    }


def open_only(directory: Path) -> None:
    import resource

    start = time.perf_counter()
    store = Store.open(directory)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"open_s": round(elapsed, 3), "rss_mb": round(rss_mb, 1),
                      "records": len(store.all("equipment")) + len(store.all("custody_events"))}))


# -- plain TinyDB with JSONStorage -------------------------------------------------------


def bench_tinydb(path: Path, equipment: dict, custody: dict, codes: list[str], runs: int) -> dict:
    path.write_text(json.dumps({"equipment": dict(enumerate(equipment.values(), 1)),
                                "custody_events": dict(enumerate(custody.values(), 1))}))
    start = time.perf_counter()
    db = TinyDB(path)
    db.table("equipment").get(doc_id=1)
    open_s = time.perf_counter() - start
    eq, events = db.table("equipment"), db.table("custody_events")
    item = Query()

    def checkout(code: str) -> None:
        doc_id = eq.get(item.code == code).doc_id
        events.insert(checkout_event(str(doc_id)))
        eq.update({"notes": f"out {time.time_ns()}"}, doc_ids=[doc_id])

    samples = [timed_ms(lambda c=c: checkout(c), 1)[0] for c in codes[:runs]]
    lookups = timed_ms(lambda: [eq.search(item.code == c) for c in codes[:runs]], 1)[0]
    return {**summary_ms(samples), "checkouts": len(samples),
            "lookup_by_code_us": round(lookups * 1000 / runs, 2), "lookups": runs,
            "open_s": round(open_s, 3),
            "note": f"measured on {runs} operations: each write rewrites the whole file"}


# -- SQLite ---------------------------------------------------------------------------


def bench_sqlite(path: Path, equipment: dict, custody: dict, codes: list[str], runs: int) -> dict:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    eq_cols = list(next(iter(equipment.values())))
    ev_cols = list(next(iter(custody.values())))
    db.execute(f"CREATE TABLE equipment (id TEXT PRIMARY KEY, {', '.join(eq_cols)})")
    db.execute(f"CREATE TABLE custody_events (id TEXT PRIMARY KEY, {', '.join(ev_cols)})")
    db.execute("CREATE INDEX equipment_code ON equipment(code)")
    db.execute("CREATE INDEX custody_item ON custody_events(equipment_id)")
    with db:
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO equipment VALUES ({', '.join('?' * (len(eq_cols) + 1))})",
                       [(k, *v.values()) for k, v in equipment.items()])
        db.executemany(f"INSERT INTO custody_events VALUES ({', '.join('?' * (len(ev_cols) + 1))})",
                       [(k, *v.values()) for k, v in custody.items()])
    db.close()
    start = time.perf_counter()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("SELECT count(*) FROM equipment").fetchone()
    open_s = time.perf_counter() - start

    def checkout(code: str) -> None:
        db.execute("BEGIN")
        (rid,) = db.execute("SELECT id FROM equipment WHERE code = ?", (code,)).fetchone()
        event = checkout_event(rid)
        db.execute(f"INSERT INTO custody_events VALUES ({', '.join('?' * (len(event) + 1))})",
                   (new_id(), *event.values()))
        db.execute("UPDATE equipment SET notes = ? WHERE id = ?", (f"out {time.time_ns()}", rid))
        db.execute("COMMIT")

    samples = [timed_ms(lambda c=c: checkout(c), 1)[0] for c in codes[:runs]]
    query = "SELECT * FROM equipment WHERE code = ?"
    lookups = timed_ms(lambda: [db.execute(query, (c,)).fetchall() for c in codes], 1)[0]
    db.close()
    return {**summary_ms(samples), "checkouts": len(samples),
            "lookup_by_code_us": round(lookups * 1000 / len(codes), 2), "open_s": round(open_s, 3)}


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
    codes = [e["code"] for e in random.Random(1).sample(list(equipment.values()), args.runs)]
    size = {"items": args.items, "events": args.events}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_crewkit(root / "crewkit", equipment, custody)
        emit(bench="store", engine="crewkit", **size,
             **bench_crewkit(root / "crewkit", codes, args.runs))
        emit(bench="store", engine="sqlite", **size,
             **bench_sqlite(root / "bench.sqlite", equipment, custody, codes, args.runs))
        emit(bench="store", engine="tinydb", **size,
             **bench_tinydb(root / "tinydb.json", equipment, custody, codes, args.tinydb_runs))


if __name__ == "__main__":
    main()
