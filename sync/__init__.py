"""Crewkit sync: what the app needs to pair a device, sync it and show how that is going.

The names are imported lazily (PEP 562): the store and the server import ``sync.merge``
and ``sync.wire``, which runs this file first, and neither should pay for (or, in the
store's case, import in a cycle) the httpx client behind these names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.client import (
        Backoff,
        BadHubAddress,
        Endpoint,
        HubBrowser,
        HubFinder,
        HubSeen,
        JoinLink,
        Pairing,
        PairingFailed,
        RejectedOp,
        SyncEngine,
        SyncProgress,
        SyncSettings,
        SyncState,
        SyncStatus,
        current_pairing,
        parse_join_link,
    )

__all__ = [
    "Backoff",
    "BadHubAddress",
    "Endpoint",
    "HubBrowser",
    "HubFinder",
    "HubSeen",
    "JoinLink",
    "Pairing",
    "PairingFailed",
    "RejectedOp",
    "SyncEngine",
    "SyncProgress",
    "SyncSettings",
    "SyncState",
    "SyncStatus",
    "current_pairing",
    "parse_join_link",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("sync.client"), name)
    raise AttributeError(f"module 'sync' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
