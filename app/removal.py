"""Taking a person or a location off a production without breaking what names them.

The crew list and the locations list are working lists, but a production's records are
its history: a custody log entry, a tick, a sign-off or an expense names the person who
did it, and a schedule item or checklist names where it happened. So removal follows
what a professional tool does:

* A person who still holds gear cannot be removed: the gear would be out to nobody.
  The refusal says which items, so they can be checked in or handed over first.
* A person or location that records name is *kept* (``archived``): off the list and the
  pickers, still named wherever they appear.
* One that nothing names yet (a typo, a wrong import) is deleted outright.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.custody import held_by
from app.models import require, update_record
from app.store import Store

Record = Mapping[str, Any]


class StillNeeded(ValueError):
    """The record cannot be removed now; the message says why and what to do first."""


@dataclass(frozen=True)
class Removal:
    """What removing did: ``kept`` when records name it (then ``uses`` says which)."""

    name: str
    listed_in: str
    uses: tuple[str, ...] = ()

    @property
    def kept(self) -> bool:
        return bool(self.uses)

    @property
    def message(self) -> str:
        if not self.kept:
            return f"Removed {self.name}."
        *most, last = self.uses
        named_in = f"{', '.join(most)} and {last}" if most else last
        return f"{self.name} is off the {self.listed_in}, and still named in {named_in}."


def _count(found: int, one: str, many: str) -> str | None:
    return None if not found else f"1 {one}" if found == 1 else f"{found} {many}"


def _tally(counts: Iterable[tuple[int, str, str]]) -> tuple[str, ...]:
    return tuple(text for n, one, many in counts if (text := _count(n, one, many)))


def _matching(records: Iterable[Record], test: Callable[[Record], bool]) -> int:
    return sum(1 for record in records if test(record))


def person_uses(store: Store, person_id: str) -> tuple[str, ...]:
    """The records that name a person, as a crew member would list them."""
    return _tally((
        (len(store.lookup("custody_events", "person_id", person_id)),
         "gear record", "gear records"),
        (_matching(store.all("schedule_items"), lambda r: person_id in (r.get("people_ids") or ())),
         "schedule item", "schedule items"),
        (_matching(store.all("checklist_items"),
                   lambda r: person_id in (r.get("assignee_id"), r.get("done_by"))),
         "checklist item", "checklist items"),
        (_matching(store.all("checklists"), lambda r: r.get("signed_off_by") == person_id),
         "checklist sign-off", "checklist sign-offs"),
        (_matching(store.all("expenses"), lambda r: r.get("paid_by") == person_id),
         "expense", "expenses"),
    ))  # fmt: skip


def location_uses(store: Store, location_id: str) -> tuple[str, ...]:
    """The records that name a location."""
    return _tally((
        (_matching(store.all("schedule_items"), lambda r: r.get("location_id") == location_id),
         "schedule item", "schedule items"),
        (_matching(store.all("checklists"), lambda r: r.get("location_id") == location_id),
         "checklist", "checklists"),
    ))  # fmt: skip


def remove_person(store: Store, person_id: str) -> Removal:
    """Take a person off the crew list; refused (:class:`StillNeeded`) while they hold
    gear, kept for the records when any name them, deleted otherwise."""
    person = require(store.get, "people", person_id)
    held = held_by(store, person_id)
    if held:
        names = ", ".join(item["name"] for item in held[:3]) + (", …" if len(held) > 3 else "")
        count = "1 item" if len(held) == 1 else f"{len(held)} items"
        raise StillNeeded(
            f"{person['name']} still has {count} ({names}). Check the gear in or hand it "
            "to someone else first."
        )
    return _remove(store, "people", person, "crew list", person_uses(store, person_id))


def remove_location(store: Store, location_id: str) -> Removal:
    """Take a location off the list: kept when schedule items or checklists name it,
    deleted otherwise."""
    location = require(store.get, "locations", location_id)
    uses = location_uses(store, location_id)
    return _remove(store, "locations", location, "locations list", uses)


def _remove(
    store: Store, coll: str, record: Record, listed_in: str, uses: tuple[str, ...]
) -> Removal:
    with store.transaction() as tx:
        if uses:
            update_record(tx, coll, record["id"], {"archived": True})
        else:
            tx.delete(coll, record["id"])
    return Removal(record["name"], listed_in, uses)
