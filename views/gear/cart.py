"""Scan-to-cart check-out: choose the person and due time once, scan many, confirm once.

Every new cart starts with nobody chosen, so gear is never booked to the previous
borrower by a tap on "Check out" that skipped the picker."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app.cart import CheckoutCart
from app.custody import CustodyError
from views.gear.cartview import CartView
from views.gear.common import NO_DUE, due_choices, due_picker, person_picker

if TYPE_CHECKING:
    from views.gear.screen import GearScreen

class CheckoutView(CartView):
    title = "Scan out"
    verb = "Check out"
    icon = ft.Icons.OUTBOND

    def __init__(self, screen: GearScreen) -> None:
        self.checkout = CheckoutCart(screen.ctx.store, "", production_id=screen.ctx.production_id)
        self.choices = due_choices(screen.ctx)
        super().__init__(screen, self.checkout)

    def header(self) -> list[ft.Control]:
        self.person = person_picker(self.names, label="Check out to")
        self.due = due_picker(self.choices)
        return [ft.Row([self.person, self.due], spacing=8)]

    def commit(self) -> str:
        person_id = self.person.value
        if not person_id or person_id not in self.names:
            raise CustodyError("Choose who takes the gear first.")
        self.checkout.person_id = person_id
        self.checkout.due_at = self.choices[self.due.value or NO_DUE][1]
        count = len(self.checkout.confirm(at=self.ctx.now()))
        return f"Checked out {count} item{'s' * (count != 1)} to {self.names[person_id]}"
