"""The first-run sample: a three-day short-film shoot loaded into an empty store.

The data lives in ``assets/sample/production.json`` with days numbered from 1 and
local clock times; loading anchors it so the JSON's ``today_is_day`` falls on ``today``
(yesterday has actual times and spend, today is under way, tomorrow is planned). Names
in the JSON ("zoe", "studio") are keys that become record ids here.

Everything goes in one transaction through the same validated writes the services use,
so a newcomer's first screen shows data that obeys every rule a real production does,
and a failure half-way leaves the store empty. Receipt photos are stored first (content
addressed, so storing one twice is harmless) and queued for upload with the records.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.blobs import BlobStore
from app.custody import add_event
from app.equipment import change_item, insert_item
from app.expenses import float_issue_fields
from app.models import insert_record
from app.photos import store_photo
from app.store import Store, Transaction

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "assets" / "sample"


class SampleError(RuntimeError):
    """The sample cannot be loaded here; the message says why."""


def load_sample(
    store: Store, blobs: BlobStore, today: date, *, directory: Path = SAMPLE_DIR
) -> str:
    """Load the sample production into an empty store; return the production's id."""
    if store.all("productions"):
        raise SampleError(
            "This device already has a production; the sample loads only into an empty store."
        )
    data = json.loads((directory / "production.json").read_text(encoding="utf-8"))
    receipts = {
        expense["key"]: store_photo(
            blobs, (directory / "receipts" / f"{expense['key']}.jpg").read_bytes()
        ).sha256
        for expense in data["expenses"]
    }
    with store.transaction() as tx:
        return _Loader(tx, data, today, receipts).load()


