"""Equipment items, kits, and the codes that find them when scanned.

An item's QR payload is ``crewkit:eq:<id>``: it names the record, not the item, so a
printed label stays valid when the item is renamed. A crew that already owns labels
(pre-printed blanks, another system's asset tags) can claim one instead: any scanned
string that matches no item can be attached to a new item or an existing one, and it is
stored in the item's ``code``. The ``crewkit:eq:<id>`` payload keeps resolving even then.

A case is an ordinary item; its contents point at it with ``kit_id``. Kits can nest (a
lens case inside a camera cart), so contents are followed down every level, and a kit
that would contain itself, directly or through another kit, is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from app.ids import new_id
from app.labels import FORMATS, Label, render_labels
from app.models import ValidationError, insert_record, update_record
from app.store import Store, Transaction

CODE_PREFIX = "crewkit:eq:"
SHORT_CODE_LENGTH = 6
FLAGS = ("none", "repair", "missing", "retired")
EDITABLE = frozenset(
    {"name", "category", "serial", "value_minor", "currency", "kit_id", "flag", "notes", "photo"}
)


def code_for(item_id: str) -> str:
    """The QR payload printed on an item's label."""
    return f"{CODE_PREFIX}{item_id}"


def normalize_code(raw: str) -> str:
    """A scanned code as stored: hardware scanners add newlines, tabs and stray spaces."""
    return raw.strip()


@dataclass(frozen=True)
class ItemScan:
    """The code belongs to a single item."""

    item: dict[str, Any]


@dataclass(frozen=True)
class KitScan:
    """The code belongs to a case; ``contents`` are the items in it, at every depth."""

    case: dict[str, Any]
    contents: list[dict[str, Any]]


@dataclass(frozen=True)
class UnknownCode:
    """No item has this code: the UI offers to register it (claim the label)."""

    code: str


Resolved = ItemScan | KitScan | UnknownCode


def find_by_code(store: Store, code: str) -> dict[str, Any] | None:
    """The item a scanned code names: a claimed label, or our own ``crewkit:eq:`` payload.

    Two devices offline may claim the same blank label for two items; the oldest item
    (ids sort by creation) wins, so every device answers the same.
    """
    code = normalize_code(code)
    if not code:
        return None
    matches = store.lookup("equipment", "code", code)
    if matches:
        return matches[0]
    if code.startswith(CODE_PREFIX):
        return store.get("equipment", code.removeprefix(CODE_PREFIX))
    if len(code) == SHORT_CODE_LENGTH:  # typed from under a worn-out QR code
        typed = [i for i in store.all("equipment") if short_code(i).casefold() == code.casefold()]
        return typed[0] if len(typed) == 1 else None
    return None


def short_code(item: Mapping[str, Any]) -> str:
    """What is printed under the QR code for people: a claimed label's own text, or the
    end of the item id (random bits of the UUIDv7, unlike its time-ordered start)."""
    if not item["code"].startswith(CODE_PREFIX):
        return str(item["code"])
    return str(item["id"]).replace("-", "")[-SHORT_CODE_LENGTH:].upper()


def label_sheet(store: Store, item_ids: list[str], sheet: str = "avery-l7160") -> bytes:
    """A PDF of QR labels for the items, on a sheet format of ``app.labels.FORMATS``."""
    chosen = [require_item(store, item_id) for item_id in item_ids]
    labels = [Label(item["code"], item["name"], short_code(item)) for item in chosen]
    return render_labels(labels, FORMATS[sheet])


def resolve_code(store: Store, code: str) -> Resolved:
    """What scanning ``code`` means: an item, a kit with its contents, or nothing known."""
    item = find_by_code(store, code)
    if item is None:
        return UnknownCode(normalize_code(code))
    contents = kit_contents(store, item["id"])
    return KitScan(item, contents) if contents else ItemScan(item)


def kit_contents(store: Store, case_id: str) -> list[dict[str, Any]]:
    """Every item inside the case, nested kits included, parents before their contents.

    Tolerates a cycle that arrived by merging two devices' edits (each refused locally)
    rather than looping forever.
    """
    found: list[dict[str, Any]] = []
    seen = {case_id}
    pending = [case_id]
    while pending:
        parent = pending.pop(0)
        for child in store.lookup("equipment", "kit_id", parent):
            if child["id"] not in seen:
                seen.add(child["id"])
                found.append(child)
                pending.append(child["id"])
    return found


