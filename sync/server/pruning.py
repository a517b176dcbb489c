"""Forgetting old applied op ids, at most once an hour, from the push that finds it due."""

from __future__ import annotations

import logging
import threading

from .storage import Storage

log = logging.getLogger("crewkit.server")

DAY_MS = 24 * 3600 * 1000
EVERY_MS = 3600 * 1000


class Pruner:
    def __init__(self, storage: Storage, keep_days: int) -> None:
        self.storage = storage
        self.keep_ms = keep_days * DAY_MS
        self._last_ms: int | None = None
        self._lock = threading.Lock()

    def maybe_prune(self, now_ms: int) -> None:
        """Prune if no prune ran in the last hour (by this process); never raises."""
        with self._lock:
            if self._last_ms is not None and now_ms - self._last_ms < EVERY_MS:
                return
            self._last_ms = now_ms
        try:
            forgotten = self.storage.prune_applied_ops(now_ms - self.keep_ms)
        except Exception:  # a failed prune is retried in an hour; the push already succeeded
            log.exception("pruning applied op ids failed")
            return
        if forgotten:
            log.info("forgot %d applied op ids older than %d days", forgotten,
                     self.keep_ms // DAY_MS)
