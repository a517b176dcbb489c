"""``create_app``: the sync endpoint as an ASGI app over a given storage and blob directory.

Routes are plain ``def`` functions where they only call storage, so FastAPI runs them in
its worker threads and a slow database never blocks the event loop; pushes and health
checks run on threads of their own (``lanes``), so neither waits behind the other.
Storage persists; the routes decide who is asking and whether the request is acceptable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI

from app.hlc import wall_ms
from sync import wire

from . import blob_routes, hub_routes, models, openapi, routes
from .blobs import BlobStore
from .deps import ServerContext
from .errors import BodyLimit, install_error_handlers
from .limits import DEFAULT_LIMITS, Limits
from .storage import Storage

if TYPE_CHECKING:
    from .hub.side import HubSide

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": models.ErrorModel} for status in (400, 401, 403, 404, 409, 413, 429, 503)
}


def create_app(
    storage: Storage,
    blob_dir: Path,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], int] = wall_ms,
    hub: HubSide | None = None,
) -> FastAPI:
    """The ASGI app. ``clock`` returns epoch milliseconds; tests pass a fake one. A
    base-camp hub passes its ``hub`` side (see ``sync.server.hub.create_hub_app``)."""
    # No slash redirects: an API client should get the error, not a 307 to follow.
    app = FastAPI(title="Crewkit sync", version=str(wire.PROTOCOL_VERSION),
                  responses=ERROR_RESPONSES, redirect_slashes=False)
    app.state.context = ServerContext.of(storage, BlobStore(blob_dir), limits, clock, hub)
    install_error_handlers(app)
    app.add_middleware(
        BodyLimit,
        limit_for=lambda path: (
            limits.max_blob_bytes
            if path.startswith(blob_routes.BLOB_PREFIX)
            else limits.max_body_bytes
        ),
    )
    app.include_router(routes.router)
    app.include_router(blob_routes.router)
    app.include_router(hub_routes.router)
    openapi.install(app, limits)
    return app
