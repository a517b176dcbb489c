"""The device's database: TinyDB documents in memory, made durable by a journal.

Every committed transaction is one checksummed journal line, fsynced before ``commit``
returns; a commit that raises left nothing on disk. The journal is folded into a
TinyDB-format snapshot when it outgrows the snapshot, keeping the previous generation,
so opening costs one JSON parse plus a short replay, and a ``kill -9`` at any instant
leaves either the old or the new state of every transaction, never half of one. The
files and their formats: :mod:`.generations`, :mod:`.journal`, :mod:`.snapshot`.
"""

from __future__ import annotations

import gc
import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb.queries import QueryLike

from app.hlc import HybridClock, Stamp
from sync.merge import RecordState, merge

from . import indexes as idx
from .errors import StoreLocked, StoreUnavailable, unwritable
from .generations import JOURNAL, SNAPSHOT, rotate
from .journal import Journal
from .lock import DirectoryLock
from .records import STAMPS, to_state, visible
from .recovery import recover
from .shapes import META, STATE, TOMBSTONES
from .snapshot import Tables
from .tinydb_tables import LiveStorage, StoreDB, StoreTable
from .transaction import Transaction

log = logging.getLogger(__name__)

MIN_COMPACT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class StoreChange:
    """What a committed transaction changed: record ids per collection."""

    collections: Mapping[str, frozenset[str]]
    remote: bool


