"""Hybrid logical clock stamps: ``{physical_ms:015d}:{counter:06d}:{node_id}``.

The text sorts lexicographically in causal order. The clock never goes backwards,
absorbs every stamp it sees, and corrects for a device clock that is set wrong using
the server time reported by each sync response.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 999_999
# ASCII digits only: str.isdigit() and int() also read Arabic-Indic, full-width and other
# scripts' digits, which would sort above every real stamp.
_STAMP = re.compile(r"([0-9]{15}):([0-9]{6}):(.+)", re.ASCII | re.DOTALL)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Stamp:
    physical_ms: int
    counter: int
    node_id: str

    def __str__(self) -> str:
        return f"{self.physical_ms:015d}:{self.counter:06d}:{self.node_id}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Parse a stamp; raise ValueError with the reason if it is malformed."""
        match = _STAMP.fullmatch(text)
        if match is None:
            raise ValueError(f"not an HLC stamp: {text!r:.80}")
        physical, counter, node = match.groups()
        return cls(int(physical), int(counter), node)


class HybridClock:
    """A thread-safe HLC for one device (``node_id``)."""

    def __init__(
        self,
        node_id: str,
        last: str | None = None,
        offset_ms: int = 0,
        now: Callable[[], int] = wall_ms,
    ) -> None:
        if ":" in node_id or not node_id:
            raise ValueError(f"node id must be non-empty and contain no ':': {node_id!r}")
        self.node_id = node_id
        self.offset_ms = offset_ms
        self._now = now
        self._lock = threading.Lock()
        parsed = Stamp.parse(last) if last else None
        self._physical = parsed.physical_ms if parsed else 0
        self._counter = parsed.counter if parsed else 0

    @property
    def last(self) -> str:
        return str(Stamp(self._physical, self._counter, self.node_id))

    def _advance(self, floor_ms: int, floor_counter: int) -> None:
        corrected = self._now() + self.offset_ms
        if corrected > self._physical and corrected > floor_ms:
            self._physical, self._counter = corrected, 0
            return
        if floor_ms > self._physical or (
            floor_ms == self._physical and floor_counter > self._counter
        ):
            self._physical, self._counter = floor_ms, floor_counter
        self._counter += 1
        if self._counter > MAX_COUNTER:
            self._physical, self._counter = self._physical + 1, 0

    def now(self) -> str:
        """A new stamp, greater than every stamp this clock has issued or seen."""
        with self._lock:
            self._advance(0, 0)
            return self.last

    def observe(self, stamp: str) -> None:
        """Absorb a stamp received from elsewhere, so later stamps sort after it."""
        seen = Stamp.parse(stamp)
        with self._lock:
            if (seen.physical_ms, seen.counter) > (self._physical, self._counter):
                self._physical, self._counter = seen.physical_ms, seen.counter

    def observe_server_time(self, server_ms: int, round_trip_ms: int = 0) -> None:
        """Estimate the device clock's error from a server's time (mid round trip)."""
        with self._lock:
            self.offset_ms = server_ms + round_trip_ms // 2 - self._now()
