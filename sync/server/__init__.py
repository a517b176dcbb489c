"""The Crewkit sync server: ``create_app`` over a ``Storage`` from ``open_storage``.

    storage = open_storage(Path("data"))          # or PostgreSQL via CREWKIT_DATABASE_URL
    app = create_app(storage, Path("data/blobs"))  # any ASGI server, or httpx.ASGITransport
"""

from __future__ import annotations

from .app import create_app
from .limits import DEFAULT_LIMITS, Limits
from .storage import Storage, open_storage

__all__ = ["DEFAULT_LIMITS", "Limits", "Storage", "create_app", "open_storage"]
