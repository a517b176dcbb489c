"""Checklists: templates, their copies for a day and place, ticks, progress and sign-off.

Each item is its own record and a tick writes only that item's fields, so two people
ticking different items of one list while offline both keep their ticks after sync (the
merge is per record and per field). A template is a checklist with ``is_template`` set;
using one copies its items, so editing a template never rewrites a list already in use.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from app.clock import utc_now
from app.models import insert_record, require, update_record
from app.productions import get_production, production_days
from app.schedule import Clock
from app.store import Store, Transaction
from app.templates import BUILT_IN, Template

_TEMPLATE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://crewkit.app/templates")


class ChecklistError(ValueError):
    """A checklist action that cannot be done; the message says why."""


class SignOffRefused(ChecklistError):
    """Sign-off while required items are open; ``open_items`` lists their texts."""

    def __init__(self, title: str, open_items: list[str]) -> None:
        super().__init__(f"{title!r} cannot be signed off; still open: {'; '.join(open_items)}")
        self.open_items = open_items


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    required_done: int
    required_total: int

    @property
    def complete(self) -> bool:
        """Every required item is done: the list can be signed off."""
        return self.required_done == self.required_total


# -- templates ---------------------------------------------------------------------------


def _template_id(template: Template, position: int | None = None) -> str:
    suffix = "" if position is None else f"/{position}"
    return str(uuid.uuid5(_TEMPLATE_NAMESPACE, template.key + suffix))


def ensure_templates(store: Store) -> None:
    """Store the built-in templates the first time they are needed.

    Their ids are derived from the template keys, so devices that do this offline
    converge on one copy; a built-in that someone deleted stays deleted.
    """
    missing = [t for t in BUILT_IN if store.state("checklists", _template_id(t)) is None]
    if not missing:
        return
    with store.transaction() as tx:
        for template in missing:
            fields = {"title": template.title, "is_template": True}
            checklist_id = insert_record(tx, "checklists", fields, _template_id(template))
            entries = ({"text": e.text, "required": e.required} for e in template.items)
            _copy_items(tx, checklist_id, entries, partial(_template_id, template))


def list_templates(store: Store) -> list[dict[str, Any]]:
    ensure_templates(store)
    return sorted(
        (c for c in store.all("checklists") if c.get("is_template")),
        key=lambda c: c["title"].casefold(),
    )


def create_template(
    store: Store, title: str, items: Iterable[tuple[str, bool]], *, production_id: str | None = None
) -> str:
    """A crew's own template from ``(text, required)`` pairs."""
    with store.transaction() as tx:
        checklist = {"title": title, "is_template": True, "production_id": production_id}
        checklist_id = insert_record(tx, "checklists", checklist)
        _copy_items(tx, checklist_id, ({"text": t, "required": r} for t, r in items))
    return checklist_id


def instantiate(
    store: Store,
    template_id: str,
    *,
    production_id: str,
    day: str,
    location_id: str | None = None,
    title: str | None = None,
) -> str:
    """A working copy of a template for one day (and place) of a production."""
    template = require(store.get, "checklists", template_id)
    if not template["is_template"]:
        raise ChecklistError(f"{template['title']!r} is not a template.")
    production = get_production(store, production_id)
    if day not in production_days(production):
        raise ChecklistError(f"{day} is not a day of {production['name']}.")
    fields = {
        "production_id": production_id,
        "day": day,
        "title": title or template["title"],
        "template_id": template_id,
        "location_id": location_id,
    }
    with store.transaction() as tx:
        checklist_id = insert_record(tx, "checklists", fields)
        _copy_items(tx, checklist_id, items(store, template_id))
    return checklist_id


def _copy_items(
    tx: Transaction,
    checklist_id: str,
    entries: Iterable[Mapping[str, Any]],
    id_for: Callable[[int], str | None] = lambda position: None,
) -> None:
    """Insert ``entries`` as the list's items, in order; ``id_for`` may fix their ids."""
    for position, entry in enumerate(entries):
        _insert_item(tx, checklist_id, position, entry, id_for(position))


def _insert_item(
    tx: Transaction,
    checklist_id: str,
    position: int,
    entry: Mapping[str, Any],
    item_id: str | None = None,
) -> str:
    fields = {"checklist_id": checklist_id, "position": position, "text": entry["text"]}
    fields |= {"required": entry["required"], "assignee_id": entry.get("assignee_id")}
    return insert_record(tx, "checklist_items", fields, item_id)


# -- lists and items -----------------------------------------------------------------------


def checklists_for_day(store: Store, production_id: str, day: str) -> list[dict[str, Any]]:
    found = store.lookup("checklists", "production_id+day", (production_id, day))
    return sorted(found, key=lambda c: (c["title"].casefold(), c["id"]))