class _Loader:
    def __init__(
        self, tx: Transaction, data: dict[str, Any], today: date, receipts: dict[str, str]
    ) -> None:
        self.tx, self.data, self.receipts = tx, data, receipts
        spec = data["production"]
        self.zone = ZoneInfo(spec["timezone"])
        self.currency: str = spec["currency"]
        self.first_day = today - timedelta(days=spec["today_is_day"] - 1)
        self.ids: dict[str, str] = {}
        self.kits: dict[str, list[str]] = {}
        self.production_id = ""

    def load(self) -> str:
        self._production()
        self._people_and_locations()
        self._schedule()
        self._checklists()
        self._equipment()
        self._custody()
        self._money()
        for note in self.data["notes"]:
            at = self.moment(note["day"], note["at"])
            fields = {k: v for k, v in note.items() if k != "day"}
            self._insert("notes", {**fields, "at": at, "production_id": self.production_id})
        return self.production_id

    # -- helpers ---------------------------------------------------------------------

    def day(self, number: int | str) -> str:
        return (self.first_day + timedelta(days=int(number) - 1)).isoformat()

    def moment(self, number: int | str, clock: str) -> str:
        """A local clock time on a production day, stored with its UTC offset."""
        local = datetime.combine(date.fromisoformat(self.day(number)), time.fromisoformat(clock))
        return local.replace(tzinfo=self.zone).isoformat()

    def _insert(self, coll: str, fields: dict[str, Any], key: str | None = None) -> str:
        record_id = insert_record(self.tx, coll, fields)
        if key:
            self.ids[key] = record_id
        return record_id

    def _crew(self, name: str) -> list[str]:
        return [self.ids[key] for key in self.data["crews"][name]]

    # -- sections --------------------------------------------------------------------

    def _production(self) -> None:
        spec = self.data["production"]
        self.production_id = self._insert(
            "productions",
            {
                "name": spec["name"],
                "starts_on": self.day(1),
                "ends_on": self.day(spec["days"]),
                "timezone": spec["timezone"],
                "currency": self.currency,
            },
        )

    def _people_and_locations(self) -> None:
        for coll in ("people", "locations"):
            for record in self.data[coll]:
                fields = {k: v for k, v in record.items() if k != "key"}
                self._insert(coll, {**fields, "production_id": self.production_id}, record["key"])

    def _schedule(self) -> None:
        for number, items in self.data["schedule"].items():
            for item in items:
                fields = {
                    "production_id": self.production_id,
                    "day": self.day(number),
                    "kind": item["kind"],
                    "title": item["title"],
                    "planned_start": self.moment(number, item["at"][0]),
                    "planned_end": self.moment(number, item["at"][1]),
                    "location_id": self.ids[item["location"]],
                    "people_ids": self._crew(item["people"]),
                    "notes": item.get("notes", ""),
                }
                if "actual" in item:
                    fields["actual_start"] = self.moment(number, item["actual"][0])
                    fields["actual_end"] = self.moment(number, item["actual"][1])
                    fields["status"] = "done"
                self._insert("schedule_items", fields)

    def _checklists(self) -> None:
        templates = {t["key"]: t for t in self.data["checklist_templates"]}
        for template in templates.values():
            self._insert_checklist(template, {"is_template": True}, key=template["key"])
        for spec in self.data["checklists"]:
            template = templates[spec["template"]]
            done_by = self.ids.get(spec.get("done_by", ""))
            signed = spec.get("signed_off_by")
            self._insert_checklist(
                template,
                {
                    "day": self.day(spec["day"]),
                    "template_id": self.ids[template["key"]],
                    "location_id": self.ids[spec["location"]],
                    "signed_off_by": self.ids[signed] if signed else None,
                    "signed_off_at": self.moment(spec["day"], spec["at"]) if signed else None,
                },
                done=spec["done"],
                done_by=done_by,
                done_at=self.moment(spec["day"], spec["at"]) if spec["done"] else None,
            )

    def _insert_checklist(
        self,
        template: dict[str, Any],
        fields: dict[str, Any],
        *,
        key: str | None = None,
        done: int = 0,
        done_by: str | None = None,
        done_at: str | None = None,
    ) -> None:
        """A checklist with the template's items; the first ``done`` of them ticked."""
        checklist = {"production_id": self.production_id, "title": template["title"], **fields}
        checklist_id = self._insert("checklists", checklist, key)
        for position, (text, required) in enumerate(template["items"]):
            ticked = position < done
            item = {"checklist_id": checklist_id, "position": position, "text": text}
            item |= {"required": required, "done": ticked}
            if ticked:
                item |= {"done_by": done_by, "done_at": done_at}
            self._insert("checklist_items", item)

    def _equipment(self) -> None:
        for case in self.data["equipment"]:
            case_id = self._insert_item(case, kit_id=None)
            self.kits[case["key"]] = [case_id] + [
                self._insert_item(item, kit_id=case_id) for item in case["contents"]
            ]
        for flag in self.data["flags"]:
            changes = {"flag": flag["flag"], "notes": flag["notes"]}
            change_item(self.tx, self.ids[flag["item"]], changes)

    def _insert_item(self, spec: dict[str, Any], kit_id: str | None) -> str:
        fields = {k: spec[k] for k in ("name", "category", "serial", "value_minor")}
        item_id = insert_item(self.tx, {**fields, "currency": self.currency, "kit_id": kit_id})
        if "key" in spec:
            self.ids[spec["key"]] = item_id
        return item_id

    def _custody(self) -> None:
        """Events as the custody service records them; a case's event covers its kit."""
        for event in self.data["custody"]:
            fields: dict[str, Any] = {
                "person_id": self.ids[event["person"]],
                "at": self.moment(event["day"], event["at"]),
                "production_id": self.production_id,
                "condition": event.get("condition", ""),
                "note": event.get("note", ""),
            }
            if "due" in event:
                fields["due_at"] = self.moment(*event["due"])
            for item_id in self.kits.get(event["item"], [self.ids[event["item"]]]):
                add_event(self.tx, item_id, event["action"], **fields)

    def _money(self) -> None:
        for line in self.data["budget"]:
            fields = {k: line[k] for k in ("category", "allocated_minor")}
            fields |= {"production_id": self.production_id, "currency": self.currency}
            self._insert("budget_lines", fields, line["key"])
        for cash in self.data["floats"]:
            self._insert(
                "expenses",
                float_issue_fields(
                    self.production_id,
                    self.ids[cash["person"]],
                    cash["amount_minor"],
                    self.currency,
                    self.day(cash["day"]),
                    cash["note"],
                ),
            )
        for spec in self.data["expenses"]:
            receipt = self.receipts[spec["key"]]
            fields = {
                "production_id": self.production_id,
                "amount_minor": sum(amount for _, amount in spec["lines"]),
                "currency": spec.get("currency", self.currency),
                "spent_on": self.day(spec["day"]),
                "vendor": spec["vendor"],
                "budget_line_id": self.ids[spec["line"]],
                "payment_method": spec["method"],
                "paid_by": self.ids[spec["paid_by"]],
                "note": spec["note"],
                "receipt": receipt,
                "status": spec["status"],
            }
            self._insert("expenses", fields)
            self.tx.queue_blob(receipt)
