"""Snapshots: the whole database as one TinyDB-format JSON file, replaced atomically.

A new snapshot is written to a temporary file and fsynced before it is renamed into
place, and the directory is fsynced after the rename, so at every instant the path
holds either a complete old snapshot or the complete new one.

Reading checks the shape of every table and document (see :mod:`.shapes`): a snapshot
that does not parse, or is not an object of tables, is unreadable; one whose parse
succeeds but holds damaged parts is read without them, and the damage is listed.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jsonio
from .shapes import META, STAMPS, STATE, snapshot_tx, stamped

Tables = dict[str, dict[str, dict[str, Any]]]


class SnapshotUnreadable(Exception):
    pass


@dataclass
class Snapshot:
    tables: Tables
    tx: int | None  # the last transaction it holds; None when that count is damaged
    problems: list[str] = field(default_factory=list)  # damaged parts left out


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot at ``path``, None if there is none; raise SnapshotUnreadable."""
    try:
        data = jsonio.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise SnapshotUnreadable(str(error) or "the file is empty") from error
    if not isinstance(data, dict):
        raise SnapshotUnreadable("not a TinyDB database (expected tables of documents)")
    snapshot = Snapshot({}, snapshot_tx(data))
    if snapshot.tx is None:
        snapshot.problems.append("its count of saved transactions is damaged")
    for name, table in data.items():
        if name == STATE:
            continue
        if type(table) is not dict:
            snapshot.problems.append(f"table {name!r} is not a table")
            continue
        bad = _damaged_keys(name, table)
        for key in bad:
            del table[key]
        if bad:
            snapshot.problems.append(f"{len(bad)} damaged {name} document(s)")
        snapshot.tables[name] = table
    snapshot.tables[STATE] = {"state": {"tx": snapshot.tx or 0}}
    return snapshot


def _damaged_keys(name: str, table: dict[str, Any]) -> list[str]:
    if stamped(name):
        return [k for k, d in table.items()
                if type(d) is not dict or type(d.get(STAMPS)) is not dict]
    if name == META:
        return [k for k, d in table.items() if type(d) is not dict or "value" not in d]
    return [k for k, d in table.items() if type(d) is not dict]


def fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; renames there are journaled.
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temporary(path: Path, tables: Tables) -> tuple[Path, int]:
    """Write ``tables`` durably beside ``path``; return the temporary file and its size.
    On failure nothing is left behind."""
    tmp = path.with_name(path.name + ".tmp")
    data = jsonio.dumps(tables)
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return tmp, len(data)


def write_snapshot(path: Path, tables: Tables) -> int:
    """Replace the snapshot at ``path`` with ``tables`` atomically; return its size."""
    tmp, size = write_temporary(path, tables)
    os.replace(tmp, path)
    fsync_directory(path.parent)
    return size