def items(store: Store, checklist_id: str) -> list[dict[str, Any]]:
    """The list's items in order (ties from concurrent adds broken by id)."""
    found = store.lookup("checklist_items", "checklist_id", checklist_id)
    return sorted(found, key=lambda i: (i.get("position", 0), i["id"]))


def add_item(
    store: Store,
    checklist_id: str,
    text: str,
    *,
    required: bool = False,
    assignee_id: str | None = None,
) -> str:
    """Add an item at the end of a list."""
    require(store.get, "checklists", checklist_id)
    position = max((i.get("position", 0) for i in items(store, checklist_id)), default=-1) + 1
    entry = {"text": text, "required": required, "assignee_id": assignee_id}
    with store.transaction() as tx:
        return _insert_item(tx, checklist_id, position, entry)


def _editable_item(tx: Transaction, item_id: str) -> dict[str, Any]:
    item = require(tx.get, "checklist_items", item_id)
    checklist = require(tx.get, "checklists", item["checklist_id"])
    if checklist["is_template"]:
        raise ChecklistError("Template items are not ticked; use the template for a day first.")
    if checklist["signed_off_at"]:
        raise ChecklistError(f"{checklist['title']!r} is signed off; reopen it to change it.")
    return item


def tick(
    store: Store,
    item_id: str,
    *,
    person_id: str,
    note: str | None = None,
    photo: str | None = None,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Mark an item done by ``person_id`` now, with an optional note and photo (sha256)."""
    changes: dict[str, Any] = {"done": True, "done_by": person_id, "done_at": clock().isoformat()}
    if note is not None:
        changes["note"] = note
    if photo is not None:
        changes["photo"] = photo
    with store.transaction() as tx:
        _editable_item(tx, item_id)
        updated = update_record(tx, "checklist_items", item_id, changes)
        if photo is not None:
            tx.queue_blob(photo)
    return updated


def note_item(store: Store, item_id: str, note: str) -> dict[str, Any]:
    """Store a note on an item without ticking it (a problem seen, not yet fixed);
    a ticked item keeps who ticked it and when."""
    with store.transaction() as tx:
        _editable_item(tx, item_id)
        return update_record(tx, "checklist_items", item_id, {"note": note})


def untick(store: Store, item_id: str) -> dict[str, Any]:
    """Mark an item open again; its note and photo stay as a record of what was seen."""
    with store.transaction() as tx:
        _editable_item(tx, item_id)
        changes = {"done": False, "done_by": None, "done_at": None}
        return update_record(tx, "checklist_items", item_id, changes)


# -- progress and sign-off -------------------------------------------------------------------


def progress(store: Store, checklist_id: str) -> Progress:
    entries = items(store, checklist_id)
    required = [i for i in entries if i.get("required")]
    return Progress(
        done=sum(1 for i in entries if i.get("done")),
        total=len(entries),
        required_done=sum(1 for i in required if i.get("done")),
        required_total=len(required),
    )


def open_required(store: Store, checklist_id: str) -> list[str]:
    """The texts of the required items still open."""
    return [i["text"] for i in items(store, checklist_id) if i["required"] and not i["done"]]


def signed_off_with_open_items(store: Store, checklist_id: str) -> list[str]:
    """Required items open on a signed-off list, which only a merge can produce: one
    device signed off while another, offline, unticked an item. Shown so a person
    reopens the list or ticks the item again, rather than trusting the sign-off."""
    checklist = require(store.get, "checklists", checklist_id)
    return open_required(store, checklist_id) if checklist["signed_off_at"] else []


def sign_off(
    store: Store, checklist_id: str, *, person_id: str, clock: Clock = utc_now
) -> dict[str, Any]:
    """Sign the list off; refused with :class:`SignOffRefused` while a required item is open."""
    checklist = require(store.get, "checklists", checklist_id)
    if checklist["is_template"]:
        raise ChecklistError("A template is not signed off; use it for a day first.")
    open_items = open_required(store, checklist_id)
    if open_items:
        raise SignOffRefused(checklist["title"], open_items)
    changes = {"signed_off_by": person_id, "signed_off_at": clock().isoformat()}
    with store.transaction() as tx:
        return update_record(tx, "checklists", checklist_id, changes)


def reopen(store: Store, checklist_id: str) -> dict[str, Any]:
    """Withdraw a sign-off so the list can be changed again."""
    with store.transaction() as tx:
        changes = {"signed_off_by": None, "signed_off_at": None}
        return update_record(tx, "checklists", checklist_id, changes)
