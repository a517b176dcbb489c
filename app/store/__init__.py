"""The local store: TinyDB documents kept in memory, durable through a journal."""

from .indexes import FieldIndex, HolderIndex, Index, default_indexes
from .store import Store, StoreChange, StoreLocked, StoreUnavailable
from .transaction import BLOBS, OUTBOX, RecordNotFound, Transaction

__all__ = [
    "BLOBS",
    "OUTBOX",
    "FieldIndex",
    "HolderIndex",
    "Index",
    "RecordNotFound",
    "Store",
    "StoreChange",
    "StoreLocked",
    "StoreUnavailable",
    "Transaction",
    "default_indexes",
]
