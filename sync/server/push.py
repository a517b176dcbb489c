"""A push's heavy half: decode the body, judge every op, merge, encode the answer.

It runs on a push thread (see ``lanes``), never on the event loop: for 5000 ops that is
tens of milliseconds of pure Python, which on the loop would hold up every other request.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from sync import wire
from sync.schema import MAX_RECORD_BYTES, SCHEMA_VERSION

from . import models
from .deps import ServerContext
from .errors import ApiError
from .ops import Rejected, check_op
from .storage import Device

B = TypeVar("B", bound=models.Batch)


def _request(raw: bytes, model: type[B]) -> B:
    if not raw.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",),
                                       "msg": "Field required"}])
    try:
        # The standard decoder, not pydantic's: it reads a lone surrogate (``"\\ud800"``),
        # which is then rejected in its op alone, not as a broken body.
        data = json.loads(raw)
    except ValueError as error:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",),
                                       "msg": "JSON decode error",
                                       "ctx": {"error": str(error)[:200]}}]) from None
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        raise RequestValidationError([
            {**error, "loc": ("body", *error["loc"])} for error in invalid.errors()
        ]) from None


def read_batch(raw: bytes, model: type[B], device: Device, context: ServerContext) -> B:
    """A push or relay body from ``device``, refused whole (ApiError) if it is not theirs,
    speaks an unknown schema, or holds too many ops."""
    body = _request(raw, model)
    if body.device_id != device.device_id:
        raise ApiError("device_mismatch", "device_id is not the device this token is for")
    if not 1 <= body.schema_version <= SCHEMA_VERSION:
        raise ApiError("unsupported_schema",
                       f"this server speaks schemas 1 to {SCHEMA_VERSION}; update the server")
    most = context.limits.max_ops_per_push
    if len(body.ops) > most:
        raise ApiError("too_many_ops", f"at most {most} ops per push; send the rest next")
    return body


def too_large_message(size: int) -> str:
    return (f"the record would hold {size} bytes; a record holds at most {MAX_RECORD_BYTES}"
            " bytes of fields (photos and receipts go as blobs)")


def merge_push(raw: bytes, device: Device, context: ServerContext) -> bytes:
    """The JSON answer to a push body from ``device``; raises ApiError on a refusal."""
    body = read_batch(raw, models.PushRequest, device, context)
    now = context.clock()
    valid, rejected = [], []
    for op in body.ops:
        try:
            valid.append(check_op(op, device, now))
        except Rejected as why:
            op_id = op.get("op_id") if isinstance(op, dict) else None
            rejected.append({"op_id": op_id if isinstance(op_id, str) else None,
                             "code": why.code, "message": why.message})
    too_large = context.storage.push(device, valid, now)  # returns only once committed
    context.pruner.maybe_prune(now)
    rejected += [{"op_id": op_id, "code": wire.RECORD_TOO_LARGE,
                  "message": too_large_message(size)} for op_id, size in too_large.items()]
    answer: dict[str, Any] = {
        "acked": [op.op_id for op in valid if op.op_id not in too_large],
        "rejected": rejected, "server_time": context.clock()}
    return json.dumps(answer, ensure_ascii=False).encode()
