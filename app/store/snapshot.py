"""Snapshots: the whole database as one TinyDB-format JSON file, replaced atomically.

The new snapshot is written to a temporary file and fsynced before it is renamed over
the old one, and the directory is fsynced after the rename, so at every instant the
path holds either the complete old snapshot or the complete new one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import jsonio

Tables = dict[str, dict[str, dict[str, Any]]]


class SnapshotUnreadable(Exception):
    pass


def read_snapshot(path: Path) -> Tables:
    try:
        data = jsonio.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise SnapshotUnreadable(f"{path}: {error}") from error
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise SnapshotUnreadable(f"{path}: not a TinyDB database (expected tables of documents)")
    return data


def fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; renames there are journaled.
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_snapshot(path: Path, tables: Tables) -> int:
    """Write ``tables`` atomically to ``path``; return the file's size in bytes."""
    tmp = path.with_name(path.name + ".tmp")
    data = jsonio.dumps(tables)
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_directory(path.parent)
    return len(data)
