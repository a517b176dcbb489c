"""The storage logic both databases share: tables, pairing, the merge-on-push transaction.

Subclasses supply connections and transactions; SQL is written once, with ``?``
placeholders. Every write goes through ``_write``, which is one transaction: the
sequence of a team is a counter row updated inside the push transaction, so pushes to a
team are serialised and commit in ``seq`` order, and a reader that sees ``seq`` N has
already seen every smaller one. A pull (``WHERE seq > cursor``) can therefore never skip
a change, however pushes and pages interleave.
"""

from __future__ import annotations

import functools
import json
import queue
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any, TypeVar

from sync.merge import DELETED, RecordState, apply_op
from sync.schema import MAX_RECORD_BYTES
from sync.wire import HUB_ROLE

from ..limits import DEFAULT_LIMITS
from .model import (
    INVITE_TTL_MS,
    DatabaseUnavailable,
    Device,
    DeviceInfo,
    PairingError,
    PullPage,
    TeamDevice,
    ValidOp,
)
from .tables import ADDED_COLUMNS, INDEXES, INSERT_APPLIED_OPS, TABLES, UPSERT_RECORDS

T = TypeVar("T")
CHUNK = 500  # ids per IN (...) list, rows per INSERT: under every parameter limit

Key = tuple[str, str]  # (coll, record id)
OpKey = tuple[str, str]  # (origin device id, op id)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _Lost(Exception):
    """The connection died, or none could be opened; the operation may be retried."""


