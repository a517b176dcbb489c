"""The child process of the crash test: commits transactions until it is killed.

Each transaction inserts a batch of 1-12 records (like checking out a kit), updates a
progress record and, every few transactions, deletes an earlier batch. After each
commit returns, the batch number is written to stdout: the parent treats only those
as acknowledged. A small compaction threshold makes kills land mid-snapshot too.
"""

from __future__ import annotations

import random
import sys

from app.store import Store


def main(directory: str, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(directory, compact_bytes=32 * 1024)
    progress = store.get("notes", "progress")
    batch = progress["body"] if progress else 0
    if progress is None:
        with store.transaction() as tx:
            tx.insert("notes", {"body": 0, "title": "progress"}, record_id="progress")
    while True:
        batch += 1
        with store.transaction() as tx:
            size = rng.randint(1, 12)
            for n in range(size):
                fields = {"batch": batch, "size": size, "n": n, "pad": "x" * rng.randint(0, 300)}
                tx.insert("custody_events", fields, record_id=f"{batch}-{n}")
            tx.update("notes", "progress", {"body": batch})
            if batch % 5 == 0:
                old = rng.randint(1, batch - 1)
                for n in range(12):
                    if tx.get("custody_events", f"{old}-{n}"):
                        tx.delete("custody_events", f"{old}-{n}")
        sys.stdout.write(f"{batch}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
