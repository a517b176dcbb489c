"""TinyDB over the store's in-memory tables.

TinyDB's storages read and write the whole database, and ``Table._update_table`` copies
a table on every write: fine for a few hundred documents, 176 ms per insert at 200k.
Here TinyDB reads the store's live dictionaries through :class:`LiveStorage` (no copy,
no parsing), so ``Query`` searches run over memory. Writes never go through TinyDB:
they go through :class:`app.store.Transaction`, which journals them first; the table
refuses TinyDB's own write methods so nothing can bypass the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .snapshot import Tables

READ_ONLY = "write through Store.transaction(), which journals every change"


class LiveStorage(Storage):
    """A storage whose ``read`` hands TinyDB the store's own tables, uncopied."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def read(self) -> Tables:
        return self.tables

    def write(self, data: Tables) -> None:
        raise TypeError(READ_ONLY)


class StoreTable(Table):
    """A TinyDB table keyed by record id (a string), read-only from TinyDB's side."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:  # every TinyDB insert starts here
        raise TypeError(READ_ONLY)

    def _update_table(self, updater: Callable[[dict[Any, Mapping]], None]) -> None:
        raise TypeError(READ_ONLY)


class StoreDB(TinyDB):
    table_class = StoreTable
    default_storage_class = LiveStorage
