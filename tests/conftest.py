"""Fixtures shared across test directories.

The storage backends (SQLite, and a throwaway PostgreSQL server) are defined with the
server tests; importing them here lets the sync client's tests run against both too.
"""

from server.conftest import Backend, backend, postgres_server

__all__ = ["Backend", "backend", "postgres_server"]
