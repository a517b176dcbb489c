"""Wire types and constants of sync protocol version 1, shared by the client and the server.

Plain ``TypedDict`` shapes of the JSON bodies (no pydantic, so the device needs nothing
beyond the standard library to speak the protocol) and every code either side can
send. ``sync/PROTOCOL.md`` documents each of them; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any, TypedDict

PROTOCOL_VERSION = 1

#: An HLC whose physical time is further than this ahead of the server's clock is rejected.
MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

#: A base-camp hub: relays its devices' ops upstream (``POST /v1/relay``), never edits.
HUB_ROLE = "hub"
ROLES = ("coordinator", "crew", HUB_ROLE)
#: Collections a ``crew`` device may read but not change.
COORDINATOR_ONLY = frozenset({"productions", "budget_lines", "people"})
#: Expense statuses only a coordinator sets: approving, rejecting, reimbursing (and so
#: issuing a petty-cash float, which is recorded as approved).
COORDINATOR_EXPENSE_STATUSES = frozenset({"approved", "rejected", "reimbursed"})

# Per-op rejection codes, in "rejected": [{"op_id", "code", "message"}] of a push response
# (and of a relay response, with "origin"; the last two only there).
INVALID_OP = "invalid_op"
UNKNOWN_COLLECTION = "unknown_collection"
INVALID_FIELD = "invalid_field"
FORBIDDEN = "forbidden"
CLOCK_SKEW = "clock_skew"
RECORD_TOO_LARGE = "record_too_large"
UNKNOWN_DEVICE = "unknown_device"
DEVICE_REVOKED = "device_revoked"
REJECTION_CODES = (INVALID_OP, UNKNOWN_COLLECTION, INVALID_FIELD, FORBIDDEN, CLOCK_SKEW,
                   RECORD_TOO_LARGE, UNKNOWN_DEVICE, DEVICE_REVOKED)

# Request-level error codes, in {"error", "message"} bodies of 4xx/5xx answers.
ERROR_STATUS: dict[str, int] = {
    "malformed_json": 400,
    "invalid_request": 400,
    "unsupported_schema": 400,
    "invalid_blob_name": 400,
    "hash_mismatch": 400,
    "unauthorized": 401,
    "device_mismatch": 403,
    "invalid_invite": 403,
    "invite_expired": 403,
    "not_a_hub_invite": 403,
    "not_a_hub": 403,
    "hub_only": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "device_exists": 409,
    "device_in_other_team": 409,
    "body_too_large": 413,
    "too_many_ops": 413,
    "too_many_attempts": 429,
    "too_many_waiters": 429,
    "internal_error": 500,
    "server_busy": 503,
    "database_unavailable": 503,
}


class Op(TypedDict, total=False):
    """One change a device pushes: set some fields of a record, or delete it."""

    op_id: str
    coll: str
    id: str
    hlc: str
    set: dict[str, Any]
    delete: bool


class Rejection(TypedDict):
    op_id: str | None
    code: str
    message: str


class PushResponse(TypedDict):
    acked: list[str]
    rejected: list[Rejection]
    server_time: int


class Change(TypedDict):
    """A record's whole current state, as of the team sequence number ``seq``."""

    coll: str
    id: str
    fields: dict[str, Any]
    hlc: dict[str, str]
    deleted: bool
    seq: int


class RelayedOp(Op, total=False):
    """An op as its origin device pushed it to a hub, relayed upstream with its origin."""

    origin: str


class RelayRejection(TypedDict):
    origin: str | None
    op_id: str | None
    code: str
    message: str


class RelayedAck(TypedDict):
    origin: str
    op_id: str


class RelayResponse(TypedDict):
    acked: list[RelayedAck]
    rejected: list[RelayRejection]
    server_time: int


class HubDevice(TypedDict):
    """A device of the team as ``GET /v1/hub/devices`` lists it (``revoked_ms`` null while
    active); ``POST /v1/hub/devices`` registers ones without ``revoked_ms``."""

    device_id: str
    name: str
    role: str
    token_hash: str
    paired_ms: int
    revoked_ms: int | None


class PullResponse(TypedDict):
    changes: list[Change]
    cursor: int
    more: bool
    server_time: int


class ErrorBody(TypedDict):
    error: str
    message: str
