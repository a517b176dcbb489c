"""What the server keeps, and the one interface every storage backend implements.

The HTTP layer validates and authorises; storage only persists. Keeping the interface
this narrow is what lets SQLite and PostgreSQL run the same test suite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: An invite not used within this time expires (``crewkit-server invite --expires``).
INVITE_TTL_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class Device:
    """A paired device: what a valid bearer token resolves to."""

    device_id: str
    team_id: str
    role: str


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    name: str
    team_id: str
    team_name: str
    role: str
    paired_ms: int
    revoked_ms: int | None


@dataclass(frozen=True)
class TeamDevice:
    """A device of one team as a hub learns it upstream, or registers it there."""

    device_id: str
    name: str
    role: str
    token_hash: str
    paired_ms: int
    revoked_ms: int | None = None


@dataclass(frozen=True)
class ValidOp:
    """An op that passed validation and authorisation, ready to merge."""

    op_id: str
    coll: str
    id: str
    hlc: str
    values: dict[str, Any]
    delete: bool


@dataclass(frozen=True)
class PullPage:
    """Changes as ready-made JSON objects (text), so a pull never re-encodes records."""

    changes: list[str]
    cursor: int
    more: bool
    #: On a hub: the pulling device's ops the upstream server refused, as JSON objects
    #: ``{"op", "code", "message"}`` (see ``HubStorage.hub_page``).
    rejected: list[str] = field(default_factory=list)


#: Upstream states of a hub: no upstream at all, exchanging with it, not reachable right
#: now, or its token revoked there (the hub then stops relaying and serves locally).
HUB_STATES = ("none", "linked", "unreachable", "revoked")


@dataclass(frozen=True)
class HubLink:
    """A hub's link to its upstream server (``upstream_url`` None: a team of its own)."""

    team_id: str
    team_name: str
    upstream_url: str | None
    token: str | None = field(repr=False)
    hub_device_id: str | None
    cursor: int
    state: str
    last_upstream_ms: int | None


@dataclass(frozen=True)
class QueuedOp:
    """An op a hub's device pushed, waiting in the relay queue (``n`` its place)."""

    n: int
    origin: str
    op: dict[str, Any]


class HubLinkError(Exception):
    """The hub cannot take this link (another team, or records of its own)."""


class DatabaseUnavailable(Exception):
    """The database did not answer, even after reconnecting: try again shortly."""


