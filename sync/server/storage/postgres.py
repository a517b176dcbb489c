"""PostgreSQL storage, for several server processes behind one load balancer."""

from __future__ import annotations

from contextlib import AbstractContextManager

import psycopg

from .hub import HubStorage


def numbered_placeholders(sql: str) -> str:
    """``?, ?`` → ``$1, $2``. The shared SQL has ``?`` only as placeholders, never inside
    a literal."""
    parts = sql.split("?")
    numbered = [parts[0]]
    for number, part in enumerate(parts[1:], start=1):
        numbered += (f"${number}", part)
    return "".join(numbered)


class PostgresStorage(HubStorage):
    # Server processes starting together must not race to create the same tables.
    migration_lock = "SELECT pg_advisory_xact_lock(4242001)"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.migrate()

    def _connect(self) -> psycopg.Connection:
        # No server-side prepared statements: a generic plan made while a table was still
        # small keeps scanning it after it has grown (pushes slowed from 0.3 s to 13 s per
        # 5000 ops in six batches); planning each batch's IN (...) lookups is cheap.
        # RawCursor takes PostgreSQL's own $1 placeholders as they are: psycopg's %s
        # parsing, in Python and uncached past 50 parameters, cost three times the
        # database's own work for a push's 3500-parameter INSERTs.
        return psycopg.connect(self.url, autocommit=True, prepare_threshold=None,
                               cursor_factory=psycopg.RawCursor, connect_timeout=5)

    connect_errors = (psycopg.OperationalError,)

    def _lost(self, conn: psycopg.Connection) -> bool:
        return conn.broken or conn.closed

    def _transaction(self, conn: psycopg.Connection) -> AbstractContextManager[None]:
        return conn.transaction()

    def _sql(self, text: str) -> str:
        return numbered_placeholders(text)

    def _octets(self, column: str) -> str:
        return f"octet_length({column})"
