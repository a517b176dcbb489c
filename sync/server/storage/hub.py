"""What a base-camp hub keeps beside a server's tables: its upstream link, the relay
queue, the rejections upstream sent back, and which devices upstream knows.

The relay queue is filled inside the transaction of the device push that newly applied
each op (``_pushed``), so an op is either merged and queued or neither: none is lost and
none relayed that the hub did not keep.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from typing import Any

from sync.merge import DELETED, RecordState, merge
from sync.wire import HUB_ROLE

from ..limits import DEFAULT_LIMITS
from .model import HubLink, HubLinkError, PullPage, QueuedOp, TeamDevice, ValidOp
from .sql import CHUNK, SqlStorage, _dumps, _encoded, _retried, _Tx
from .tables import UPSERT_RECORDS

LINK_COLUMNS = ("SELECT l.team_id, t.name, l.upstream_url, l.token, l.hub_device_id,"
                " l.upstream_cursor, l.state, l.last_upstream_ms FROM hub_link l"
                " JOIN teams t ON t.id = l.team_id")


def _state(change: dict[str, Any]) -> RecordState:
    """A pulled change as a record state (``_deleted`` back among the fields)."""
    fields = dict(change["fields"])
    if change["deleted"]:
        fields[DELETED] = True
    return RecordState(fields, dict(change["hlc"]))


class HubStorage(SqlStorage):
    """``SqlStorage`` with the hub's tables; a server that is no hub leaves them empty."""

    def _link(self, tx: _Tx) -> HubLink | None:
        row = tx.one(LINK_COLUMNS + " ORDER BY l.team_id LIMIT 1")
        return HubLink(*row) if row else None

    @_retried
    def hub_link(self) -> HubLink | None:
        with self._connection() as conn:
            return self._link(_Tx(conn, self._sql))

    @_retried
    def start_hub_team(self, team_name: str, now_ms: int) -> HubLink:
        with self._write() as tx:
            link = self._link(tx)
            if link is not None:
                if link.team_name != team_name:
                    raise HubLinkError(f"this hub already serves team {link.team_name!r}")
                return link
            row = tx.one("SELECT id FROM teams WHERE name = ?", (team_name,))
            team_id = row[0] if row else "team-" + secrets.token_hex(8)
            if not row:
                tx.run("INSERT INTO teams VALUES (?, ?, 0, ?)", (team_id, team_name, now_ms))
            tx.run("INSERT INTO hub_link VALUES (?, NULL, NULL, NULL, 0, 'none', NULL, 0)",
                   (team_id,))
            return self._link(tx)  # type: ignore[return-value]

    @_retried
    def link_upstream(self, team_id: str, team_name: str, upstream_url: str, token: str,
                      hub_device_id: str, now_ms: int) -> HubLink:
        with self._write() as tx:
            link = self._link(tx)
            if link is not None and link.team_id != team_id:
                self._drop_own_team(tx, link, team_name)
            if not tx.one("SELECT 1 FROM teams WHERE id = ?", (team_id,)):
                if tx.one("SELECT 1 FROM teams WHERE name = ?", (team_name,)):
                    raise HubLinkError(f"this server already has another team named"
                                       f" {team_name!r}; serve the hub from its own --data")
                tx.run("INSERT INTO teams VALUES (?, ?, 0, ?)", (team_id, team_name, now_ms))
            tx.run("INSERT INTO hub_link VALUES (?, ?, ?, ?, 0, 'linked', NULL, 0)"
                   " ON CONFLICT (team_id) DO UPDATE SET upstream_url = excluded.upstream_url,"
                   " token = excluded.token, hub_device_id = excluded.hub_device_id,"
                   " state = 'linked'", (team_id, upstream_url, token, hub_device_id))
            return self._link(tx)  # type: ignore[return-value]

    def _drop_own_team(self, tx: _Tx, link: HubLink, upstream_name: str) -> None:
        """Give up the hub's own, still empty, team for the upstream one."""
        if link.upstream_url is not None:
            raise HubLinkError(f"this hub is linked to team {link.team_name!r} at"
                               f" {link.upstream_url}; serve another team from another --data")
        for table in ("records", "devices"):
            if tx.one(f"SELECT 1 FROM {table} WHERE team_id = ? LIMIT 1", (link.team_id,)):
                raise HubLinkError(
                    f"this hub's own team {link.team_name!r} already has {table}; a hub"
                    f" with a team of its own joins only an upstream team with its id,"
                    f" not {upstream_name!r}")
        for table in ("hub_link", "invites", "blobs"):
            tx.run(f"DELETE FROM {table} WHERE team_id = ?", (link.team_id,))
        tx.run("DELETE FROM teams WHERE id = ?", (link.team_id,))

    @_retried
    def set_hub_state(self, team_id: str, state: str,
                      last_upstream_ms: int | None = None) -> None:
        with self._write() as tx:
            tx.run("UPDATE hub_link SET state = ?,"
                   " last_upstream_ms = COALESCE(?, last_upstream_ms) WHERE team_id = ?",
                   (state, last_upstream_ms, team_id))

    # The relay queue, filled by pushes.

    def _pushed(self, tx: _Tx, team_id: str, applied: list[tuple[str, ValidOp]]) -> None:
        if not applied:
            return
        row = tx.one("SELECT queued FROM hub_link WHERE team_id = ?"
                     " AND upstream_url IS NOT NULL", (team_id,))
        if row is None:
            return
        first = row[0]
        tx.insert_rows(
            "INSERT INTO relay_queue (team_id, n, origin, op_id, op) VALUES {rows}",
            [(team_id, first + i, origin, op.op_id, _dumps(_as_pushed(op)))
             for i, (origin, op) in enumerate(applied, start=1)])
        tx.run("UPDATE hub_link SET queued = ? WHERE team_id = ?",
               (first + len(applied), team_id))

    @_retried
    def relay_waiting(self, team_id: str) -> int:
        return int(self._read("SELECT COUNT(*) FROM relay_queue WHERE team_id = ?",
                              (team_id,))[0][0])

    @_retried
    def queued_ops(self, team_id: str, limit: int) -> list[QueuedOp]:
        rows = self._read("SELECT n, origin, op FROM relay_queue WHERE team_id = ?"
                          " ORDER BY n LIMIT ?", (team_id, limit))
        return [QueuedOp(n, origin, json.loads(op)) for n, origin, op in rows]

    @_retried
    def settle_relayed(self, team_id: str, sent: Sequence[QueuedOp],
                       acked: set[tuple[str, str]],
                       rejected: dict[tuple[str, str], tuple[str, str]]) -> int:
        answered = acked | rejected.keys()
        by_n = {queued.n: queued for queued in sent
                if (queued.origin, queued.op["op_id"]) in answered}
        stored = 0
        with self._write() as tx:
            # Rows gone already were settled by an earlier answer to the same ops.
            settling, deleted = sorted(by_n), []
            for start in range(0, len(settling), CHUNK):
                chunk = settling[start : start + CHUNK]
                deleted += [row[0] for row in tx.all(
                    "DELETE FROM relay_queue WHERE team_id = ? AND n IN"
                    f" ({','.join('?' * len(chunk))}) RETURNING n", (team_id, *chunk))]
            for n in sorted(deleted):
                queued = by_n[n]
                refusal = rejected.get((queued.origin, queued.op["op_id"]))
                if refusal is None:
                    continue
                seq = tx.one("UPDATE teams SET seq = seq + 1 WHERE id = ? RETURNING seq",
                             (team_id,))[0]
                tx.run("INSERT INTO hub_rejections VALUES (?, ?, ?, ?, ?, ?)",
                       (team_id, seq, queued.origin, _dumps(queued.op), *refusal))
                # Not applied as far as the team goes: the origin's retry is judged anew.
                tx.run("DELETE FROM applied_ops WHERE device_id = ? AND op_id = ?",
                       (queued.origin, queued.op["op_id"]))
                stored += 1
        return stored

    # Devices: learnt from upstream, and registered there.

    @_retried
    def unregistered_devices(self, team_id: str) -> list[TeamDevice]:
        rows = self._read(
            "SELECT d.id, d.name, d.role, d.token_hash, d.paired_ms FROM devices d"
            " LEFT JOIN upstream_devices u ON u.device_id = d.id"
            " AND u.token_hash = d.token_hash WHERE d.team_id = ? AND d.role != ?"
            " AND d.revoked_ms IS NULL AND u.device_id IS NULL ORDER BY d.paired_ms, d.id",
            (team_id, HUB_ROLE))
        return [TeamDevice(*row) for row in rows]

    @_retried
    def mark_registered(self, devices: Sequence[TeamDevice]) -> None:
        with self._write() as tx:
            self._mark(tx, devices)

    def _mark(self, tx: _Tx, devices: Sequence[TeamDevice]) -> None:
        for device in devices:
            tx.run("INSERT INTO upstream_devices VALUES (?, ?) ON CONFLICT (device_id)"
                   " DO UPDATE SET token_hash = excluded.token_hash",
                   (device.device_id, device.token_hash))

    @_retried
    def adopt_devices(self, team_id: str, devices: Sequence[TeamDevice]) -> None:
        with self._write() as tx:
            adopted = []
            for device in devices:
                known = tx.one("SELECT team_id, token_hash FROM devices WHERE id = ?",
                               (device.device_id,))
                if known is None:
                    # Another local device holding the same token hash keeps it.
                    if tx.run("INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT DO NOTHING",
                              (device.device_id, team_id, device.role, device.name,
                               device.token_hash, device.paired_ms, device.revoked_ms)):
                        adopted.append(device)
                    continue
                if known[0] != team_id:
                    continue  # a device of another team served here: not this team's
                if known[1] == device.token_hash:
                    # A revocation made at the hub stands; upstream's adds to it.
                    tx.run("UPDATE devices SET name = ?, role = ?, paired_ms = ?,"
                           " revoked_ms = COALESCE(?, revoked_ms) WHERE id = ?",
                           (device.name, device.role, device.paired_ms, device.revoked_ms,
                            device.device_id))
                elif not tx.one("SELECT 1 FROM devices WHERE token_hash = ?",
                                (device.token_hash,)):
                    # Paired again upstream: its new token, role and state are upstream's.
                    tx.run("UPDATE devices SET name = ?, role = ?, token_hash = ?,"
                           " paired_ms = ?, revoked_ms = ? WHERE id = ?",
                           (device.name, device.role, device.token_hash, device.paired_ms,
                            device.revoked_ms, device.device_id))
                else:
                    continue
                adopted.append(device)
            self._mark(tx, adopted)

    # Records pulled upstream, and pulls that carry rejections back.

    @_retried
    def merge_upstream(self, team_id: str, changes: Sequence[dict[str, Any]],
                       cursor: int) -> list[tuple[str, dict[str, Any]]]:
        with self._write() as tx:
            seq = tx.one("UPDATE teams SET seq = seq WHERE id = ? RETURNING seq",
                         (team_id,))[0]
            pulled: dict[tuple[str, str], RecordState] = {}
            for change in changes:  # a page names each record once; merge if not
                key = (change["coll"], change["id"])
                pulled[key] = merge(pulled.get(key), _state(change))
            states = self._load(tx, team_id, set(pulled))
            rows, changed = [], []
            for (coll, record_id), remote in pulled.items():
                local = states.get((coll, record_id))
                merged = merge(local, remote)
                if local is not None and merged == local:
                    continue
                seq += 1
                rows.append((team_id, coll, record_id, *_encoded(merged), merged.deleted,
                             seq))
                changed.append((coll, merged.fields))
            tx.insert_rows(UPSERT_RECORDS, rows)
            tx.run("UPDATE teams SET seq = ? WHERE id = ?", (seq, team_id))
            tx.run("UPDATE hub_link SET upstream_cursor = ? WHERE team_id = ?"
                   " AND upstream_cursor < ?", (cursor, team_id, cursor))
        return changed

    @_retried
    def hub_page(self, team_id: str, device_id: str, cursor: int, limit: int,
                 max_bytes: int = DEFAULT_LIMITS.max_page_bytes) -> PullPage:
        # Rejections are read first: a team's seq numbers commit in order, so every
        # record change numbered below the last rejection read is there for the pull.
        found = self._read("SELECT seq, op, code, message FROM hub_rejections"
                           " WHERE team_id = ? AND origin = ? AND seq > ? ORDER BY seq",
                           (team_id, device_id, cursor))
        page = self.pull(team_id, cursor, limit, max_bytes)
        if not found:
            return page
        if page.more:  # the rest come with the pages that reach their numbers
            found = [row for row in found if row[0] <= page.cursor]
        rejected = [f'{{"op":{op},"code":{_dumps(code)},"message":{_dumps(message)}}}'
                    for _, op, code, message in found]
        last = max([page.cursor, *(row[0] for row in found)])
        return PullPage(page.changes, last, page.more, rejected)


def _as_pushed(op: ValidOp) -> dict[str, Any]:
    return {"op_id": op.op_id, "coll": op.coll, "id": op.id, "hlc": op.hlc,
            "set": op.values, "delete": op.delete}
