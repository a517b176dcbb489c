"""The append-only journal: one line per committed transaction.

A line is ``<crc32 of the JSON, 8 lowercase hex digits> <JSON record>\\n``; the record
is ``{"tx": n, "w": [[table, id, document or null], ...]}``. Journals written before
records carried a checksum hold the bare JSON record; they are read as they are.

A transaction is durable once its whole line is written and fsynced; that is the
moment a write is acknowledged. A write that fails (a full disk) is cut off again
before the error reaches the caller, so a failed commit leaves nothing behind. A crash
can only tear the line being written, which is always the last one and has no newline:
it was never acknowledged and is dropped. Any other line that does not check out was
damaged on disk: it is counted (so the store can say which transactions it lost) and
reading goes on, so one bad line costs one transaction, not the rest of the journal.
A damaged newline that glued two records together is found by the checksums and both
records are kept.
"""

from __future__ import annotations

import errno
import os
import re
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jsonio
from .errors import StoreUnavailable
from .shapes import well_formed_record

_sync = getattr(os, "fdatasync", os.fsync)
_FRAME = re.compile(rb"[0-9a-f]{8} \{")


def encode(record: dict[str, Any]) -> bytes:
    body = jsonio.dumps(record)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def decode(line: bytes) -> dict[str, Any] | None:
    """The record on ``line``, or None if it does not check out."""
    if line[:1] == b"{":  # written before records carried a checksum
        body = line
    elif _FRAME.match(line) and zlib.crc32(line[9:]) == int(line[:8], 16):
        body = line[9:]
    else:
        return None
    try:
        record = jsonio.loads(body)
    except ValueError:
        return None
    return record if well_formed_record(record) else None


@dataclass
class JournalContents:
    records: list[dict[str, Any]] = field(default_factory=list)
    damaged_lines: list[int] = field(default_factory=list)
    trailing_damaged: int = 0  # damaged records after the last readable one
    valid_bytes: int = 0  # the length of the complete lines: where appending resumes
    torn_tail: bool = False
    repaired: bool = False  # a record was read around damage (a glued or torn newline)

    @property
    def damaged(self) -> bool:
        return bool(self.damaged_lines) or self.repaired


def _segments(line: bytes) -> list[bytes]:
    """``line`` cut before every checksummed record start after the first, dropping the
    byte in front of each cut (where a newline was)."""
    starts = [m.start() for m in _FRAME.finditer(line) if m.start() > 0]
    cuts = [0, *starts]
    return [line[a : (b - 1 if b else None)] for a, b in zip(cuts, [*starts, 0], strict=True)]


def _starts_a_record(part: bytes) -> bool:
    """Whether damaged bytes still look like the start of a line (one byte of the frame
    may be the damaged one), rather than the rest of a line a stray newline cut."""
    return part[:1] == b"{" or part[8:9] == b" " or part[9:10] == b"{"


def read_journal(path: Path) -> JournalContents:
    """Read every record that checks out; count the damaged ones, drop a torn tail."""
    contents = JournalContents()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return contents
    *complete, tail = data.split(b"\n")
    for number, line in enumerate(complete, start=1):
        contents.valid_bytes += len(line) + 1
        if not line:
            continue
        record = decode(line)
        if record is not None:
            contents.records.append(record)
            contents.trailing_damaged = 0
            continue
        _salvage(contents, number, line)
    if tail:
        _read_tail(contents, len(complete) + 1, tail)
    return contents


def _salvage(contents: JournalContents, number: int, line: bytes) -> None:
    found = lost = 0
    for part in _segments(line):
        record = decode(part)
        if record is not None:
            contents.records.append(record)
            found += 1
            contents.trailing_damaged = 0
        elif _starts_a_record(part):
            lost += 1  # a fragment without a start belongs to a record already counted
            contents.trailing_damaged += 1
    contents.repaired |= found > 0
    if lost or not found:
        contents.damaged_lines.append(number)


def _read_tail(contents: JournalContents, number: int, tail: bytes) -> None:
    """The bytes after the last newline: torn by a crash, unless a damaged newline
    (the last byte) hides a complete record."""
    *whole, last = _segments(tail)
    for part in whole:
        record = decode(part)
        if record is None:
            contents.damaged_lines.append(number)
            contents.trailing_damaged += _starts_a_record(part)
        else:
            contents.records.append(record)
            contents.repaired = True
            contents.trailing_damaged = 0
    record = decode(last) or decode(last[:-1])
    if record is not None:
        contents.records.append(record)
        contents.repaired = True
        contents.trailing_damaged = 0
    else:
        contents.torn_tail = True


class Journal:
    """Appends records durably; truncates to a known-good length on open and on error."""

    def __init__(self, path: Path, valid_bytes: int = 0) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._broken: OSError | None = None
        if os.fstat(self._fd).st_size != valid_bytes:
            os.ftruncate(self._fd, valid_bytes)
            os.fsync(self._fd)
        self.size = valid_bytes

    def append(self, record: dict[str, Any]) -> None:
        """Return once the whole line is on disk; raise OSError with nothing left of it."""
        if self._broken is not None:
            raise StoreUnavailable(
                "Crewkit could not undo a failed write to its journal; close it and open it again."
            ) from self._broken
        line = encode(record)
        try:
            _write_all(self._fd, line, self.size)
            _sync(self._fd)
        except OSError:
            self._cut()
            raise
        self.size += len(line)

    def _cut(self) -> None:
        """Cut a partial line so nothing of a failed write remains, now or after a crash.

        Once cut, the file is right even if syncing the cut fails: the next commit's
        sync makes the cut durable with it. A cut that fails leaves the file unknown,
        and the journal refuses further commits until the store is opened again."""
        try:
            os.ftruncate(self._fd, self.size)
        except OSError as error:
            self._broken = error
            return
        with suppress(OSError):
            _sync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _write_all(fd: int, data: bytes, offset: int) -> None:
    """Write all of ``data``: a write may be short (a full disk takes what fits first)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view, offset = view[written:], offset + written
