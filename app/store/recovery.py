"""Opening a store directory: pick the snapshot to start from, replay the journals, and
say exactly what, if anything, could not be recovered.

The current snapshot is used when it reads cleanly. When it is damaged it is set aside
and the previous generation is used instead, with both journals replayed on top (see
:mod:`.generations`); so a damaged snapshot loses nothing while the previous
generation is intact. Transactions are numbered without gaps, so every number between
the starting snapshot and the last readable record that no readable record carries is
a transaction that was lost, and is named in a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .generations import (
    JOURNAL,
    PREVIOUS_JOURNAL,
    PREVIOUS_SNAPSHOT,
    SNAPSHOT,
    fold,
    move_aside,
    remove_leftovers,
)
from .journal import JournalContents, read_journal
from .shapes import STATE
from .snapshot import Snapshot, SnapshotUnreadable, Tables, read_snapshot


@dataclass
class Recovered:
    tables: Tables
    last_tx: int
    notes: list[str] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)  # transactions that could not be read
    journal_bytes: int = 0  # where appending to the journal resumes


@dataclass
class _Start:
    snapshot: Snapshot
    fold: bool = False
    damage: str = ""  # what was wrong with the current snapshot
    aside: str = ""
    source: str = ""


def recover(directory: Path) -> Recovered:
    remove_leftovers(directory)
    start = _choose_snapshot(directory)
    tables, base_tx = start.snapshot.tables, start.snapshot.tx
    previous = read_journal(directory / PREVIOUS_JOURNAL)
    current = read_journal(directory / JOURNAL)
    last, applied = base_tx or 0, set()
    for record in previous.records + current.records:
        if record["tx"] > last:
            replay(tables, record)
            last = record["tx"]
            applied.add(last)
    first = base_tx + 1 if base_tx is not None else min(applied, default=last + 1)
    lost = [tx for tx in range(first, last) if tx not in applied]
    lost += _lost_at_the_end(previous, current, last)
    found = Recovered(tables, last, lost=lost, journal_bytes=current.valid_bytes)
    damaged = [
        (directory / name, contents)
        for name, contents in ((PREVIOUS_JOURNAL, previous), (JOURNAL, current))
        if contents.damaged_lines and lost
    ]
    kept: list[str] = []
    if start.fold or previous.damaged or previous.torn_tail or current.damaged:
        tables[STATE] = {"state": {"tx": last}}
        kept = [a.name for a in fold(directory, tables, [path for path, _ in damaged])]
        found.journal_bytes = 0
    found.notes = _notes(start, lost, [(p.name, c.damaged_lines) for p, c in damaged], kept)
    return found


def replay(tables: Tables, record: dict[str, Any]) -> None:
    for table, record_id, doc in record["w"]:
        rows = tables.setdefault(table, {})
        if doc is None:
            rows.pop(record_id, None)
        else:
            rows[record_id] = doc


def _lost_at_the_end(previous: JournalContents, current: JournalContents, last: int) -> list[int]:
    """Damaged records after the last readable one of the last journal: numbered on
    from it (those a snapshot already holds are not lost)."""
    contents = current if current.records or current.damaged_lines else previous
    top = max((r["tx"] for r in contents.records), default=last)
    return [tx for tx in range(top + 1, top + 1 + contents.trailing_damaged) if tx > last]


def _choose_snapshot(directory: Path) -> _Start:
    current_path, previous_path = directory / SNAPSHOT, directory / PREVIOUS_SNAPSHOT
    try:
        current = read_snapshot(current_path)
        damage = "; ".join(current.problems) if current else ""
    except SnapshotUnreadable as error:
        current, damage = None, str(error)
    previous_journal = (directory / PREVIOUS_JOURNAL).exists()
    if current is not None and not damage:
        return _Start(current)
    if current is None and not damage:  # no snapshot yet, or a compaction cut short
        if not previous_path.exists() and not previous_journal:
            return _Start(Snapshot({}, 0))
        return _Start(_read_quietly(previous_path) or Snapshot({}, 0), fold=True)
    aside = move_aside(current_path).name
    try:
        previous = read_snapshot(previous_path)
    except SnapshotUnreadable:
        previous = None
    if previous is not None and not previous.problems:
        return _Start(previous, True, damage, aside, "the previous copy and the journal")
    if previous is None and previous_journal:  # the first generation starts empty
        return _Start(Snapshot({}, 0), True, damage, aside, "the journal")
    if current is not None:
        return _Start(current, True, damage, aside, "what could still be read of it")
    return _Start(Snapshot({}, 0), True, damage, aside, "the journal")


def _read_quietly(path: Path) -> Snapshot | None:
    try:
        return read_snapshot(path)
    except SnapshotUnreadable:
        return None


def _notes(
    start: _Start, lost: list[int], damaged: list[tuple[str, list[int]]], kept: list[str]
) -> list[str]:
    notes = []
    if start.damage:
        outcome = "" if lost else " Nothing was lost."
        notes.append(
            f"The database file was damaged ({start.damage}) and was set aside as "
            f"{start.aside}; the data was rebuilt from {start.source}.{outcome}"
        )
    if lost:
        plural = "s" if len(lost) > 1 else ""
        where = "; ".join(f"{name} line{'s' * (len(n) > 1)} {_ranges(n)}" for name, n in damaged)
        notes.append(
            f"{len(lost)} saved change{plural} could not be recovered (transaction{plural} "
            f"{_ranges(lost)}{': damaged ' + where if where else ''}). Everything else was "
            "recovered." + (f" The damaged journal was kept as {', '.join(kept)}." if kept else "")
        )
    return notes


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 7 -> "1 to 3, 7"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)
