"""What every request handler may depend on: the server's context and the caller's device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.wire import HUB_ROLE

from .auth import secret_hash
from .blobs import BlobStore
from .errors import ApiError
from .lanes import Lanes
from .limits import Limits
from .live import LiveTeams
from .pruning import Pruner
from .storage import Device, Storage
from .throttle import FailureThrottle

if TYPE_CHECKING:
    from .hub.side import HubSide


@dataclass(frozen=True)
class ServerContext:
    """Everything ``create_app`` was given, and the state one server process keeps in
    memory; kept on ``app.state`` for the routes."""

    storage: Storage
    blobs: BlobStore
    limits: Limits
    clock: Callable[[], int]
    pairing_throttle: FailureThrottle
    pruner: Pruner
    lanes: Lanes
    live: LiveTeams
    #: On a base-camp hub: what the routes tell its relay, and ask of it.
    hub: HubSide | None = None

    @classmethod
    def of(cls, storage: Storage, blobs: BlobStore, limits: Limits,
           clock: Callable[[], int], hub: HubSide | None = None) -> ServerContext:
        throttle = FailureThrottle(limits.pairing_failures, limits.pairing_failure_ms)
        return cls(storage, blobs, limits, clock, throttle,
                   Pruner(storage, limits.applied_ops_days),
                   Lanes(limits.push_threads, limits.queued_pushes),
                   LiveTeams(limits.waits_per_device, limits.waiting_pulls), hub)


def server_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


Context = Annotated[ServerContext, Depends(server_context)]
_bearer = HTTPBearer(auto_error=False)


async def bearer(request: Request) -> HTTPAuthorizationCredentials | None:
    """The request's ``Authorization: Bearer`` credentials, if any."""
    return await _bearer(request)


def authenticated(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Device:
    """The device whose unrevoked token is in ``Authorization: Bearer``, else a 401."""
    token_hash = secret_hash(credentials.credentials) if credentials else None
    device = context.storage.device_for_token(token_hash) if token_hash else None
    if device is None:
        raise ApiError("unauthorized", "a valid bearer token is required; pair again",
                       {"WWW-Authenticate": "Bearer"})
    return device


Authenticated = Annotated[Device, Depends(authenticated)]


def hub(device: Authenticated) -> Device:
    """The authenticated device, if it was paired as a hub; else a 403 ``not_a_hub``."""
    if device.role != HUB_ROLE:
        raise ApiError("not_a_hub", "only a device paired as a hub (crewkit-server invite"
                       " --role hub) may relay and list or register the team's devices")
    return device


AuthenticatedHub = Annotated[Device, Depends(hub)]
