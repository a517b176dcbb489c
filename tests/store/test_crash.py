"""kill -9 at random moments never loses an acknowledged transaction or half-applies one.

``CREWKIT_CRASH_KILLS=1000 pytest tests/store/test_crash.py`` runs a longer campaign.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from app.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("CREWKIT_CRASH_KILLS", "50"))
ROUND = 50


def run_and_kill(directory: Path, seed: int, rng: random.Random) -> list[int]:
    """Start a writer, let it run a random while, SIGKILL it; return acknowledged batches."""
    with subprocess.Popen(
        [sys.executable, str(WRITER), str(directory), str(seed)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdout is not None
        first = child.stdout.readline()  # the writer is open and committing
        assert first, "the writer died before its first commit"
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
    return [int(line) for line in (first + rest).split()]


def check_after_kill(directory: Path, acknowledged: set[int], kill: int) -> None:
    store = Store.open(directory)
    try:
        assert store.recovery_notes == [], store.recovery_notes
        batches: dict[int, list[dict]] = defaultdict(list)
        for event in store.all("custody_events"):
            batches[event["batch"]].append(event)
        deleted = {
            int(op["id"].split("-")[0])
            for op in store.private("_outbox").values()
            if op["delete"]
        }
        progress = store.get("notes", "progress")["body"]
        assert progress >= max(acknowledged)
        for batch in acknowledged - deleted:
            assert batch in batches, f"acknowledged batch {batch} lost after kill {kill}"
        for batch, events in batches.items():
            assert len(events) == events[0]["size"], f"batch {batch} half-applied"
            assert batch <= progress
    finally:
        store.close()


def test_kill_9_loses_no_acknowledged_transaction(tmp_path: Path) -> None:
    """Kills come in rounds of 50 on one database, each round on a fresh one, so a
    long campaign costs the same per kill as a short one."""
    rng = random.Random(os.environ.get("CREWKIT_CRASH_SEED", "crewkit"))
    total = 0
    for kill in range(KILLS):
        if kill % ROUND == 0:
            directory, acknowledged = tmp_path / f"db{kill // ROUND}", set()
        acks = run_and_kill(directory, kill, rng)
        acknowledged.update(acks)
        total += len(acks)
        check_after_kill(directory, acknowledged, kill)
    assert total > KILLS
