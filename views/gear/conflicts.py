"""Custody conflicts: an item checked out twice, on two devices offline, to two people.

Only a person can know who really has it, so the app lists each conflict with the two
competing check-outs and one button per answer ("Lea has it", "Kenji has it", "Back in
store"). The answer is recorded as an audit by whoever resolves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app.custody import Conflict, conflicts
from app.custody_actions import resolve_conflict
from views.gear.common import back_bar, person_picker
from views.gear.rows import people_names, when, zone_of
from views.widgets import empty_state, show_error, show_message

if TYPE_CHECKING:
    from views.gear.screen import GearScreen


class ConflictsView:
    def __init__(self, screen: GearScreen) -> None:
        self.screen = screen
        self.ctx = screen.ctx
        self.names = people_names(self.ctx.store, self.ctx.production_id)
        self.resolver = person_picker(self.names, label="Resolved by (you)")
        self.list = ft.ListView(expand=True, spacing=8)
        self.control = ft.Container(
            expand=True, padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            content=ft.Column(expand=True, spacing=8, controls=[
                back_bar("Custody conflicts", screen.back),
                ft.Text("Each item below was checked out to two people while devices were "
                        "offline. Say who really has it."),
                ft.Row([self.resolver]), self.list,
            ]))
        self.refresh()

    def refresh(self) -> None:
        found = conflicts(self.ctx.store)
        self.list.controls = [self._card(c) for c in found] or [empty_state(
            ft.Icons.VERIFIED, "No custody conflicts. Every item has one holder.")]

    def _card(self, conflict: Conflict) -> ft.Control:
        item = self.ctx.store.get("equipment", conflict.item_id) or {"name": "An item"}
        zone = zone_of(self.ctx.store, self.ctx.production_id)
        lines, answers = [], []
        for event in conflict.competing:
            name = self.names.get(event.get("person_id") or "", "Someone")
            lines.append(ft.Text(f"Checked out to {name} · {when(event['at'], zone)}"))
            answers.append(ft.OutlinedButton(content=f"{name} has it", on_click=lambda _, p=event[
                "person_id"], i=conflict.item_id: self._resolve(i, p)))
        answers.append(ft.TextButton("Back in store",
                                     on_click=lambda _, i=conflict.item_id: self._resolve(i, None)))
        return ft.Card(content=ft.Container(padding=12, content=ft.Column(tight=True, controls=[
            ft.Text(item["name"], theme_style=ft.TextThemeStyle.TITLE_MEDIUM), *lines,
            ft.Row(answers, wrap=True, spacing=8),
        ])))

    def _resolve(self, item_id: str, holder_id: str | None) -> Any:
        if not self.resolver.value:
            show_error(self.ctx.page, "Choose who you are (Resolved by) first.")
            return
        try:
            resolve_conflict(self.ctx.store, item_id, holder_id=holder_id,
                             resolved_by=self.resolver.value, at=self.ctx.now())
        except ValueError as refusal:
            show_error(self.ctx.page, str(refusal))
            return
        show_message(self.ctx.page, "Conflict resolved")
        self.refresh()
        self.ctx.page.update()  # showing the message used up the handler's auto-update
