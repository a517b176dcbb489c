"""One process at a time per database directory.

Each open store holds the whole database in memory and appends to one journal; a second
process (or a second ``Store.open`` in the same process) writing beside it would lose
the other's changes at the next snapshot. The lock is advisory (``flock``) and released
by the kernel when its holder dies, so a crashed app never leaves the directory locked.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StoreLocked

try:
    import fcntl
except ImportError:  # Windows: desktop builds run one window per user anyway
    fcntl = None  # type: ignore[assignment]


class DirectoryLock:
    def __init__(self, directory: Path) -> None:
        self._fd = os.open(directory / "crewkit.lock", os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise StoreLocked(
                f"Crewkit's data folder {directory} is in use by another Crewkit; "
                "close that one first."
            ) from None

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = -1
