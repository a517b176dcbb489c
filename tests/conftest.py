"""Fixtures shared across test directories.

``store`` is an empty device store, closed after the test. ``postgres_server`` is
defined here, once, so that the server's and the sync client's tests share one
PostgreSQL server per session. The storage backends that use it are defined with the
server tests; importing them here lets the sync client's tests run against both too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from server.conftest import Backend, backend

from app.store import Store
from bench.postgres import PostgresUnavailable, throwaway_postgres

__all__ = ["Backend", "backend", "postgres_server", "store"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A device store in a fresh directory, closed after the test."""
    opened = Store.open(tmp_path / "db")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for this session; yields its URL without a database name.

    Missing binaries fail the tests that need it (never skip them) with the message
    naming ``apt-get install postgresql``.
    """
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_postgres(durable=False))
        except PostgresUnavailable as unavailable:
            pytest.fail(str(unavailable))
        yield url
