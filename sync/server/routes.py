"""Health, pairing, push and pull: the record-sync half of protocol version 1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request, Response

from sync import wire
from sync.schema import SCHEMA_VERSION

from . import models
from .auth import new_token, normalise_invite_code, secret_hash
from .deps import Authenticated, Context, authenticated, bearer
from .errors import ApiError
from .lanes import Busy
from .openapi import MAX_SEQ
from .push import merge_push
from .storage import DatabaseUnavailable, PairingError, PullPage
from .throttle import address_key

router = APIRouter(prefix="/v1")


@router.get("/health", response_model=models.Health, response_model_exclude_unset=True,
            responses={503: {"model": models.ErrorModel, "description": "database down"}})
async def health(context: Context) -> dict[str, object]:
    """200 once the server and its database answer; 503 ``database_unavailable`` while
    the database does not. The check runs on threads of its own, so it stays quick
    however many requests are waiting for the database."""
    if not await context.lanes.probe(context.storage.ping):
        raise DatabaseUnavailable()
    answer: dict[str, object] = {"status": "ok", "version": wire.PROTOCOL_VERSION,
                                 "schema": SCHEMA_VERSION, "server_time": context.clock()}
    hub = context.hub
    if hub is not None:
        answer["hub"] = await context.lanes.probe(lambda: hub.status(context.storage))
    return answer


#: Pairing refusals that a guesser of invite codes gets, and so count against its address.
GUESSED = frozenset({"invalid_invite", "invite_expired"})
#: Seconds a push refused as ``server_busy`` is told to wait.
BUSY_RETRY_S = 2


@router.post("/devices", response_model=models.PairResponse)
def pair(body: models.PairRequest, request: Request, context: Context) -> dict[str, str]:
    address = address_key(request.client.host if request.client else None)
    now = context.clock()
    wait_ms = context.pairing_throttle.wait_ms(address, now)
    if wait_ms:
        seconds = -(-wait_ms // 1000)
        raise ApiError("too_many_attempts", "too many failed pairings from this address;"
                       f" try again in {seconds} s", {"Retry-After": str(seconds)})
    token = new_token()
    code_hash = secret_hash(normalise_invite_code(body.invite))
    try:
        device = context.storage.pair(code_hash, body.device_id, body.name,
                                      secret_hash(token), now, hub=body.hub)
    except PairingError as refused:
        if refused.code in GUESSED:
            context.pairing_throttle.failed(address, now)
        raise ApiError(refused.code, str(refused)) from None
    if context.hub is not None:
        context.hub.paired()
    return {"token": token, "team_id": device.team_id, "role": device.role,
            "team_name": context.storage.team_name(device.team_id)}


async def on_push_lane(request: Request, context: Context, team_id: str,
                       merge: Callable[[bytes], bytes]) -> Response:
    """Answer a push or relay: ``merge`` of its body waits its turn on the push threads;
    when too many pushes wait already, ``503 server_busy`` comes at once, before the body
    is read."""
    try:
        context.lanes.admit_push()
    except Busy:
        raise ApiError("server_busy", "too many pushes are waiting; try again shortly",
                       {"Retry-After": str(BUSY_RETRY_S)}) from None
    try:
        raw = await request.body()
        answer = await context.lanes.push(lambda: merge(raw))
        context.live.notify(team_id)  # committed: wake the team's waiting pulls
        if context.hub is not None:
            context.hub.pushed()  # and a hub's relay: new ops may wait to go upstream
    finally:
        context.lanes.done_push()
    return Response(answer, media_type="application/json")


@router.post("/push", response_model=models.PushResponse,
             openapi_extra={"requestBody": models.PUSH_REQUEST_BODY},
             responses={503: {"model": models.ErrorModel,
                              "description": "too many pushes waiting, or database down"}})
async def push(request: Request, device: Authenticated, context: Context) -> Response:
    """Merge a device's ops (a hub's token: ``403 hub_only``)."""
    if device.role == wire.HUB_ROLE:
        raise ApiError("hub_only", "a hub relays through /v1/relay")
    return await on_push_lane(request, context, device.team_id,
                              lambda raw: merge_push(raw, device, context))


@router.get("/pull", response_model=models.PullResponse, responses={503: {
    "model": models.ErrorModel,
    "description": "server_busy: too many pulls wait already; database_unavailable"}})
async def pull(
    request: Request,
    device: Authenticated,
    context: Context,
    cursor: Annotated[int, Query(description="seq of the last change already merged")] = 0,
    limit: Annotated[int | None, Query(description="most changes to return")] = None,
    wait: Annotated[float, Query(description="long-poll: with no change newer than cursor"
                                 " yet, answer as soon as one is pushed or after this many"
                                 " seconds (0 to 30, max_pull_wait_s)")] = 0,
) -> Response:
    most = context.limits.max_pull_limit
    size = context.limits.default_pull_limit if limit is None else limit
    if not 0 <= cursor <= MAX_SEQ or not 1 <= size <= most:
        raise ApiError(
            "invalid_request", f"cursor must be from 0 to {MAX_SEQ} and limit from 1 to {most}")
    longest = context.limits.max_pull_wait_s
    if not 0 <= wait <= longest:
        raise ApiError("invalid_request", f"wait must be from 0 to {longest} seconds")

    credentials = await bearer(request)
    reads = 0

    def read_page(again: bool) -> PullPage:
        if again:  # a device revoked while its pull waited gets nothing more
            authenticated(context, credentials)
        if context.hub is not None:  # a hub's pulls also hand back upstream's rejections
            return context.storage.hub_page(device.team_id, device.device_id, cursor, size,
                                            context.limits.max_page_bytes)
        return context.storage.pull(device.team_id, cursor, size, context.limits.max_page_bytes)

    def read() -> Awaitable[PullPage]:
        nonlocal reads
        reads += 1
        return anyio.to_thread.run_sync(read_page, reads > 1)

    if wait:
        page = await context.live.pull(device.team_id, device.device_id, read, wait,
                                       request.receive)
    else:
        page = await read()
    # Changes come from storage as JSON text: joining them beats re-encoding every record.
    rejected = f',"rejected":[{",".join(page.rejected)}]' if page.rejected else ""
    body = (f'{{"changes":[{",".join(page.changes)}],"cursor":{page.cursor},'
            f'"more":{"true" if page.more else "false"}{rejected},'
            f'"server_time":{context.clock()}}}')
    return Response(body, media_type="application/json")
