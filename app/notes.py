"""The notes and incident log: what happened on set, how bad, and whether it is dealt with.

A note is a title, an optional body, a severity (:data:`NOTE_SEVERITIES`, ``info`` to
``critical``), a status (open or resolved) and ``at``, when it happened: set when the
note is written and editable, since an incident is often logged hours later. Writes go
through ``app.models`` so the rules are the ones every record obeys. The log and the
daily report read ``at`` in the production's zone (:func:`app.reports.facts.notes`), so
they always agree on which day a note belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.clock import stamp
from app.models import NOTE_SEVERITIES, insert_record, update_record
from app.reports.facts import notes, production_facts
from app.store import Store

OPEN, RESOLVED = "open", "resolved"


def add_note(
    store: Store,
    production_id: str,
    *,
    title: str,
    at: datetime,
    body: str = "",
    severity: str = "info",
) -> str:
    """Log a note (open) that happened ``at``; its id. ``ValidationError`` names the
    field at fault."""
    fields = {
        "production_id": production_id,
        "title": title,
        "body": body,
        "severity": severity,
        "at": stamp(at),
    }
    with store.transaction() as tx:
        return insert_record(tx, "notes", fields)


def edit_note(store: Store, note_id: str, *, at: datetime | None = None, **changes: str) -> None:
    """Change what a note says (title, body, severity) and when it happened; its status
    stays."""
    fields: dict[str, str] = {**changes, **({"at": stamp(at)} if at else {})}
    with store.transaction() as tx:
        update_record(tx, "notes", note_id, fields)


def resolve(store: Store, note_id: str) -> None:
    """Mark the note dealt with; it stays in the log, below the open ones."""
    _set_status(store, note_id, RESOLVED)


def reopen(store: Store, note_id: str) -> None:
    _set_status(store, note_id, OPEN)


def _set_status(store: Store, note_id: str, status: str) -> None:
    with store.transaction() as tx:
        update_record(tx, "notes", note_id, {"status": status})


def list_notes(store: Store, production_id: str) -> list[dict[str, Any]]:
    """The production's notes, each with ``written_on`` (its local day) and
    ``written_at``, in the order that needs attention first: open before resolved,
    worst first, latest first."""
    rank = {s: i for i, s in enumerate(reversed(NOTE_SEVERITIES))}  # critical = 0
    found = notes(store, production_facts(store, production_id))
    newest_first = sorted(found, key=lambda n: (n["written_at"], n["id"]), reverse=True)
    return sorted(newest_first, key=lambda n: (n["status"] != OPEN, rank.get(n["severity"], 9)))
