"""The append-only journal: one JSON line per committed transaction.

A transaction is durable once its line is written and fsynced; that is the moment a
write is acknowledged. A crash can only tear the line being written, which is always
the last one: reading stops there and the torn tail is cut off before anything else is
appended, so it can never end up in the middle of the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jsonio

_sync = getattr(os, "fdatasync", os.fsync)


class JournalCorrupt(Exception):
    """A line other than the last one cannot be read."""

    def __init__(self, path: Path, line_no: int, records: list[dict[str, Any]]) -> None:
        super().__init__(f"{path}: line {line_no} is unreadable")
        self.records = records  # everything before the bad line


@dataclass
class JournalContents:
    records: list[dict[str, Any]] = field(default_factory=list)
    valid_bytes: int = 0
    torn_tail: bool = False


def read_journal(path: Path) -> JournalContents:
    """Read every complete record; a torn last line is reported, not raised."""
    contents = JournalContents()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return contents
    lines = data.split(b"\n")
    # After the final newline split() yields b""; anything else there is a torn line.
    *complete, tail = lines
    for number, line in enumerate(complete, start=1):
        try:
            record = jsonio.loads(line)
        except ValueError:
            if number == len(complete) and not tail:
                contents.torn_tail = True  # torn and followed only by a stray newline
                return contents
            raise JournalCorrupt(path, number, contents.records) from None
        if not isinstance(record, dict):
            raise JournalCorrupt(path, number, contents.records)
        contents.records.append(record)
        contents.valid_bytes += len(line) + 1
    contents.torn_tail = bool(tail)
    return contents


class Journal:
    """Appends records durably; truncates to a known-good length on open and on error."""

    def __init__(self, path: Path, valid_bytes: int) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size != valid_bytes:
            os.ftruncate(self._fd, valid_bytes)
            os.fsync(self._fd)
        self.size = valid_bytes

    def append(self, record: dict[str, Any]) -> None:
        line = jsonio.dumps(record) + b"\n"
        try:
            os.pwrite(self._fd, line, self.size)
            _sync(self._fd)
        except OSError:
            # Cut the partial line so the next append does not land behind garbage.
            os.ftruncate(self._fd, self.size)
            raise
        self.size += len(line)

    def reset(self) -> None:
        """Empty the journal once its records are safely in a snapshot."""
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
