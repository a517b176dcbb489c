"""The server's tables, in SQL both SQLite and PostgreSQL accept.

Records keep their merged state as JSON text (``fields`` without ``_deleted``, and the
per-field ``stamps``), exactly the text a pull sends, so pulls never re-encode them.
"""

from __future__ import annotations

TABLES = (
    "CREATE TABLE IF NOT EXISTS teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " seq BIGINT NOT NULL, created_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS invites (code_hash TEXT PRIMARY KEY, team_id TEXT NOT NULL"
    " REFERENCES teams(id), role TEXT NOT NULL, created_ms BIGINT NOT NULL, used_by TEXT,"
    " expires_ms BIGINT)",
    "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, team_id TEXT NOT NULL"
    " REFERENCES teams(id), role TEXT NOT NULL, name TEXT NOT NULL, token_hash TEXT NOT NULL"
    " UNIQUE, paired_ms BIGINT NOT NULL, revoked_ms BIGINT)",
    "CREATE TABLE IF NOT EXISTS records (team_id TEXT NOT NULL, coll TEXT NOT NULL,"
    " id TEXT NOT NULL, fields TEXT NOT NULL, stamps TEXT NOT NULL, deleted BOOLEAN NOT NULL,"
    " seq BIGINT NOT NULL, PRIMARY KEY (team_id, coll, id))",
    "CREATE UNIQUE INDEX IF NOT EXISTS records_by_seq ON records (team_id, seq)",
    "CREATE TABLE IF NOT EXISTS applied_ops (device_id TEXT NOT NULL, op_id TEXT NOT NULL,"
    " applied_ms BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (device_id, op_id))",
    "CREATE TABLE IF NOT EXISTS blobs (team_id TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " size BIGINT NOT NULL, PRIMARY KEY (team_id, sha256))",
    # A base-camp hub: its link to the upstream server (``upstream_url`` NULL for a hub
    # with a team of its own), ops its devices pushed waiting to be relayed there, in
    # order (``n`` from ``queued``), and ops upstream refused, numbered from the team's seq.
    "CREATE TABLE IF NOT EXISTS hub_link (team_id TEXT PRIMARY KEY REFERENCES teams(id),"
    " upstream_url TEXT, token TEXT, hub_device_id TEXT, upstream_cursor BIGINT NOT NULL,"
    " state TEXT NOT NULL, last_upstream_ms BIGINT, queued BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS relay_queue (team_id TEXT NOT NULL, n BIGINT NOT NULL,"
    " origin TEXT NOT NULL, op_id TEXT NOT NULL, op TEXT NOT NULL, PRIMARY KEY (team_id, n))",
    "CREATE TABLE IF NOT EXISTS hub_rejections (team_id TEXT NOT NULL, seq BIGINT NOT NULL,"
    " origin TEXT NOT NULL, op TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,"
    " PRIMARY KEY (team_id, seq))",
    # Devices (with the token hash) the upstream server knows: the hub's other devices
    # paired at the hub and are registered upstream before their ops are relayed.
    "CREATE TABLE IF NOT EXISTS upstream_devices (device_id TEXT PRIMARY KEY,"
    " token_hash TEXT NOT NULL)",
)

#: Columns added since the first release: (table, column, definition, statement filling
#: rows made before it). Databases made then get them on open.
ADDED_COLUMNS = (
    ("invites", "expires_ms", "BIGINT",
     "UPDATE invites SET expires_ms = created_ms + {invite_ttl_ms} WHERE expires_ms IS NULL"),
    ("applied_ops", "applied_ms", "BIGINT NOT NULL DEFAULT 0", None),
)
INDEXES = ("CREATE INDEX IF NOT EXISTS applied_ops_by_age ON applied_ops (applied_ms)",
           "CREATE INDEX IF NOT EXISTS hub_rejections_by_origin"
           " ON hub_rejections (team_id, origin, seq)")

# Multi-row INSERTs: ``{rows}`` becomes "(?, ...), (?, ...)", one group per row (see
# ``sql._Tx.insert_rows``). One statement per few hundred rows, not one per row: on
# PostgreSQL each statement costs a parse, a plan and (pipelined or not) server work.
UPSERT_RECORDS = (
    "INSERT INTO records (team_id, coll, id, fields, stamps, deleted, seq)"
    " VALUES {rows} ON CONFLICT (team_id, coll, id) DO UPDATE SET"
    " fields = excluded.fields, stamps = excluded.stamps, deleted = excluded.deleted,"
    " seq = excluded.seq"
)
INSERT_APPLIED_OPS = "INSERT INTO applied_ops (device_id, op_id, applied_ms) VALUES {rows}"