def with_contents(store: Store, item_id: str) -> list[str]:
    """The item's id followed by the ids of everything in it: what acting on it acts on."""
    return [item_id, *(child["id"] for child in kit_contents(store, item_id))]


def items(store: Store) -> list[dict[str, Any]]:
    """All items, by name."""
    return sorted(store.all("equipment"), key=lambda item: (item["name"].casefold(), item["id"]))


def require_item(store: Store | Transaction, item_id: str) -> dict[str, Any]:
    item = store.get("equipment", item_id)
    if item is None:
        raise ValidationError("equipment", "id", f"There is no equipment item {item_id}.")
    return item


def check_code_free(store: Store, code: str, *, owner: str | None = None) -> str:
    """Refuse a code that already finds another item; return it normalized."""
    code = normalize_code(code)
    holder = find_by_code(store, code)
    if holder is not None and holder["id"] != owner:
        raise ValidationError(
            "equipment", "code", f"The code {code!r} is already on {holder['name']!r}."
        )
    return code


def insert_item(tx: Transaction, fields: Mapping[str, Any], *, code: str | None = None) -> str:
    """Validate and insert one item inside ``tx``; without a claimed code, it gets its own."""
    item_id = new_id()
    fields = {**fields, "code": code or code_for(item_id)}
    return insert_record(tx, "equipment", fields, item_id, check=partial(_check_kit_exists, tx))


def change_item(tx: Transaction, item_id: str, changes: Mapping[str, Any]) -> None:
    """Validate and apply edits to one item inside ``tx``."""
    require_item(tx, item_id)
    update_record(tx, "equipment", item_id, changes, check=partial(_check_kit_exists, tx))


def _check_kit_exists(tx: Transaction, fields: Mapping[str, Any]) -> None:
    kit_id = fields.get("kit_id")
    if kit_id is not None and tx.get("equipment", kit_id) is None:
        raise ValidationError("equipment", "kit_id", f"There is no case {kit_id} to put it in.")


def create_item(store: Store, *, code: str | None = None, **fields: Any) -> str:
    """Register an item (name, currency required; category, serial, value_minor, kit_id,
    flag, notes, photo optional). Pass ``code`` to claim a pre-printed label for it."""
    _check_editable(fields)
    claimed = check_code_free(store, code) if code is not None else None
    with store.transaction() as tx:
        return insert_item(tx, fields, code=claimed)


def update_item(store: Store, item_id: str, **changes: Any) -> None:
    """Edit an item; its code is changed only by :func:`claim_label`."""
    _check_editable(changes)
    with store.transaction() as tx:
        change_item(tx, item_id, changes)


def set_flag(store: Store, item_id: str, flag: str) -> None:
    """Mark an item for repair, missing or retired (or ``none`` to clear the mark)."""
    update_item(store, item_id, flag=flag)


def claim_label(store: Store, code: str, item_id: str) -> None:
    """Attach a scanned label that matches no item to an existing item.

    The label replaces any earlier claimed label; ``crewkit:eq:<id>`` keeps working.
    """
    require_item(store, item_id)
    claimed = check_code_free(store, code, owner=item_id)
    with store.transaction() as tx:
        change_item(tx, item_id, {"code": claimed})


def _check_editable(fields: Mapping[str, Any]) -> None:
    unknown = sorted(fields.keys() - EDITABLE)
    if unknown:
        raise ValidationError("equipment", unknown[0], f"{unknown[0]!r} cannot be set here.")


__all__ = [
    "CODE_PREFIX",
    "FLAGS",
    "ItemScan",
    "KitScan",
    "Resolved",
    "UnknownCode",
    "change_item",
    "check_code_free",
    "claim_label",
    "code_for",
    "create_item",
    "find_by_code",
    "insert_item",
    "items",
    "kit_contents",
    "label_sheet",
    "normalize_code",
    "require_item",
    "resolve_code",
    "set_flag",
    "short_code",
    "update_item",
    "with_contents",
]
