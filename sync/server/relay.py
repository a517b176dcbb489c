"""A relay's heavy half: ops a hub took from its devices, each judged as if its origin
device had pushed it directly, merged in one transaction.

It runs on a push thread (see ``lanes``), like a push. Dedupe is on (origin, op id), the
key a direct push of the origin uses, so an op that comes both ways is merged once.
"""

from __future__ import annotations

import json
from typing import Any

from sync import wire
from sync.schema import quote

from . import models
from .deps import ServerContext
from .ops import ID_PATTERN, Rejected, check_op
from .push import read_batch, too_large_message
from .storage import Device, TeamDevice, ValidOp


def _origin(raw: Any) -> str | None:
    """The op's origin device id, if it names one well-formed."""
    origin = raw.get("origin") if isinstance(raw, dict) else None
    return origin if isinstance(origin, str) and ID_PATTERN.fullmatch(origin) else None


def _judge(raw: Any, origins: dict[str, TeamDevice], team_id: str, now_ms: int) -> ValidOp:
    """Check a relayed op as its origin's own push would be checked, origin first."""
    if not isinstance(raw, dict):
        raise Rejected(wire.INVALID_OP, "an op must be a JSON object")
    origin = _origin(raw)
    if origin is None:
        raise Rejected(wire.INVALID_OP, "origin must be the id of the device that made the op")
    device = origins.get(origin)
    if device is None:
        raise Rejected(wire.UNKNOWN_DEVICE, f"no device {quote(origin)} in this hub's team;"
                       " the hub registers its devices (POST /v1/hub/devices) first")
    if device.revoked_ms is not None:
        raise Rejected(wire.DEVICE_REVOKED, f"device {quote(origin)} was revoked")
    if device.role == wire.HUB_ROLE:
        raise Rejected(wire.FORBIDDEN, "a hub makes no edits of its own")
    op = {key: value for key, value in raw.items() if key != "origin"}
    return check_op(op, Device(origin, team_id, device.role), now_ms)


def merge_relay(raw: bytes, hub: Device, context: ServerContext) -> bytes:
    """The JSON answer to a relay body from ``hub``; raises ApiError on a refusal."""
    body = read_batch(raw, models.RelayRequest, hub, context)
    named = {origin for origin in map(_origin, body.ops) if origin is not None}
    origins = {device.device_id: device
               for device in context.storage.team_devices(hub.team_id, sorted(named))}
    now = context.clock()
    valid: list[tuple[str, ValidOp]] = []
    rejected: list[dict[str, Any]] = []
    for op in body.ops:
        try:
            checked = _judge(op, origins, hub.team_id, now)
        except Rejected as why:
            op_id = op.get("op_id") if isinstance(op, dict) else None
            rejected.append({"origin": _origin(op),
                             "op_id": op_id if isinstance(op_id, str) else None,
                             "code": why.code, "message": why.message})
        else:
            valid.append((op["origin"], checked))
    too_large = context.storage.relay(hub.team_id, valid, now)  # returns once committed
    context.pruner.maybe_prune(now)
    rejected += [{"origin": origin, "op_id": op_id, "code": wire.RECORD_TOO_LARGE,
                  "message": too_large_message(size)}
                 for (origin, op_id), size in too_large.items()]
    answer: dict[str, Any] = {
        "acked": [{"origin": origin, "op_id": op.op_id} for origin, op in valid
                  if (origin, op.op_id) not in too_large],
        "rejected": rejected, "server_time": context.clock()}
    return json.dumps(answer, ensure_ascii=False).encode()
