"""Custody actions: what scanning, handing over and returning gear writes to the log.

Each function is one user action and one transaction. Acting on a case acts on the kit:
checking it out takes every item in it (all must be available), while returning or
handing it over reaches the members that are out, since a lens may have come back on
its own earlier. Every check is made before the transaction opens, so a refusal stores
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.clock import stamp
from app.custody import Custody, CustodyError, add_event, custody_of, find_conflicts, history
from app.equipment import change_item, require_item, with_contents
from app.store import Store, Transaction


def _refuse(store: Store, states: Sequence[Custody], why: str) -> None:
    if states:
        names = ", ".join(require_item(store, c.item_id)["name"] for c in states)
        raise CustodyError(f"{why}: {names}.")


def check_out_items(
    store: Store,
    item_ids: Sequence[str],
    person_id: str,
    *,
    due_at: datetime | None = None,
    at: datetime,
    note: str = "",
    production_id: str | None = None,
) -> list[str]:
    """Check items out to one person in one transaction; refused unless all are available."""
    states = [custody_of(store, item_id) for item_id in dict.fromkeys(item_ids)]
    _refuse(store, [c for c in states if not c.in_store], "Not available")
    details = {"person_id": person_id, "at": stamp(at), "note": note}
    details |= {"due_at": stamp(due_at) if due_at else None, "production_id": production_id}
    with store.transaction() as tx:
        return [add_event(tx, c.item_id, "check_out", **details) for c in states]


def check_out(store: Store, item_id: str, person_id: str, **options: Any) -> list[str]:
    """Check out an item, or a case with everything in it (see :func:`check_out_items`)."""
    return check_out_items(store, with_contents(store, item_id), person_id, **options)


def _out_members(store: Store, item_id: str) -> list[Custody]:
    """A case's action reaches its members that are out; the scanned item itself must be."""
    if custody_of(store, item_id).holder_id is None:
        raise CustodyError(f"{require_item(store, item_id)['name']} is not checked out.")
    states = [custody_of(store, member) for member in with_contents(store, item_id)]
    return [c for c in states if c.holder_id is not None]


def transfer(
    store: Store,
    item_id: str,
    to_person_id: str,
    *,
    due_at: datetime | None = None,
    at: datetime,
    note: str = "",
) -> list[str]:
    """Hand an item (a case: its members that are out) from its holder to another person."""
    members = _out_members(store, item_id)
    details = {"person_id": to_person_id, "at": stamp(at), "note": note}
    details["due_at"] = stamp(due_at) if due_at else None
    with store.transaction() as tx:
        return [add_event(tx, c.item_id, "transfer", **details) for c in members]


@dataclass(frozen=True)
class Return:
    """One item handed back: its condition and note; damage can send it for repair."""

    item_id: str
    condition: str = "good"
    note: str = ""
    photo: str | None = None
    flag_repair: bool = False


def check_in_items(
    store: Store, returns: Sequence[Return], *, at: datetime
) -> list[str]:
    """Check items in, in one transaction. A damaged one also gets a damage event (and
    the repair flag when asked), so the damage shows in its history and in reports."""
    returns = list({back.item_id: back for back in returns}.values())  # one each
    states = [custody_of(store, back.item_id) for back in returns]
    _refuse(store, [c for c in states if c.holder_id is None], "Not checked out")
    when = stamp(at)
    with store.transaction() as tx:
        ids = []
        for back, state in zip(returns, states, strict=True):
            details = {
                "person_id": state.holder_id,
                "at": when,
                "condition": back.condition,
                "note": back.note,
                "photo": back.photo,
            }
            ids.append(add_event(tx, back.item_id, "check_in", **details))
            if back.condition == "damaged":
                _record_damage(tx, back.item_id, back.flag_repair, details)
        return ids


def check_in(
    store: Store, item_id: str, *, at: datetime, **details: Any
) -> list[str]:
    """Check in an item, or a case with its members that are out. ``details`` (condition,
    note, photo, flag_repair) describe the scanned item; its contents come back "good"."""
    members = _out_members(store, item_id)
    returns = [Return(c.item_id, **(details if c.item_id == item_id else {})) for c in members]
    return check_in_items(store, returns, at=at)


def _record_damage(
    tx: Transaction, item_id: str, flag_repair: bool, details: Mapping[str, Any]
) -> str:
    event = add_event(tx, item_id, "damage", **{**details, "condition": "damaged"})
    if flag_repair:
        change_item(tx, item_id, {"flag": "repair"})
    return event


def report_damage(
    store: Store,
    item_id: str,
    *,
    note: str,
    person_id: str | None = None,
    photo: str | None = None,
    flag_repair: bool = False,
    at: datetime,
) -> str:
    """Record damage found outside a check-in (with a photo), optionally flagging repair."""
    require_item(store, item_id)
    details = {"person_id": person_id, "at": stamp(at), "note": note, "photo": photo}
    with store.transaction() as tx:
        return _record_damage(tx, item_id, flag_repair, details)


def _log_and_clear_flag(
    store: Store, item_id: str, action: str, clears: str, details: Mapping[str, Any]
) -> str:
    item = require_item(store, item_id)
    with store.transaction() as tx:
        event = add_event(tx, item_id, action, **details)
        if item.get("flag") == clears:
            change_item(tx, item_id, {"flag": "none"})
        return event


def record_repair(
    store: Store,
    item_id: str,
    *,
    note: str,
    person_id: str | None = None,
    at: datetime,
) -> str:
    """Record a repair; an item flagged for repair is back in service."""
    details = {"person_id": person_id, "at": stamp(at), "note": note}
    return _log_and_clear_flag(store, item_id, "repair", "repair", details)


def audit(
    store: Store,
    item_id: str,
    *,
    person_id: str,
    condition: str = "",
    note: str = "",
    at: datetime,
) -> str:
    """Record that a person saw the item (a stocktake); an item flagged missing is found."""
    details = {"person_id": person_id, "at": stamp(at), "condition": condition, "note": note}
    return _log_and_clear_flag(store, item_id, "audit", "missing", details)


def resolve_conflict(
    store: Store,
    item_id: str,
    *,
    holder_id: str | None,
    resolved_by: str,
    note: str = "",
    at: datetime,
) -> list[str]:
    """Settle every open conflict of an item: ``holder_id`` really has it (None: it is
    back in store). Records an audit by ``resolved_by`` naming the competing events, then,
    if the log says otherwise, the transfer or check-in that makes it true."""
    open_conflicts = find_conflicts(item_id, history(store, item_id))
    if not open_conflicts:
        raise CustodyError(f"{require_item(store, item_id)['name']} has no custody conflict.")
    settled = sorted(set().union(*(c.event_ids for c in open_conflicts)))
    current = custody_of(store, item_id).holder_id
    when = stamp(at)
    with store.transaction() as tx:
        ids = [
            add_event(
                tx,
                item_id,
                "audit",
                person_id=resolved_by,
                at=when,
                note=note or "Custody conflict resolved.",
                resolves=settled,
            )
        ]
        if holder_id != current:
            action = "transfer" if holder_id else "check_in"
            ids.append(
                add_event(tx, item_id, action, person_id=holder_id or current, at=when, note=note)
            )
        return ids
