"""SQLite storage: zero configuration, one file, WAL so pulls never wait for a push."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .hub import HubStorage


class SQLiteStorage(HubStorage):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        # SQLite has one writer per database: queueing writers on a lock here is fairer
        # and much faster than letting them spin on SQLITE_BUSY.
        self._write_lock = threading.Lock()
        self.migrate()

    def _connect(self) -> sqlite3.Connection:
        # Pooled connections move between worker threads, one user at a time.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged push must survive a power cut, not just a crash.
        conn.execute("PRAGMA synchronous=FULL")
        # Other processes (the CLI next to a running server) may hold the write lock.
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
