"""Checking one pushed op: shape, collection, fields and types, role, clock.

Each op is judged alone so a permanently invalid op is rejected (and kept, and shown, by
its device) without blocking the valid ops queued behind it.
"""

from __future__ import annotations

import re
from typing import Any

from app.hlc import Stamp
from sync import wire
from sync.schema import COLLECTIONS, QUOTE_CHARS, quote, validate_fields

from .storage import Device, ValidOp

ID_PATTERN = re.compile(r"[A-Za-z0-9._~-]{1,128}")
OP_KEYS = frozenset({"op_id", "coll", "id", "hlc", "set", "delete"})


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _shape(raw: Any) -> tuple[ValidOp, Stamp]:
    if not isinstance(raw, dict):
        raise Rejected(wire.INVALID_OP, "an op must be a JSON object")
    unknown = sorted(set(raw) - OP_KEYS)
    if unknown:
        raise Rejected(wire.INVALID_OP, "unknown op keys: " + ", ".join(map(quote, unknown[:5])))
    for key in ("op_id", "id"):
        if not isinstance(raw.get(key), str) or not ID_PATTERN.fullmatch(raw[key]):
            raise Rejected(wire.INVALID_OP, f"{key} must be 1-128 characters of [A-Za-z0-9._~-]")
    if not isinstance(raw.get("coll"), str):
        raise Rejected(wire.INVALID_OP, "coll must be a string")
    hlc = raw.get("hlc")
    try:
        stamp = Stamp.parse(hlc if isinstance(hlc, str) else "")
    except ValueError:
        shown = quote(hlc) if isinstance(hlc, str) else f"{hlc!r:.{QUOTE_CHARS}}"
        raise Rejected(wire.INVALID_OP, f"hlc is not an HLC stamp: {shown}") from None
    values = raw.get("set", {})
    delete = raw.get("delete", False)
    if not isinstance(values, dict) or not isinstance(delete, bool):
        raise Rejected(wire.INVALID_OP, "set must be an object and delete a boolean")
    if not values and not delete:
        raise Rejected(wire.INVALID_OP, "the op neither sets a field nor deletes")
    return ValidOp(raw["op_id"], raw["coll"], raw["id"], hlc, values, delete), stamp


def _decides_expense(op: ValidOp) -> bool:
    return op.coll == "expenses" and op.values.get("status") in wire.COORDINATOR_EXPENSE_STATUSES


def check_op(raw: Any, device: Device, now_ms: int) -> ValidOp:
    """Return the op ready to merge, or raise Rejected with the protocol's code."""
    op, stamp = _shape(raw)
    if op.coll not in COLLECTIONS:
        raise Rejected(wire.UNKNOWN_COLLECTION, f"no collection {quote(op.coll)}")
    problems = validate_fields(op.coll, op.values)
    if problems:
        raise Rejected(wire.INVALID_FIELD, "; ".join(problems))
    if device.role != "coordinator" and op.coll in wire.COORDINATOR_ONLY:
        raise Rejected(wire.FORBIDDEN, f"a {device.role} device cannot change {op.coll}")
    if device.role != "coordinator" and _decides_expense(op):
        raise Rejected(wire.FORBIDDEN, f"a {device.role} device cannot approve, reject or"
                       " reimburse expenses; a coordinator does")
    if stamp.node_id != device.device_id:
        raise Rejected(wire.INVALID_OP, "the hlc's node id must be the pushing device's id")
    ahead = stamp.physical_ms - now_ms
    if ahead > wire.MAX_CLOCK_SKEW_MS:
        raise Rejected(wire.CLOCK_SKEW, f"the hlc is {ahead // 1000} s ahead of server time"
                       " (server_time in this response gives the server's clock)")
    return op
