"""One item: where it is now, what is in it, everything that happened to it, and actions.

The custody history is the item's log, newest first: who took it, handed it over,
brought it back (in what condition), reported damage, repaired or audited it. The
actions offered follow from its status, so a person never meets a button that can only
be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app.custody import IN_STORE, custody_of, history
from app.equipment import kit_contents, short_code
from app.money import format_amount
from views.gear import actions
from views.gear.common import back_bar, status_icon
from views.gear.rows import STATUS_LABELS, GearRow, due_text, holder_names, when, zone_of
from views.widgets import section_header

if TYPE_CHECKING:
    from views.gear.screen import GearScreen

ACTION_WORDS = {
    "check_out": "Checked out to",
    "check_in": "Checked in by",
    "transfer": "Handed over to",
    "damage": "Damage reported by",
    "repair": "Repair recorded by",
    "audit": "Seen by",
}


class ItemDetail:
    def __init__(self, screen: GearScreen, item_id: str) -> None:
        self.screen = screen
        self.ctx = screen.ctx
        self.item_id = item_id
        self.control = ft.Container(expand=True, padding=ft.Padding.symmetric(horizontal=12))
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store
        item = store.get("equipment", self.item_id)
        if item is None:  # deleted by a sync while open
            self.control.content = ft.Column([back_bar("Item removed", self.screen.back)])
            return
        names = holder_names(store, self.ctx.production_id)
        state = custody_of(store, self.item_id)
        row = GearRow(item, state, names.get(state.holder_id or "", ""), short_code(item))
        zone = zone_of(store, self.ctx.production_id)
        events = list(reversed(history(store, self.item_id)))
        self.control.content = ft.Column(expand=True, spacing=8, controls=[
            back_bar(item["name"], self.screen.back),
            ft.ListView(expand=True, spacing=4, controls=[
                self._status(row, zone),
                self._facts(item, store),
                ft.Row(self._actions(item, state.status, state.holder_id), wrap=True,
                       spacing=8, run_spacing=8),
                *self._contents(item["id"]),
                section_header("Custody history"),
                *([self._event(e, names, zone) for e in events] or [ft.Text(
                    "Nothing recorded yet.", color=ft.Colors.ON_SURFACE_VARIANT)]),
            ]),
        ])

    def _status(self, row: GearRow, zone: Any) -> ft.Control:
        overdue = row.custody.is_overdue(self.ctx.now())
        return ft.Card(content=ft.Container(padding=12, content=ft.Row([
            status_icon(row.custody.status),
            ft.Column(tight=True, expand=True, spacing=2, controls=[
                ft.Text(STATUS_LABELS[row.custody.status],
                        theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                ft.Text(self._whereabouts(row, zone), color=ft.Colors.ERROR if overdue
                        else ft.Colors.ON_SURFACE_VARIANT),
            ]),
        ])))

    def _whereabouts(self, row: GearRow, zone: Any) -> str:
        """Under the status word: who has it since when, and when it is due back."""
        custody = row.custody
        if not custody.holder_id:
            return "In store" if custody.in_store else "Not checked out"
        since = f" since {when(custody.since, zone)}" if custody.since else ""
        due = due_text(custody, zone, self.ctx.now())
        return f"With {row.holder or 'someone'}{since}" + (f" · {due}" if due else "")

    def _facts(self, item: dict[str, Any], store: Any) -> ft.Control:
        facts = [("Code", short_code(item)), ("Category", item["category"]),
                 ("Serial", item["serial"])]
        if item["value_minor"]:
            facts.append(("Value", format_amount(item["value_minor"], item["currency"])))
        case = store.get("equipment", item["kit_id"]) if item["kit_id"] else None
        if case:
            facts.append(("Inside", case["name"]))
        if item["notes"]:
            facts.append(("Notes", item["notes"]))
        return ft.Column(spacing=2, controls=[
            ft.Row([ft.Text(label, width=80, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(value, expand=True, selectable=True)])
            for label, value in facts if value
        ])

    def _actions(self, item: dict[str, Any], status: str, holder: str | None) -> list[ft.Control]:
        def button(label: str, icon: ft.IconData, act: Callable[..., None],
                   primary: bool = False) -> ft.Control:
            kind = ft.FilledButton if primary else ft.OutlinedButton
            return kind(content=label, icon=icon,
                        on_click=lambda _: act(self.ctx, item, self.refresh))

        found: list[ft.Control] = []
        if holder:
            found += [button("Check in", ft.Icons.ASSIGNMENT_RETURN, actions.check_in, True),
                      button("Transfer", ft.Icons.SWAP_HORIZ, actions.transfer)]
        elif status in IN_STORE:
            found.append(button("Check out", ft.Icons.OUTBOND, actions.check_out, True))
        if status in ("repair", "damaged"):
            found.append(button("Repair done", ft.Icons.BUILD, actions.repair_done))
        found += [button("Report damage", ft.Icons.REPORT_PROBLEM, actions.report_damage),
                  button("Flag", ft.Icons.FLAG, actions.flag),
                  button("Audit", ft.Icons.FACT_CHECK, actions.audit)]
        return found

    def _contents(self, item_id: str) -> list[ft.Control]:
        inside = kit_contents(self.ctx.store, item_id)
        if not inside:
            return []
        tiles = [ft.ListTile(
            leading=status_icon(custody_of(self.ctx.store, child["id"]).status),
            title=ft.Text(child["name"]), dense=True,
            on_click=lambda _, i=child["id"]: self.screen.open(ItemDetail(self.screen, i)),
        ) for child in inside]
        return [section_header(f"Kit contents ({len(inside)})"), *tiles]

    def _event(self, event: dict[str, Any], names: dict[str, str], zone: Any) -> ft.Control:
        words = ACTION_WORDS.get(event["action"], event["action"])
        who = names.get(event.get("person_id") or "", "")
        if not who:  # an event with no person: "Repair recorded", not "Repair recorded by"
            words = words.rsplit(" ", 1)[0]
        details = [when(event["at"], zone)]
        if event.get("condition"):
            details.append(event["condition"].capitalize())
        if event.get("due_at"):
            details.append(f"due {when(event['due_at'], zone)}")
        if event.get("note"):
            details.append(event["note"])
        return ft.ListTile(
            dense=True,
            title=ft.Text(f"{words} {who}".strip()),
            subtitle=ft.Text(" · ".join(details)),
            trailing=ft.Icon(ft.Icons.PHOTO, tooltip="Photo attached") if event.get("photo")
            else None,
        )
