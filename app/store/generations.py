"""The files of a store directory, and how one snapshot generation follows the last.

``crewkit.json``              the snapshot: every transaction up to the one it names
``crewkit.journal``           the transactions after it
``crewkit.previous.json``     the snapshot before, kept until the next one is durable
``crewkit.previous.journal``  the transactions from the previous snapshot to this one

Either snapshot plus the journals after it gives the whole database, so a snapshot
damaged on disk costs nothing: opening falls back to the previous one and replays
both journals (every record names its transaction, so records a snapshot already
holds are skipped). Compaction writes the new snapshot and an empty journal first,
then renames: snapshot to previous, journal to previous, new snapshot and journal into
place. A crash between any two renames leaves files from which opening rebuilds the
whole database; opening then writes a fresh pair of generations (see :func:`fold`).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from .journal import Journal
from .snapshot import Tables, fsync_directory, write_temporary

SNAPSHOT = "crewkit.json"
JOURNAL = "crewkit.journal"
PREVIOUS_SNAPSHOT = "crewkit.previous.json"
PREVIOUS_JOURNAL = "crewkit.previous.journal"
NEW_JOURNAL = "crewkit.journal.new"
LEFTOVERS = (SNAPSHOT + ".tmp", PREVIOUS_SNAPSHOT + ".tmp", NEW_JOURNAL)


def rotate(directory: Path, tables: Tables, journal: Journal) -> tuple[Journal, int]:
    """Make ``tables`` the snapshot and ``journal`` the previous journal; return the new,
    empty journal and the snapshot's size. On failure ``journal`` stays the one to
    append to (it may have been renamed, and opening reads it under either name)."""
    tmp, size = write_temporary(directory / SNAPSHOT, tables)
    new = directory / NEW_JOURNAL
    try:
        fresh = Journal(new)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        if (directory / SNAPSHOT).exists():
            os.replace(directory / SNAPSHOT, directory / PREVIOUS_SNAPSHOT)
        os.replace(journal.path, directory / PREVIOUS_JOURNAL)
        journal.path = directory / PREVIOUS_JOURNAL
        os.replace(tmp, directory / SNAPSHOT)
        os.replace(new, directory / JOURNAL)
        fresh.path = directory / JOURNAL
        fsync_directory(directory)
    except BaseException:
        fresh.close()
        for leftover in (new, tmp):
            with suppress(OSError):
                leftover.unlink()
        raise
    journal.close()
    return fresh, size


def fold(directory: Path, tables: Tables, damaged: list[Path]) -> list[Path]:
    """Write ``tables`` as both generations, then retire the journals: ``damaged`` ones
    are kept aside for inspection (returned), the others are removed."""
    for name in (PREVIOUS_SNAPSHOT, SNAPSHOT):
        tmp, _ = write_temporary(directory / name, tables)
        os.replace(tmp, directory / name)
    fsync_directory(directory)
    kept = []
    for name in (PREVIOUS_JOURNAL, JOURNAL):
        path = directory / name
        if path in damaged:
            kept.append(move_aside(path))
        else:
            path.unlink(missing_ok=True)
    fsync_directory(directory)
    return kept


def move_aside(path: Path) -> Path:
    """Rename a damaged file out of the way, under a name no other file has."""
    n = 1
    aside = path.with_name(f"{path.name}.unreadable-1")
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.unreadable-{n}")
    with suppress(FileNotFoundError):
        path.replace(aside)
    return aside


def remove_leftovers(directory: Path) -> None:
    """Temporary files of a compaction that did not finish."""
    for name in LEFTOVERS:
        (directory / name).unlink(missing_ok=True)