def _retried(method: Callable[..., T]) -> Callable[..., T]:
    """Run a storage operation (one transaction, or one read) again, once, on a new
    connection when its connection was lost: a PostgreSQL restart then costs a client
    nothing. Retrying is safe: a push whose commit did happen is acked again from its
    applied op ids, and every other write either did not happen or is refused cleanly."""

    @functools.wraps(method)
    def run(self: SqlStorage, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except _Lost:
            self._await_database()
        try:
            return method(self, *args, **kwargs)
        except _Lost as lost:
            raise DatabaseUnavailable() from lost

    return run


class SqlStorage(ABC):
    """Storage over a DB-API connection; see ``model.Storage`` for the contract."""

    migration_lock: str | None = None

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._opened: list[Any] = []

    @abstractmethod
    def _connect(self) -> Any:
        """A new autocommit connection."""

    @abstractmethod
    def _transaction(self, conn: Any) -> AbstractContextManager[None]:
        """A context that commits on success and rolls back on error."""

    def _sql(self, text: str) -> str:
        return text

    def _octets(self, column: str) -> str:
        """SQL for the size in bytes of a text column's UTF-8."""
        return f"length(CAST({column} AS BLOB))"

    def _lost(self, conn: Any) -> bool:
        """Whether ``conn`` died under its last statement (database restarted, network)."""
        return False

    #: Errors of ``_connect`` that mean the database is not reachable right now.
    connect_errors: tuple[type[Exception], ...] = ()
    #: How long a request that lost its connection waits for the database to come back.
    reconnect_wait_s = 5.0

    def _open(self) -> Any:
        try:
            conn = self._connect()
        except self.connect_errors as error:
            raise _Lost from error
        self._opened.append(conn)
        return conn

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        """Borrow a connection: one per concurrent request, reused afterwards. One that
        died is dropped, and so is every idle one (after a restart they all are dead)."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._open()
        try:
            yield conn
        except Exception as error:
            if not self._lost(conn):
                self._idle.put(conn)
                raise
            self._forget(conn)
            while True:
                try:
                    self._forget(self._idle.get_nowait())
                except queue.Empty:
                    break
            raise _Lost from error
        self._idle.put(conn)

    def _forget(self, conn: Any) -> None:
        with suppress(ValueError):
            self._opened.remove(conn)
        with suppress(Exception):  # closing a dead connection may fail too
            conn.close()

    def _await_database(self) -> None:
        """Wait until a new connection opens (kept for the retry), or give up."""
        deadline = time.monotonic() + self.reconnect_wait_s
        while True:
            try:
                self._idle.put(self._open())
                return
            except _Lost as lost:
                if time.monotonic() >= deadline:
                    raise DatabaseUnavailable() from lost
                time.sleep(0.25)

    def ping(self) -> bool:
        """Whether the database answers now (one reconnect allowed, no waiting)."""
        for _ in range(2):
            try:
                self._read("SELECT 1")
                return True
            except _Lost:
                continue
        return False

    @contextmanager
    def _write(self) -> Iterator[_Tx]:
        """The one write path: a transaction, committed before the caller answers anyone."""
        with self._connection() as conn, self._transaction(conn):
            yield _Tx(conn, self._sql)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._connection() as conn:
            return conn.execute(self._sql(sql), params).fetchall()

    def migrate(self) -> None:
        with self._write() as tx:
            if self.migration_lock:
                tx.run(self.migration_lock)
            for statement in TABLES:
                tx.run(statement)
            for table, column, definition, fill in ADDED_COLUMNS:
                if column not in tx.columns(table):
                    tx.run(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                    if fill:
                        tx.run(fill.format(invite_ttl_ms=INVITE_TTL_MS))
            for statement in INDEXES:
                tx.run(statement)

    def close(self) -> None:
        for conn in self._opened:
            conn.close()
        self._opened.clear()

    # Teams, invites and devices.

    @_retried
    def create_invite(self, team_name: str, role: str, code_hash: str, now_ms: int,
                      expires_ms: int | None = None) -> str:
        expires = now_ms + INVITE_TTL_MS if expires_ms is None else expires_ms
        with self._write() as tx:
            row = tx.one("SELECT id FROM teams WHERE name = ?", (team_name,))
            team_id = row[0] if row else "team-" + secrets.token_hex(8)
            if not row:
                tx.run("INSERT INTO teams VALUES (?, ?, 0, ?)", (team_id, team_name, now_ms))
            tx.run("INSERT INTO invites (code_hash, team_id, role, created_ms, expires_ms)"
                   " VALUES (?, ?, ?, ?, ?)", (code_hash, team_id, role, now_ms, expires))
        return team_id

    @_retried
    def pair(
        self, code_hash: str, device_id: str, name: str, token_hash: str, now_ms: int,
        hub: bool = False,
    ) -> Device:
        with self._write() as tx:
            # Taking the invite first, in one statement, means two devices racing for
            # the same code cannot both win; a refusal below rolls it back unused.
            invite = tx.one("UPDATE invites SET used_by = ? WHERE code_hash = ?"
                            " AND used_by IS NULL AND expires_ms > ? RETURNING team_id, role",
                            (device_id, code_hash, now_ms))
            if invite is None:
                if tx.one("SELECT 1 FROM invites WHERE code_hash = ? AND used_by IS NULL",
                          (code_hash,)):
                    raise PairingError("invite_expired", "this invite has expired; ask for"
                                       " a new invite (crewkit-server invite)")
                raise PairingError("invalid_invite", "the invite code is unknown or used")
            team_id, role = invite[0], _paired_role(invite[1], hub)
            # A revoked device pairs again under its own id (the node id of its stamps):
            # new token, role and name; the old token stays dead with its hash. Only an
            # invite of its own team may do so: device ids are no secret (every stamp
            # carries one), so another team's invite must not take a device over.
            if tx.run("UPDATE devices SET role = ?, name = ?, token_hash = ?, paired_ms = ?,"
                      " revoked_ms = NULL WHERE id = ? AND team_id = ?"
                      " AND revoked_ms IS NOT NULL",
                      (role, name, token_hash, now_ms, device_id, team_id)):
                return Device(device_id, team_id, role)
            if tx.run("INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, NULL)"
                      " ON CONFLICT (id) DO NOTHING",
                      (device_id, team_id, role, name, token_hash, now_ms)):
                return Device(device_id, team_id, role)
            revoked = tx.one("SELECT revoked_ms FROM devices WHERE id = ?", (device_id,))[0]
            if revoked is None:
                raise PairingError("device_exists", "this device_id is paired and active;"
                                   " revoke it (crewkit-server revoke) before pairing it again")
            raise PairingError("device_in_other_team", "this device_id belongs to another"
                               " team; pair it with an invite of that team, or have the"
                               " server's operator release it (crewkit-server release)")

    @_retried
    def release(self, device_id: str) -> bool:
        with self._write() as tx:
            return tx.run("DELETE FROM devices WHERE id = ? AND revoked_ms IS NOT NULL",
                          (device_id,)) == 1


    @_retried
    def team_name(self, team_id: str) -> str:
        return str(self._read("SELECT name FROM teams WHERE id = ?", (team_id,))[0][0])

    @_retried
    def device_for_token(self, token_hash: str) -> Device | None:
        rows = self._read("SELECT id, team_id, role FROM devices WHERE token_hash = ?"
                          " AND revoked_ms IS NULL", (token_hash,))
        return Device(*rows[0]) if rows else None

    @_retried
    def devices(self) -> list[DeviceInfo]:
        rows = self._read(
            "SELECT d.id, d.name, d.team_id, t.name, d.role, d.paired_ms, d.revoked_ms"
            " FROM devices d JOIN teams t ON t.id = d.team_id ORDER BY t.name, d.paired_ms"
        )
        return [DeviceInfo(*row) for row in rows]

    @_retried
    def revoke(self, device_id: str, now_ms: int) -> bool:
        with self._write() as tx:
            return tx.run("UPDATE devices SET revoked_ms = ? WHERE id = ?"
                          " AND revoked_ms IS NULL", (now_ms, device_id)) == 1

    # The devices a hub learns from upstream and registers there.

    @_retried
    def team_devices(self, team_id: str,
                     device_ids: Sequence[str] | None = None) -> list[TeamDevice]:
        columns = ("SELECT id, name, role, token_hash, paired_ms, revoked_ms FROM devices"
                   " WHERE team_id = ?")
        if device_ids is None:
            rows = self._read(columns, (team_id,))
        else:
            with self._connection() as conn:
                rows = _in_chunks(_Tx(conn, self._sql), columns + " AND id IN ", (team_id,),
                                  list(dict.fromkeys(device_ids)))
        return sorted((TeamDevice(*row) for row in rows),
                      key=lambda device: (device.paired_ms, device.device_id))

    @_retried
    def register_devices(self, team_id: str,
                         devices: Sequence[TeamDevice]) -> list[str | None]:
        refusals: list[str | None] = []
        with self._write() as tx:
            for device in devices:
                # No conflict target: a taken id and a taken token hash both refuse it.
                if tx.run("INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, NULL)"
                          " ON CONFLICT DO NOTHING",
                          (device.device_id, team_id, device.role, device.name,
                           device.token_hash, device.paired_ms)):
                    refusals.append(None)
                    continue
                known = tx.one("SELECT team_id, token_hash FROM devices WHERE id = ?",
                               (device.device_id,))
                if known is None:
                    refusals.append("another device holds this token")
                elif known[0] != team_id:
                    refusals.append("this device_id belongs to another team")
                elif known[1] != device.token_hash:
                    refusals.append("this device_id is paired with another token")
                else:
                    refusals.append(None)  # registered before: nothing changes
        return refusals

    # Records.

    @_retried
    def push(self, device: Device, ops: Sequence[ValidOp], now_ms: int,
             max_record_bytes: int = MAX_RECORD_BYTES) -> dict[str, int]:
        with self._write() as tx:
            refused, applied = self._merge(
                tx, device.team_id, [(device.device_id, op) for op in ops], now_ms,
                max_record_bytes)
            self._pushed(tx, device.team_id, applied)
        return {op_id: size for (_, op_id), size in refused.items()}

    @_retried
    def relay(self, team_id: str, ops: Sequence[tuple[str, ValidOp]], now_ms: int,
              max_record_bytes: int = MAX_RECORD_BYTES) -> dict[tuple[str, str], int]:
        with self._write() as tx:
            refused, _applied = self._merge(tx, team_id, ops, now_ms, max_record_bytes)
        return refused

    @abstractmethod
    def _pushed(self, tx: _Tx, team_id: str, applied: list[tuple[str, ValidOp]]) -> None:
        """Ops a device's push newly applied, inside its transaction: a hub queues them
        for its upstream server (``hub.HubStorage``)."""

    def _merge(self, tx: _Tx, team_id: str, ops: Sequence[tuple[str, ValidOp]], now_ms: int,
               max_record_bytes: int) -> tuple[dict[OpKey, int], list[tuple[str, ValidOp]]]:
        """Merge ops, each with the id of the device that made it, into the team's records
        inside ``tx``. Answers the ops refused as too large (with the size they would have
        made) and the ops newly applied, in request order (not replays, not refused)."""
        # Locks the team's counter row first: this is what serialises a team's pushes.
        seq = tx.one("UPDATE teams SET seq = seq WHERE id = ? RETURNING seq", (team_id,))[0]
        by_origin: dict[str, list[str]] = {}
        for origin, op in ops:
            by_origin.setdefault(origin, []).append(op.op_id)
        seen = {(origin, row[0]) for origin, op_ids in by_origin.items() for row in _in_chunks(
            tx, "SELECT op_id FROM applied_ops WHERE device_id = ? AND op_id IN ",
            (origin,), op_ids)}
        by_record: dict[Key, list[tuple[str, ValidOp]]] = {}
        fresh = []
        for origin, op in ops:
            if (origin, op.op_id) not in seen:
                seen.add((origin, op.op_id))
                by_record.setdefault((op.coll, op.id), []).append((origin, op))
                fresh.append((origin, op))
        states = self._load(tx, team_id, set(by_record))
        refused: dict[OpKey, int] = {}
        rows = []
        for (coll, record_id), record_ops in by_record.items():
            merged = _merge_capped(states.get((coll, record_id)), record_ops,
                                   max_record_bytes, refused)
            if merged is not None:
                seq += 1
                rows.append((team_id, coll, record_id, *merged, seq))
        # Keys are unique within each list (``by_record`` is a dict, op keys are
        # deduplicated): one multi-row upsert may not touch a row twice.
        tx.insert_rows(UPSERT_RECORDS, rows)
        applied = [(origin, op) for origin, op in fresh
                   if (origin, op.op_id) not in refused] if refused else fresh
        tx.insert_rows(INSERT_APPLIED_OPS,
                       [(origin, op.op_id, now_ms) for origin, op in applied])
        tx.run("UPDATE teams SET seq = ? WHERE id = ?", (seq, team_id))
        return refused, applied

    @_retried
    def prune_applied_ops(self, before_ms: int) -> int:
        with self._write() as tx:
            return tx.run("DELETE FROM applied_ops WHERE applied_ms < ?", (before_ms,))

    def _load(self, tx: _Tx, team_id: str, keys: set[Key]) -> dict[Key, RecordState]:
        by_coll: dict[str, list[str]] = {}
        for coll, record_id in keys:
            by_coll.setdefault(coll, []).append(record_id)
        states: dict[Key, RecordState] = {}
        for coll, ids in by_coll.items():
            for record_id, fields, stamps, deleted in _in_chunks(
                tx, "SELECT id, fields, stamps, deleted FROM records WHERE team_id = ?"
                " AND coll = ? AND id IN ", (team_id, coll), ids
            ):
                values = json.loads(fields)
                if deleted:
                    values[DELETED] = True
                states[(coll, record_id)] = RecordState(values, json.loads(stamps))
        return states

    @_retried
    def pull(self, team_id: str, cursor: int, limit: int,
             max_bytes: int = DEFAULT_LIMITS.max_page_bytes) -> PullPage:
        size = f"{self._octets('fields')} + {self._octets('stamps')}"
        # Sizes are summed in the database, so only the page's rows (and the one after it,
        # which says whether more wait) ever reach this process, whatever their size.
        rows = self._read(
            "SELECT r.coll, r.id, r.fields, r.stamps, r.deleted, r.seq, s.total FROM ("
            " SELECT seq, size, SUM(size) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS total,"
            " ROW_NUMBER() OVER (ORDER BY seq) AS n FROM ("
            f"  SELECT seq, {size} AS size FROM records WHERE team_id = ? AND seq > ?"
            "   ORDER BY seq LIMIT ?) AS counted) AS s"
            " JOIN records r ON r.team_id = ? AND r.seq = s.seq"
            " WHERE s.total - s.size <= ? OR s.n <= 2 ORDER BY r.seq",
            (team_id, cursor, limit + 1, team_id, max_bytes))
        taken = 0
        while taken < min(limit, len(rows)) and (taken == 0 or rows[taken][6] <= max_bytes):
            taken += 1
        changes = [
            f'{{"coll":{_dumps(coll)},"id":{_dumps(record_id)},"fields":{fields},'
            f'"hlc":{stamps},"deleted":{"true" if deleted else "false"},"seq":{seq}}}'
            for coll, record_id, fields, stamps, deleted, seq, _ in rows[:taken]
        ]
        last = rows[taken - 1][5] if taken else cursor
        return PullPage(changes, last, len(rows) > taken)

    # Blobs.

    @_retried
    def add_blob(self, team_id: str, sha256: str, size: int) -> None:
        with self._write() as tx:
            tx.run("INSERT INTO blobs VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                   (team_id, sha256, size))

    @_retried
    def blob_size(self, team_id: str, sha256: str) -> int | None:
        rows = self._read("SELECT size FROM blobs WHERE team_id = ? AND sha256 = ?",
                          (team_id, sha256))
        return rows[0][0] if rows else None


def _encoded(state: RecordState) -> tuple[str, str]:
    """A record's fields and stamps as stored, and as a pull sends them."""
    return _dumps(state.visible_fields()), _dumps(state.stamps)


def _octets(encoded: tuple[str, str]) -> int:
    return sum(len(text.encode()) for text in encoded)


def _paired_role(invited: str, hub: bool) -> str:
    """The role a device pairing with an invite of role ``invited`` gets."""
    if invited == HUB_ROLE or (hub and invited == "coordinator"):
        return HUB_ROLE
    if hub:
        raise PairingError("not_a_hub_invite", f"a {invited} invite cannot pair a hub; use a"
                           " hub or coordinator invite (crewkit-server invite --role hub)")
    return invited


def _merge_capped(
    state: RecordState | None, ops: list[tuple[str, ValidOp]], cap: int,
    refused: dict[OpKey, int],
) -> tuple[str, str, bool] | None:
    """Apply a record's ops in order; the new (fields, stamps, deleted), None if unchanged.

    An op that would leave the record over ``cap`` bytes, and bigger than before, is not
    applied: its op id goes into ``refused`` with the size it would have made. Usually
    all ops fit and the record is encoded once; only a record that ends up too big is
    merged again op by op to find the ops to refuse.
    """
    merged, changed = state, False
    for _, op in ops:
        merged, diff = apply_op(merged, op.values, op.hlc, op.delete)
        changed = changed or bool(diff)
    if not changed or merged is None:
        return None
    encoded = _encoded(merged)
    if _octets(encoded) > cap:
        merged, changed = state, False
        size = _octets(_encoded(state)) if state else 0
        for origin, op in ops:
            candidate, diff = apply_op(merged, op.values, op.hlc, op.delete)
            grown = _octets(_encoded(candidate)) if diff else size
            if grown > cap and grown > size:
                refused[(origin, op.op_id)] = grown
                continue
            merged, size, changed = candidate, grown, changed or bool(diff)
        if not changed or merged is None:
            return None
        encoded = _encoded(merged)
    return (*encoded, merged.deleted)


def _in_chunks(tx: _Tx, sql: str, params: tuple[Any, ...], values: list[str]) -> list[Any]:
    """Rows of ``sql`` + ``(?, ...)`` over ``values``, queried a chunk at a time."""
    rows: list[Any] = []
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        rows += tx.all(f"{sql}({','.join('?' * len(chunk))})", (*params, *chunk))
    return rows


class _Tx:
    """Statements inside one write transaction, with placeholders translated once."""

    def __init__(self, conn: Any, sql: Any) -> None:
        self._conn = conn
        self._sql = sql

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(self._sql(sql), params).rowcount

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._conn.execute(self._sql(sql), params).fetchall()

    def columns(self, table: str) -> set[str]:
        cursor = self._conn.execute(f"SELECT * FROM {table} LIMIT 0")
        return {column[0] for column in cursor.description}

    def insert_rows(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run ``sql``, an INSERT whose VALUES list is ``{rows}``, over ``rows``: ``CHUNK``
        rows per statement, so 10,000 ops make 20 statements rather than 10,000 (each one
        parsed and planned by PostgreSQL). At 7 columns a statement has 3500 parameters,
        under PostgreSQL's 65535 and SQLite's 32766 (SQLite 3.32 and later)."""
        if not rows:
            return
        group = f"({', '.join('?' * len(rows[0]))})"
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            self.run(sql.format(rows=", ".join([group] * len(chunk))),
                     [value for row in chunk for value in row])
