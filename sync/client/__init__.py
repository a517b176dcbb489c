"""The device side of sync: pairing, the sync engine and the status it reports."""

from sync.links import JoinLink, PairingFailed, parse_join_link

from ._browser import HubBrowser
from ._choice import HubFinder
from ._endpoints import BadHubAddress, Endpoint, HubSeen
from ._engine import Backoff, SyncEngine, SyncSettings
from ._outbox import RejectedOp
from ._pairing import Pairing, current_pairing
from ._status import SyncProgress, SyncState, SyncStatus

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
