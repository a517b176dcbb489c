"""``/v1/blobs/{sha256}``: receipt and damage photos, uploaded before the ops naming them.

The route takes any path after the prefix so that every malformed name, including
``../`` tricks, gets a 400 saying what a name must be rather than a bare 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from . import models
from .blobs import SHA256_NAME, HashMismatch
from .deps import Authenticated, Context
from .errors import ApiError
from .storage import Device

BLOB_PREFIX = "/v1/blobs/"
router = APIRouter(prefix=BLOB_PREFIX.rstrip("/"))


def _checked(name: str) -> str:
    if not SHA256_NAME.fullmatch(name):
        raise ApiError("invalid_blob_name", "a blob is named by the lowercase hex sha256"
                       " of its bytes (64 characters 0-9a-f)")
    return name


def _team_blob_size(context: Context, device: Device, name: str) -> int:
    size = context.storage.blob_size(device.team_id, _checked(name))
    if size is None:
        raise ApiError("not_found", "this team has no blob with that hash")
    return size


@router.put("/{name:path}", response_model=models.BlobStored, status_code=201)
async def put_blob(
    name: str, request: Request, device: Authenticated, context: Context
) -> dict[str, object]:
    sha256 = _checked(name)
    data = await request.body()  # the BodyLimit middleware caps this at max_blob_bytes
    try:
        await run_in_threadpool(context.blobs.put, sha256, data)
    except HashMismatch as mismatch:
        raise ApiError("hash_mismatch", str(mismatch)) from None
    await run_in_threadpool(context.storage.add_blob, device.team_id, sha256, len(data))
    return {"sha256": sha256, "size": len(data)}


@router.head("/{name:path}")
def head_blob(name: str, device: Authenticated, context: Context) -> Response:
    size = _team_blob_size(context, device, name)
    return Response(headers={"content-length": str(size)}, media_type="application/octet-stream")


@router.get("/{name:path}", response_class=FileResponse)
def get_blob(name: str, device: Authenticated, context: Context) -> FileResponse:
    _team_blob_size(context, device, name)
    return FileResponse(context.blobs.path(name), media_type="application/octet-stream")