class Store:
    """Open with :meth:`open`; read with ``get``/``search``/``lookup``; write in
    :meth:`transaction`. Safe to share between the UI thread and the sync task."""

    def __init__(
        self,
        directory: Path,
        tables: Tables,
        journal: Journal,
        last_tx: int,
        indexes: list[idx.Index],
        recovery_notes: list[str],
        compact_bytes: int,
        lock: DirectoryLock,
    ) -> None:
        self.directory = directory
        self.recovery_notes = recovery_notes
        self._tables = tables
        self._journal = journal
        self._tx = last_tx
        self._lock = threading.RLock()
        self._listeners: list[Callable[[StoreChange], None]] = []
        self._compact_bytes = compact_bytes
        self._lock_file = lock
        self._snapshot_bytes = _size(directory / SNAPSHOT)
        self._compact_at = max(compact_bytes, self._snapshot_bytes)
        self.unreadable_transactions: list[int] = []
        self.db = StoreDB(tables, storage=LiveStorage)
        self._indexes: dict[str, list[idx.Index]] = {}
        self._named: dict[tuple[str, str], idx.Index] = {}
        for index in indexes:
            self._indexes.setdefault(index.collection, []).append(index)
            self._named[(index.collection, index.name)] = index
        idx.build(indexes, tables)
        clock = self.meta("clock") or {}
        self.device_id: str = self.meta("device_id") or secrets.token_hex(8)
        self.clock = HybridClock(self.device_id, clock.get("last"), clock.get("offset_ms", 0))
        if self.meta("device_id") is None:
            with self.transaction() as tx:
                tx.set_meta("device_id", self.device_id)

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        directory: Path | str,
        *,
        indexes: Iterable[idx.Index] | None = None,
        compact_bytes: int = MIN_COMPACT_BYTES,
    ) -> Store:
        """Load the snapshot, replay the journal, and recover from damage.

        A torn last journal line is an unacknowledged write and is dropped. Damaged
        files are set aside (never deleted), the store opens on everything that could
        be read, and ``recovery_notes`` says what happened in sentences for the screen;
        ``unreadable_transactions`` numbers the transactions that could not be read.
        A directory the store cannot open at all raises :class:`StoreUnavailable`,
        whose message is one such sentence.
        """
        # Loading creates hundreds of thousands of long-lived dicts; letting the cyclic
        # collector rescan them all on the way doubles the time it takes to open.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._open(Path(directory), indexes, compact_bytes)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _open(
        cls, directory: Path, indexes: Iterable[idx.Index] | None, compact_bytes: int
    ) -> Store:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            lock = DirectoryLock(directory)
        except OSError as error:
            raise unwritable(directory, error) from None
        journal: Journal | None = None
        try:
            found = recover(directory)
            journal = Journal(directory / JOURNAL, found.journal_bytes)
            for note in found.notes:
                log.error(note)
            all_indexes = list(indexes) if indexes is not None else idx.default_indexes()
            store = cls(directory, found.tables, journal, found.last_tx, all_indexes,
                        found.notes, compact_bytes, lock)
            store.unreadable_transactions = found.lost
            return store
        except BaseException as error:
            if journal is not None:
                journal.close()
            lock.release()
            if isinstance(error, OSError):
                raise unwritable(directory, error) from error
            if isinstance(error, Exception) and not isinstance(error, StoreUnavailable):
                log.exception("opening %s failed", directory)
                raise StoreUnavailable(
                    f"Crewkit could not open its data in {directory} ({error})."
                ) from error
            raise

    def close(self) -> None:
        with self._lock:
            self._journal.close()
            self._lock_file.release()

    # -- reading -------------------------------------------------------------------

    def table(self, collection: str) -> StoreTable:
        """The collection as a (read-only) TinyDB table, for ``Query`` searches."""
        return self.db.table(collection)  # type: ignore[return-value]

    def get(self, collection: str, record_id: str) -> dict[str, Any] | None:
        doc = self._tables.get(collection, {}).get(record_id)
        return None if doc is None else {"id": record_id, **visible(doc)}

    def all(self, collection: str) -> list[dict[str, Any]]:
        with self._lock:
            docs = list(self._tables.get(collection, {}).items())
        return [{"id": rid, **visible(doc)} for rid, doc in docs]

    def field_values(self, collection: str, name: str) -> list[Any]:
        """Field ``name`` of every live record of ``collection`` (None where it is not
        set): a scan that copies no record, for the sync layer's photo bookkeeping."""
        with self._lock:
            return [doc.get(name) for doc in self._tables.get(collection, {}).values()]

    def search(self, collection: str, cond: QueryLike) -> list[dict[str, Any]]:
        with self._lock:
            found = self.table(collection).search(cond)
        return [{"id": doc.doc_id, **visible(doc)} for doc in found]

    def lookup(self, collection: str, index: str, key: Any) -> list[dict[str, Any]]:
        """Records whose indexed field(s) equal ``key`` (a tuple for compound indexes)."""
        with self._lock:
            ids = self._named[(collection, index)].lookup(key)
            return [r for r in (self.get(collection, i) for i in sorted(ids)) if r]

    def index(self, collection: str, name: str) -> idx.Index:
        return self._named[(collection, name)]

    def state(self, collection: str, record_id: str) -> RecordState | None:
        """The record with its stamps, live or deleted."""
        doc = self._tables.get(collection, {}).get(record_id)
        if doc is None:
            doc = self._tables.get(TOMBSTONES, {}).get(f"{collection}/{record_id}")
        return to_state(doc)

    def meta(self, key: str, default: Any = None) -> Any:
        doc = self._tables.get(META, {}).get(key)
        return default if doc is None else doc["value"]

    def private(self, table: str) -> dict[str, dict[str, Any]]:
        """A copy of one of the store's own tables (outbox, blobs): for the sync layer."""
        with self._lock:
            return {k: dict(v) for k, v in self._tables.get(table, {}).items()}

    # -- writing -------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, remote: bool = False) -> Iterator[Transaction]:
        """Group the writes of one user action: all of them become durable, or none."""
        with self._lock:
            tx = Transaction(self)
            yield tx
            change = self._commit(tx, remote)
        if change is not None:
            self._notify(change)

    def merge_remote(
        self,
        records: Iterable[tuple[str, str, RecordState]],
        meta: Mapping[str, Any] | None = None,
    ) -> int:
        """Merge states received from the server, with ``meta`` (the new cursor) in
        the same durable transaction; return how many records changed."""
        changed = 0
        with self.transaction(remote=True) as tx:
            for collection, record_id, remote in records:
                if not _well_stamped(remote):
                    continue  # a malformed stamp would outrank every real edit forever
                local = tx.state(collection, record_id)
                merged = merge(local, remote)
                if merged != local:
                    tx.write_state(collection, record_id, merged)
                    changed += 1
                if remote.hlc:
                    self.clock.observe(remote.hlc)
            for key, value in (meta or {}).items():
                tx.set_meta(key, value)
        return changed

    def _commit(self, tx: Transaction, remote: bool) -> StoreChange | None:
        if not tx.writes:
            return None
        if tx.stamped:
            tx.set_meta("clock", {"last": self.clock.last, "offset_ms": self.clock.offset_ms})
        record = {"tx": self._tx + 1, "w": [[t, i, d] for (t, i), d in tx.writes.items()]}
        self._journal.append(record)  # the commit point: durable from here on
        self._tx += 1
        for (table, record_id), doc in tx.writes.items():
            self._apply(table, record_id, doc)
        if self._journal.size > self._compact_at:
            try:
                self.compact()
            except OSError as error:  # the commit is durable; the snapshot can wait
                log.warning("could not write a snapshot (%s); the journal keeps growing", error)
                self._compact_at = self._journal.size + self._compact_bytes
        touched: dict[str, set[str]] = {}
        for table, record_id in tx.writes:
            if not table.startswith("_"):
                touched.setdefault(table, set()).add(record_id)
        return StoreChange({t: frozenset(ids) for t, ids in touched.items()}, remote)

    def _apply(self, table: str, record_id: str, doc: dict[str, Any] | None) -> None:
        rows = self._tables.setdefault(table, {})
        old = rows.get(record_id)
        for index in self._indexes.get(table, ()):
            if old is not None:
                index.remove(record_id, old)
            if doc is not None:
                index.add(record_id, doc)
        if doc is None:
            rows.pop(record_id, None)
        else:
            rows[record_id] = doc
        self.db.table(table).clear_cache()

    def compact(self) -> None:
        """Fold the journal into a new snapshot generation and start an empty journal.

        The snapshot (with the number of the last transaction it holds) and the empty
        journal are durable before anything is renamed, and the previous generation is
        kept (see :mod:`.generations`), so a crash at any point, or a later damaged
        snapshot, loses nothing.
        """
        with self._lock:
            self._tables[STATE] = {"state": {"tx": self._tx}}
            self._journal, self._snapshot_bytes = rotate(
                self.directory, self._tables, self._journal
            )
            self._compact_at = max(self._compact_bytes, self._snapshot_bytes)

    # -- change notifications ------------------------------------------------------

    def subscribe(self, listener: Callable[[StoreChange], None]) -> Callable[[], None]:
        """Call ``listener`` after every commit that changed records; returns an
        unsubscribe function. Listeners run outside the store's lock."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify(self, change: StoreChange) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a broken screen must not undo or block a commit
                log.exception("store listener failed")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


__all__ = ["STAMPS", "Store", "StoreChange", "StoreLocked", "StoreUnavailable"]


def _well_stamped(state: RecordState) -> bool:
    """Whether every field's stamp is a well-formed (ASCII) HLC stamp."""
    try:
        for stamp in state.stamps.values():
            Stamp.parse(stamp)
    except ValueError:
        return False
    return True
