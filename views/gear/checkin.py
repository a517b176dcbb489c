"""Scanned check-in: scan what comes back, note each item's condition, confirm once.

Everything comes back "good" unless someone says otherwise, so the common case is scan,
scan, scan, confirm. Marking an item damaged records a damage event with the note and
can send it for repair in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app.cart import ReturnCart
from app.custody import CONDITIONS
from views.gear.cartview import CartView
from views.widgets import choice

if TYPE_CHECKING:
    from views.gear.screen import GearScreen


class CheckinView(CartView):
    title = "Check in"
    verb = "Check in"
    icon = ft.Icons.ASSIGNMENT_RETURN

    def __init__(self, screen: GearScreen) -> None:
        self.returns = ReturnCart(screen.ctx.store)
        super().__init__(screen, self.returns)

    def line(self, item: dict[str, Any]) -> ft.Control:
        back = self.returns.returned(item["id"])
        item_id = item["id"]
        condition = choice(
            "Condition", back.condition, {c: c.capitalize() for c in CONDITIONS},
            dense=True, width=150,
            on_select=lambda e: self._describe_item(item_id, condition=e.control.value),
        )
        # The note is kept as it is typed and redraws nothing: a redraw on leaving the
        # field would swallow the tap (on "Send for repair") that took the focus away.
        note = ft.TextField(
            label="Note", value=back.note, dense=True, expand=True,
            on_change=lambda e: self._note(item_id, e.control.value or ""),
            on_blur=lambda e: self._note(item_id, e.control.value or ""),
        )
        repair = ft.Checkbox(
            label="Send for repair", value=back.flag_repair,
            visible=back.condition == "damaged",
            on_change=lambda e: self._describe_item(item_id, flag_repair=bool(e.control.value)),
        )
        return ft.Card(content=ft.Container(padding=8, content=ft.Column(tight=True, spacing=4,
            controls=[
                ft.Row([ft.Text(item["name"], expand=True, weight=ft.FontWeight.W_500),
                        self.remove_button(item)]),
                ft.Row([condition, note], spacing=8),
                repair,
            ])))  # fmt: skip

    def _note(self, item_id: str, note: str) -> None:
        back = self.returns.returned(item_id)
        self.returns.set_condition(item_id, back.condition, note=note)

    def _describe_item(self, item_id: str, **details: Any) -> None:
        back = self.returns.returned(item_id)
        condition = details.pop("condition", back.condition)
        if condition != "damaged":
            details["flag_repair"] = False
        self.returns.set_condition(item_id, condition, **details)
        self.refresh()

    def commit(self) -> str:
        damaged = sum(self.returns.returned(i).condition == "damaged"
                      for i in self.returns.item_ids)
        count = len(self.returns.confirm(at=self.ctx.now()))
        extra = f", {damaged} damaged" if damaged else ""
        return f"Checked in {count} item{'s' * (count != 1)}{extra}"
