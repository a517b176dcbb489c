"""Server storage: SQLite under the data directory, or PostgreSQL from a database URL."""

from __future__ import annotations

import os
from pathlib import Path

from .model import (
    HUB_STATES,
    INVITE_TTL_MS,
    DatabaseUnavailable,
    Device,
    DeviceInfo,
    HubLink,
    HubLinkError,
    PairingError,
    PullPage,
    QueuedOp,
    Storage,
    TeamDevice,
    ValidOp,
)
from .sqlite import SQLiteStorage

__all__ = [
    "DATABASE_URL_ENV",
    "HUB_STATES",
    "INVITE_TTL_MS",
    "DatabaseUnavailable",
    "Device",
    "DeviceInfo",
    "HubLink",
    "HubLinkError",
    "PairingError",
    "PullPage",
    "QueuedOp",
    "Storage",
    "TeamDevice",
    "ValidOp",
    "open_storage",
]

DATABASE_URL_ENV = "CREWKIT_DATABASE_URL"


def open_storage(data_dir: Path, database_url: str | None = None) -> Storage:
    """PostgreSQL if ``database_url`` (default: ``$CREWKIT_DATABASE_URL``) is set, else SQLite.

    The SQLite file is ``data_dir/crewkit.sqlite3``; the directory is created if needed.
    """
    url = database_url if database_url is not None else os.environ.get(DATABASE_URL_ENV, "")
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStorage  # psycopg is only needed for PostgreSQL

        return PostgresStorage(url)
    if url:
        raise ValueError(f"{DATABASE_URL_ENV} must start with postgresql://, got {url[:20]!r}")
    data_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteStorage(data_dir / "crewkit.sqlite3")
