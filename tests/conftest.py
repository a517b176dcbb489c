"""Fixtures shared across test directories.

``store`` is an empty device store, closed after the test. The storage backends (SQLite, and a throwaway PostgreSQL server) are defined with the
server tests; importing them here lets the sync client's tests run against both too.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from server.conftest import Backend, backend, postgres_server

from app.store import Store

__all__ = ["Backend", "backend", "postgres_server", "store"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A device store in a fresh directory, closed after the test."""
    opened = Store.open(tmp_path / "db")
    yield opened
    opened.close()
