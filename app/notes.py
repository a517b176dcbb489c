"""The notes and incident log: what happened on set, how bad, and whether it is dealt with.

A note is a title, an optional body, a severity (:data:`NOTE_SEVERITIES`, ``info`` to
``critical``) and a status (open or resolved). Writes go through ``app.models`` so the
rules (a title, a known severity and status) are the ones every record obeys.

Notes have no date field: the day a note was written is read from its UUIDv7 id, in the
production's zone, by :func:`app.reports.facts.notes`, so the log and the daily report
always agree on which day a note belongs to.
"""

from __future__ import annotations

from typing import Any

from app.models import NOTE_SEVERITIES, insert_record, update_record
from app.reports.facts import notes, production_facts
from app.store import Store

OPEN, RESOLVED = "open", "resolved"


def add_note(
    store: Store, production_id: str, *, title: str, body: str = "", severity: str = "info"
) -> str:
    """Log a note (open); its id. ``ValidationError`` names the field at fault."""
    fields = {"production_id": production_id, "title": title, "body": body, "severity": severity}
    with store.transaction() as tx:
        return insert_record(tx, "notes", fields)


def resolve(store: Store, note_id: str) -> None:
    """Mark the note dealt with; it stays in the log, below the open ones."""
    _set_status(store, note_id, RESOLVED)


def reopen(store: Store, note_id: str) -> None:
    _set_status(store, note_id, OPEN)


def _set_status(store: Store, note_id: str, status: str) -> None:
    with store.transaction() as tx:
        update_record(tx, "notes", note_id, {"status": status})


def list_notes(store: Store, production_id: str) -> list[dict[str, Any]]:
    """The production's notes, each with ``written_on`` (its local day), in the order
    that needs attention first: open before resolved, worst first, newest first (ids
    are UUIDv7, so they sort by creation time)."""
    rank = {s: i for i, s in enumerate(reversed(NOTE_SEVERITIES))}  # critical = 0
    found = notes(store, production_facts(store, production_id))
    newest_first = sorted(found, key=lambda n: n["id"], reverse=True)
    return sorted(newest_first, key=lambda n: (n["status"] != OPEN, rank.get(n["severity"], 9)))
