"""What the sync status chip shows, as one immutable value, and who gets told when it changes.

Every field the UI needs is in :class:`SyncStatus`, so a view renders one value and never
asks the engine follow-up questions that could race with the next round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ._endpoints import Endpoint, HubSeen

log = logging.getLogger(__name__)


class SyncState(StrEnum):
    UNPAIRED = "unpaired"  # never paired: offer to scan a join code
    PAIR_AGAIN = "pair_again"  # the server refused the token: sync stopped until re-paired
    OFFLINE = "offline"  # the server did not answer; retrying with backoff
    SYNCING = "syncing"
    SYNCED = "synced"
    ERROR = "error"  # the server answered but the round failed; retrying with backoff


@dataclass(frozen=True)
class SyncProgress:
    """Where a running round is: ``phase`` is "blobs", "push" or "pull"; ``total`` is
    None where it is not known in advance (a pull)."""

    phase: str
    done: int
    total: int | None = None


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    pending: int = 0
    rejected: int = 0
    synced_at_ms: int | None = None
    progress: SyncProgress | None = None
    last_error: str | None = None
    #: Where the last finished round synced (a hub or the server); None before any.
    endpoint: Endpoint | None = None
    #: Every endpoint the device has synced with, with when it last did.
    endpoints: tuple[Endpoint, ...] = ()
    #: The hubs known (found on the network or typed), as last checked.
    hubs: tuple[HubSeen, ...] = ()
    #: Whether this device looks for hubs on the network: "on", "off" (no finder given)
    #: or "unavailable" (mDNS cannot run here).
    hub_search: str = "off"


class StatusBoard:
    """Holds the current status and tells subscribers about every change."""

    def __init__(self, initial: SyncStatus) -> None:
        self.current = initial
        self._listeners: list[Callable[[SyncStatus], None]] = []

    def update(self, **changes: Any) -> SyncStatus:
        status = replace(self.current, **changes)
        if status != self.current:
            self.current = status
            for listener in list(self._listeners):
                try:
                    listener(status)
                except Exception:  # a broken chip must not stop sync
                    log.exception("sync status listener failed")
        return status

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call ``listener`` with each new status; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)
