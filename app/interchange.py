"""CSV in and out: the equipment list (ours or a Snipe-IT asset export) and crew lists.

Columns are recognised by name (aliases below; ``csv_rows`` copes with the dialects),
so our own export and Snipe-IT's both import without a mapping screen: Snipe-IT's Asset
Tag becomes the item's claimed label code, Model (with Manufacturer) names an unnamed
asset, Status maps to our flag, and Location is kept in the notes.

An import is all or nothing (``csv_rows.run_import``): every row is parsed and staged
through the same validation every service uses, every problem is reported with its
line, and if any row fails nothing is stored. A row whose code finds an existing item
(or whose email or name finds a person) updates it with its non-empty cells, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from typing import Any

from app.csv_rows import ImportReport, RowError, checked, read_csv, run_import
from app.custody import all_custody
from app.equipment import change_item, find_by_code, insert_item, items, normalize_code
from app.models import insert_record, update_record
from app.money import MoneyError, decimal_amount, minor_unit_exponent, parse_amount
from app.store import Store, Transaction

EQUIPMENT_COLUMNS = (
    "code", "name", "category", "serial", "value", "currency", "kit", "flag", "notes",
    "status", "holder", "due_at",
)  # fmt: skip
CREW_FIELDS = ("name", "role", "department", "phone", "email")

_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "asset tag", "qr code", "label"),
    "name": ("name", "asset name", "item", "full name", "crew member"),
    "model": ("model", "model name"),
    "manufacturer": ("manufacturer", "make"),
    "category": ("category",),
    "serial": ("serial", "serial number", "serial no", "s/n"),
    "value": ("value", "purchase cost", "cost", "price"),
    "currency": ("currency",),
    "kit": ("kit", "case", "kit code"),
    "flag": ("flag",),
    "status": ("status", "status label"),
    "notes": ("notes", "note", "description"),
    "location": ("location", "default location"),
    "role": ("role", "position", "job", "job title"),
    "department": ("department", "dept"),
    "phone": ("phone", "mobile", "cell", "tel", "telephone", "phone number"),
    "email": ("email", "e-mail", "email address"),
}
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

# Snipe-IT's default status labels, and our own export's statuses, as our flag.
_STATUS_FLAGS = {
    "archived": "retired", "retired": "retired", "broken": "repair", "out for repair": "repair",
    "repair": "repair", "lost/stolen": "missing", "lost": "missing", "stolen": "missing",
    "missing": "missing", "ready to deploy": "none", "deployed": "none", "deployable": "none",
    "pending": "none", "available": "none", "damaged": "none", "out": "none",
}  # fmt: skip


# -- equipment -------------------------------------------------------------------------


def import_equipment_csv(store: Store, data: bytes | str, *, currency: str) -> ImportReport:
    """Import our equipment CSV or a Snipe-IT asset export; ``currency`` is used for rows
    without a currency column (Snipe-IT exports have none)."""
    columns, rows = read_csv(data, _CANONICAL)
    if not columns & {"name", "model"}:
        return ImportReport(errors=[RowError(1, "name", "No Name or Model column found.")])

    def stage(tx: Transaction, report: ImportReport) -> None:
        by_code: dict[str, str] = {}
        kits: list[tuple[int, str, str]] = []
        for line, cells in rows:
            fields = _equipment_fields(line, cells, currency)
            code = normalize_code(cells.get("code", ""))
            if isinstance(fields, RowError):
                report.errors.append(fields)
            elif code in by_code:
                report.errors.append(RowError(line, "code", f"The code {code!r} is repeated."))
            else:
                item_id = checked(
                    report, line, partial(_upsert_item, store, tx, report, fields, code, currency)
                )
                if item_id and code:
                    by_code[code] = item_id
                if item_id and cells.get("kit"):
                    kits.append((line, item_id, normalize_code(cells["kit"])))
        for line, item_id, kit_code in kits:
            kit = by_code.get(kit_code) or (find_by_code(store, kit_code) or {}).get("id")
            if kit is None:
                report.errors.append(RowError(line, "kit", f"No item has the code {kit_code!r}."))
            else:
                checked(report, line, partial(change_item, tx, item_id, {"kit_id": kit}))

    return run_import(store, stage)


def _equipment_fields(line: int, cells: dict[str, str], currency: str) -> dict[str, Any] | RowError:
    """A row's cells as item fields; only the columns the row fills (an update keeps the rest)."""
    maker_model = " ".join(filter(None, (cells.get("manufacturer"), cells.get("model"))))
    fields: dict[str, Any] = {k: cells[k] for k in ("category", "serial", "flag") if k in cells}
    if cells.get("name") or maker_model:
        fields["name"] = cells.get("name") or maker_model
    if "value" in cells or "currency" in cells:  # an amount only means something with its currency
        fields["currency"] = cells.get("currency", currency).upper()
    try:
        minor_unit_exponent(fields.get("currency", currency))
    except MoneyError as error:
        return RowError(line, "currency", str(error))
    if "value" in cells:
        try:
            fields["value_minor"] = parse_amount(cells["value"], fields["currency"])
        except MoneyError as error:
            return RowError(line, "value", str(error))
    notes = [cells["notes"]] if "notes" in cells else []
    status = cells.get("status", "").casefold()
    if status and "flag" not in cells:
        fields["flag"] = _STATUS_FLAGS.get(status, "none")
        if status not in _STATUS_FLAGS:
            notes.append(f"Status: {cells['status']}")
    if "location" in cells:
        notes.append(f"Location: {cells['location']}")
    if notes:
        fields["notes"] = "\n".join(notes)
    return fields


