"""Photos other devices took: fetched for every record that names one this device lacks.

What is missing is worked out from the store's records at every round, never kept as a
list: a photo named by any record (pulled in this round, an earlier one, or before a
restart) whose bytes are not on the device is fetched, so a lost answer, a crash or a
server that did not have the photo yet only delays it. A photo the server could not give
(not uploaded yet, a bad answer) waits out its own exponential backoff before it is asked
for again, so one lost photo does not cost a request per round forever; one that arrives
is remembered as held and never looked at again while the app runs.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sync.schema import COLLECTIONS

if TYPE_CHECKING:
    from app.store import Store

    from ._engine import Backoff

_SHA256 = re.compile(r"[0-9a-f]{64}")

#: The fields of each collection that name a photo by its sha256 (``blob`` in the schema).
BLOB_FIELDS: dict[str, tuple[str, ...]] = {
    coll: names
    for coll, fields in COLLECTIONS.items()
    if (names := tuple(name for name, kind in fields.items() if kind == "blob"))
}


class HeldBlobs(Protocol):
    def has(self, sha256: str) -> bool: ...


def referenced_blobs(store: Store) -> set[str]:
    """Every sha256 a photo field of a live record in ``store`` names."""
    return {
        value
        for coll, names in BLOB_FIELDS.items()
        for name in names
        for value in store.field_values(coll, name)
        if isinstance(value, str) and _SHA256.fullmatch(value)
    }


@dataclass
class _Wait:
    failures: int
    until: float


class MissingBlobs:
    """Which referenced photos the device lacks, and when each may be asked for again."""

    def __init__(
        self,
        held: HeldBlobs,
        backoff: Backoff,
        rng: random.Random,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._held_files = held
        self._backoff = backoff
        self._rng = rng
        self._monotonic = monotonic
        self._held: set[str] = set()
        self._waits: dict[str, _Wait] = {}

    def scan(self, store: Store) -> tuple[list[str], int]:
        """(the photos to fetch now, how many are missing in all); blocking: file checks."""
        now = self._monotonic()
        due, waiting = [], 0
        for sha in sorted(referenced_blobs(store) - self._held):
            wait = self._waits.get(sha)
            if wait is not None and wait.until > now:
                waiting += 1  # asked for in vain lately: not before its time
            elif self._held_files.has(sha):
                self._held.add(sha)
            else:
                due.append(sha)
        return due, len(due) + waiting

    def arrived(self, sha: str) -> None:
        self._held.add(sha)
        self._waits.pop(sha, None)

    def failed(self, sha: str) -> None:
        """The server did not give ``sha``: ask again after a growing delay."""
        failures = self._waits[sha].failures + 1 if sha in self._waits else 1
        delay = self._backoff.delay(failures, self._rng)
        self._waits[sha] = _Wait(failures, self._monotonic() + delay)
