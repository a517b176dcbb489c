"""Fixtures shared across test directories.

``postgres_server`` is defined here, once, so that the server's and the sync client's
tests share one PostgreSQL server per session. The storage backends that use it are
defined with the server tests; importing them here lets the sync client's tests run
against both too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from server.conftest import Backend, backend

from bench.postgres import PostgresUnavailable, throwaway_postgres

__all__ = ["Backend", "backend", "postgres_server"]


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