class PairingError(Exception):
    """Pairing refused; ``code`` is the protocol error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Storage(Protocol):
    def create_invite(self, team_name: str, role: str, code_hash: str, now_ms: int,
                      expires_ms: int | None = None) -> str:
        """Store a single-use invite into the team (created if new); return the team id.

        It expires at ``expires_ms`` (default ``now_ms + INVITE_TTL_MS``)."""
        ...

    def pair(
        self, code_hash: str, device_id: str, name: str, token_hash: str, now_ms: int,
        hub: bool = False,
    ) -> Device:
        """Use up an invite and register the device; raise PairingError if refused
        (``invalid_invite``: unknown or used; ``invite_expired``: past its expiry).

        The device gets the invite's role; a ``hub`` invite, or a coordinator invite with
        ``hub``, pairs a hub (``hub`` with a crew invite: ``not_a_hub_invite``).

        A revoked device may pair again under its id with an invite of its own team: it
        gets the invite's role, the new token and name, and is no longer revoked. An
        active one is refused (``device_exists``), and so is a revoked one with another
        team's invite (``device_in_other_team``); the invite then stays unused.
        """
        ...

    def release(self, device_id: str) -> bool:
        """Forget a revoked device, so that an invite of any team may pair its id; False
        if there is no such revoked device."""
        ...

    def team_name(self, team_id: str) -> str:
        """The name of an existing team."""
        ...

    def device_for_token(self, token_hash: str) -> Device | None:
        """The unrevoked device holding this token, if any."""
        ...

    def devices(self) -> list[DeviceInfo]: ...

    def revoke(self, device_id: str, now_ms: int) -> bool:
        """Revoke a device's token; False if there is no such unrevoked device."""
        ...

    def push(self, device: Device, ops: Sequence[ValidOp], now_ms: int,
             max_record_bytes: int = ...) -> dict[str, int]:
        """Merge ops into the team's records in one transaction, skipping replayed ops.

        An op that would make its record bigger than ``max_record_bytes`` (fields and
        stamps as UTF-8 JSON) is not applied; the answer maps each such op id to the size
        it would have made. Every other op is merged when this returns.
        """
        ...

    def relay(self, team_id: str, ops: Sequence[tuple[str, ValidOp]], now_ms: int,
              max_record_bytes: int = ...) -> dict[tuple[str, str], int]:
        """``push`` for ops of several devices of one team, each op with its origin device
        id: one transaction, replays skipped by (origin, op id) exactly as a push of the
        origin's own skips them. Maps (origin, op id) of each op too large to its size."""
        ...

    def team_devices(self, team_id: str,
                     device_ids: Sequence[str] | None = None) -> list[TeamDevice]:
        """The team's devices (revoked ones included), in pairing order; only those of
        ``device_ids`` if given."""
        ...

    def register_devices(self, team_id: str,
                         devices: Sequence[TeamDevice]) -> list[str | None]:
        """Register devices that paired at a hub of the team, in one transaction: a new id
        joins the team, the same id with the same token hash changes nothing (a revoked
        one stays revoked). The answer has one entry per device, in order: None if it is
        registered now, else why not (its id known with another token or in another
        team, or its token held by another device)."""
        ...

    def prune_applied_ops(self, before_ms: int) -> int:
        """Forget op ids applied before ``before_ms``; how many were forgotten. A replay
        of such an op is merged again, which changes nothing (see PROTOCOL.md)."""
        ...

    def pull(self, team_id: str, cursor: int, limit: int, max_bytes: int = ...) -> PullPage:
        """Changes after ``cursor`` in seq order: at most ``limit``, and no more once they
        hold ``max_bytes`` bytes of fields and stamps (always at least one)."""
        ...

    def add_blob(self, team_id: str, sha256: str, size: int) -> None: ...

    # A base-camp hub (``storage.hub.HubStorage``).

    def hub_link(self) -> HubLink | None:
        """This server's link upstream, if it is a hub."""
        ...

    def start_hub_team(self, team_name: str, now_ms: int) -> HubLink:
        """Make this server a hub with a team of its own and no upstream."""
        ...

    def link_upstream(self, team_id: str, team_name: str, upstream_url: str, token: str,
                      hub_device_id: str, now_ms: int) -> HubLink:
        """Store the link to an upstream server the hub paired with (HubLinkError if
        it holds another team that has records or devices)."""
        ...

    def set_hub_state(self, team_id: str, state: str,
                      last_upstream_ms: int | None = None) -> None: ...

    def relay_waiting(self, team_id: str) -> int:
        """How many ops wait in the relay queue."""
        ...

    def queued_ops(self, team_id: str, limit: int) -> list[QueuedOp]:
        """The first ``limit`` ops of the relay queue, in the order they were applied."""
        ...

    def settle_relayed(self, team_id: str, sent: Sequence[QueuedOp],
                       acked: set[tuple[str, str]],
                       rejected: dict[tuple[str, str], tuple[str, str]]) -> int:
        """Drop sent ops upstream acked or rejected, storing each rejection (code,
        message) for its origin under a new team seq; how many rejections were new."""
        ...

    def unregistered_devices(self, team_id: str) -> list[TeamDevice]:
        """The team's active devices the upstream server does not know (with this token)."""
        ...

    def mark_registered(self, devices: Sequence[TeamDevice]) -> None:
        """Record that upstream knows these devices with these token hashes."""
        ...

    def adopt_devices(self, team_id: str, devices: Sequence[TeamDevice]) -> None:
        """Copy the team's devices as upstream lists them (revocations included)."""
        ...

    def merge_upstream(self, team_id: str, changes: Sequence[dict[str, Any]],
                       cursor: int) -> list[tuple[str, dict[str, Any]]]:
        """Merge record states pulled upstream into the team's records, giving each
        changed record a new seq, and store ``cursor``; each changed record's collection
        and fields."""
        ...

    def hub_page(self, team_id: str, device_id: str, cursor: int, limit: int,
                 max_bytes: int = ...) -> PullPage:
        """``pull``, plus the device's upstream rejections numbered after ``cursor``."""
        ...

    def blob_size(self, team_id: str, sha256: str) -> int | None:
        """The size of a blob this team uploaded, or None if it never did."""
        ...

    def ping(self) -> bool:
        """Whether the database answers right now."""
        ...

    def close(self) -> None: ...
