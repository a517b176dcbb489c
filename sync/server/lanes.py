"""Where blocking work runs, so the event loop and ``/v1/health`` never wait behind it.

FastAPI runs plain ``def`` routes on one shared pool of worker threads. Two kinds of work
get threads of their own here:

* health checks: however many requests wait for the database, a check starts at once;
* pushes: decoding, checking and merging thousands of ops is heavy, so a few threads take
  them in turn, and the rest wait in a bounded queue; past its bound a push is refused
  at once (``503 server_busy`` with ``Retry-After``) before its body is read. A crowd of
  pushes then never takes every thread from pulls, nor the interpreter from the event
  loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")

PROBE_THREADS = 2


class Busy(Exception):
    """The push queue is full."""


class Lanes:
    """The limiters of one app; made on first use, inside its event loop."""

    def __init__(self, push_threads: int, queued_pushes: int) -> None:
        self.push_threads = push_threads
        self.queued_pushes = queued_pushes
        self._probe: anyio.CapacityLimiter | None = None
        self._push: anyio.CapacityLimiter | None = None
        self._pushes = 0  # running or waiting
        self._lock = threading.Lock()

    async def probe(self, check: Callable[[], T]) -> T:
        """Run a quick check (a database ping) on the probe threads."""
        if self._probe is None:
            self._probe = anyio.CapacityLimiter(PROBE_THREADS)
        return await anyio.to_thread.run_sync(check, limiter=self._probe)

    @property
    def pushes(self) -> int:
        """Pushes running or waiting now."""
        return self._pushes

    def admit_push(self) -> None:
        """Take a place in the push queue, or raise Busy; give it back with done_push."""
        with self._lock:
            if self._pushes >= self.push_threads + self.queued_pushes:
                raise Busy
            self._pushes += 1

    def done_push(self) -> None:
        with self._lock:
            self._pushes -= 1

    async def push(self, work: Callable[[], T]) -> T:
        """Run an admitted push's work on the push threads."""
        if self._push is None:
            self._push = anyio.CapacityLimiter(self.push_threads)
        return await anyio.to_thread.run_sync(work, limiter=self._push)