def _upsert_item(
    store: Store,
    tx: Transaction,
    report: ImportReport,
    fields: dict[str, Any],
    code: str,
    currency: str,
) -> str:
    existing = find_by_code(store, code) if code else None
    if existing is not None:
        change_item(tx, existing["id"], fields)
        report.updated += 1
        return str(existing["id"])
    item_id = insert_item(tx, {"currency": currency, **fields}, code=code or None)
    report.created += 1
    return item_id


def export_equipment_csv(store: Store) -> str:
    """Every item with its custody now, in the columns :func:`import_equipment_csv` reads."""
    custody = all_custody(store)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EQUIPMENT_COLUMNS)
    for item in items(store):
        kit = store.get("equipment", item["kit_id"]) if item.get("kit_id") else None
        state = custody[item["id"]]
        holder = store.get("people", state.holder_id) if state.holder_id else None
        writer.writerow([
            item["code"], item["name"], item["category"], item["serial"],
            decimal_amount(item["value_minor"], item["currency"]), item["currency"],
            kit["code"] if kit else "", item["flag"], item["notes"], state.status,
            holder["name"] if holder else state.holder_id or "", state.due_at or "",
        ])  # fmt: skip
    return out.getvalue()


# -- crew ------------------------------------------------------------------------------


def import_crew_csv(store: Store, data: bytes | str, *, production_id: str) -> ImportReport:
    """Import a crew list (name, role, department, phone, email) into a production.

    A row whose email, or else name, matches someone already in the production updates
    that person, so a revised call sheet can be imported again (and puts back on the
    list someone who had been taken off it).
    """
    columns, rows = read_csv(data, _CANONICAL)
    if "name" not in columns:
        return ImportReport(errors=[RowError(1, "name", "No Name column found.")])
    people = [p for p in store.all("people") if p.get("production_id") == production_id]

    def stage(tx: Transaction, report: ImportReport) -> None:
        seen: set[str] = set()
        for line, cells in rows:
            fields = {k: cells[k] for k in CREW_FIELDS if k in cells}
            keys = {_person_key(fields.get("email", "")), _person_key(fields.get("name", ""))}
            keys.discard("")
            if keys & seen:
                report.errors.append(RowError(line, "name", "This person is listed twice."))
                continue
            seen |= keys
            match = next((p for p in people if keys & _keys_of(p)), None)
            if match is None:
                write = partial(
                    insert_record, tx, "people", {**fields, "production_id": production_id}
                )
            else:  # someone taken off the list who is on it again is back on the crew
                back = {"archived": False} if match.get("archived") else {}
                write = partial(update_record, tx, "people", match["id"], {**fields, **back})
            if checked(report, line, write) is None:
                continue
            if match is None:
                report.created += 1
            else:
                report.updated += 1

    return run_import(store, stage)


def _person_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _keys_of(person: dict[str, Any]) -> set[str]:
    return {_person_key(person.get("email") or ""), _person_key(person["name"])} - {""}
