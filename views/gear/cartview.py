"""What scan-to-cart check-out and scanned check-in share: scan, see, remove, confirm once.

A cart (``app.cart``) only collects until it is confirmed, so a crew member can scan a
whole trolley, read the warnings (already out, unknown code, a case that brought its
contents), take out what should not go, and record everything in one transaction.
Each scan's outcome is listed above the cart, newest first, so a burst of scans from a
hardware scanner still shows every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flet as ft

from app.cart import CheckoutCart, ReturnCart, ScanResult
from app.custody import Custody
from app.equipment import find_by_code
from views.gear.common import back_bar
from views.gear.rows import STATUS_LABELS, holder_names, people_names
from views.gear.scan import ScanInput
from views.widgets import show_error, show_message

if TYPE_CHECKING:
    from views.gear.screen import GearScreen

MAX_FEEDBACK = 4
REGISTER = "Register this label"


@dataclass(frozen=True)
class Feedback:
    """One line of scan feedback; ``problem`` lines are drawn as warnings."""

    text: str
    problem: bool = False
    unknown_code: str | None = None


class CartView:
    """The shared body of the check-out and check-in views; subclasses say how to commit."""

    title = ""
    verb = ""
    icon = ft.Icons.CHECK

    def __init__(self, screen: GearScreen, cart: CheckoutCart | ReturnCart) -> None:
        self.screen = screen
        self.ctx = screen.ctx
        self.cart = cart
        self.names = people_names(self.ctx.store, self.ctx.production_id)
        self.scan = ScanInput(self.ctx, self.add_code)
        self.feedback: list[Feedback] = []
        self.feedback_column = ft.Column(spacing=4)
        self.lines = ft.ListView(expand=True, spacing=4)
        self.confirm_button = ft.FilledButton(icon=self.icon, on_click=self._confirm,
                                              height=52, expand=True)
        self.control = ft.Container(
            expand=True, padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            content=ft.Column(expand=True, spacing=8, controls=[
                back_bar(self.title, self._leave), *self.header(), self.scan.control,
                self.feedback_column, self.lines,
                ft.Row([self.confirm_button]),
            ]))
        self.refresh()

    def header(self) -> list[ft.Control]:
        """Controls above the scan field (who takes the gear, when it is due)."""
        return []

    def commit(self) -> str:
        """Confirm the cart; return the confirmation to show (raise ValueError to refuse)."""
        raise NotImplementedError

    def line(self, item: dict[str, Any]) -> ft.Control:
        """One item in the cart; the check-in view adds its condition and note."""
        return ft.ListTile(
            title=ft.Text(item["name"], max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
            subtitle=ft.Text(item["category"] or item["serial"]),
            trailing=self.remove_button(item),
        )

    def remove_button(self, item: dict[str, Any]) -> ft.Control:
        return ft.IconButton(ft.Icons.REMOVE_CIRCLE_OUTLINE, tooltip=f"Remove {item['name']}",
                             on_click=lambda _, i=item["id"]: self._remove(i))

    def add_code(self, code: str) -> None:
        result = self.cart.scan(code)
        self.feedback[:0] = self._describe(result)
        del self.feedback[MAX_FEEDBACK:]
        self.refresh()

    def refresh(self) -> None:
        items = [self.ctx.store.get("equipment", i) for i in self.cart.item_ids]
        self.lines.controls = [self.line(item) for item in items if item] or [ft.Text(
            "Nothing in the cart yet. Scan a label, or type its code and press Enter. "
            "Scanning a case adds everything in it.", color=ft.Colors.ON_SURFACE_VARIANT)]
        count = len(self.cart.item_ids)
        self.confirm_button.content = f"{self.verb} {count} item{'s' * (count != 1)}"
        self.confirm_button.disabled = count == 0
        self.feedback_column.controls = [self._feedback_row(f) for f in self.feedback]

    def _name(self, item_id: str) -> str:
        item = self.ctx.store.get("equipment", item_id)
        return item["name"] if item else "An item"

    def _why(self, state: Custody) -> str:
        if state.holder_id:
            holders = holder_names(self.ctx.store, self.ctx.production_id)
            return f"is already out with {holders.get(state.holder_id, 'someone')}"
        if state.in_store:
            return "is not checked out"
        return f"is {STATUS_LABELS[state.status].lower()}"

    def _describe(self, result: ScanResult) -> list[Feedback]:
        if result.unknown:
            return [Feedback(f"Unknown code {result.code}", True, result.code)]
        lines = [Feedback(f"{self._name(s.item_id)} {self._why(s)}", True) for s in result.refused]
        if len(result.added) > 1:
            scanned = find_by_code(self.ctx.store, result.code)
            kit = scanned["name"] if scanned else "Kit"
            lines.insert(0, Feedback(f"{kit}: kit added with {len(result.added)} items"))
        elif result.added:
            lines.insert(0, Feedback(f"Added {self._name(result.added[0])}"))
        elif result.duplicates and not result.refused:
            lines.append(Feedback(f"{self._name(result.duplicates[0])} is already in the cart"))
        return lines

    def _feedback_row(self, feedback: Feedback) -> ft.Control:
        color = ft.Colors.ERROR if feedback.problem else ft.Colors.GREEN_800
        icon = ft.Icons.WARNING_AMBER if feedback.problem else ft.Icons.CHECK
        row: list[ft.Control] = [
            ft.Icon(icon, color=color, size=20),
            ft.Text(feedback.text, color=color, expand=True),
        ]
        if feedback.unknown_code is not None:
            row.append(ft.TextButton(REGISTER, on_click=lambda _, c=feedback.unknown_code:
                                     self._register(c)))
        return ft.Row(row, spacing=8)

    def _register(self, code: str) -> None:
        from views.gear.register import register_label

        register_label(self.ctx, code, on_done=lambda _: self._registered(code))

    def _registered(self, code: str) -> None:
        self.feedback = [f for f in self.feedback if f.unknown_code != code]
        self.add_code(code)

    def _remove(self, item_id: str) -> None:
        self.cart.remove(item_id)
        self.refresh()

    def _leave(self, _: Any = None) -> None:
        """The back arrow: an empty cart closes at once; scanned items are only dropped
        once the person says so."""
        count = len(self.cart.item_ids)
        if count == 0:
            self._close()
            return
        items = f"{count} scanned item{'s' * (count != 1)}"

        def discard(_: Any) -> None:
            self.ctx.page.pop_dialog()
            self._close()
            self.ctx.page.update()  # closing the dialog used up the handler's auto-update

        self.ctx.page.show_dialog(ft.AlertDialog(
            title=ft.Text(f"Discard {items}?"),
            content=ft.Text(f"Nothing is recorded until you tap \u201c{self.verb}\u201d. "
                            "Going back empties the cart."),
            actions=[ft.TextButton("Keep scanning", on_click=lambda _: self.ctx.page.pop_dialog()),
                     ft.FilledButton("Discard", icon=ft.Icons.DELETE_OUTLINE, on_click=discard)],
        ))  # fmt: skip

    def _close(self) -> None:
        """Back to the list; the live camera stops streaming."""
        self.ctx.page.run_task(self.scan.close)
        self.screen.back()

    def _confirm(self, _: Any) -> None:
        try:
            message = self.commit()
        except ValueError as refusal:
            show_error(self.ctx.page, str(refusal))
            return
        show_message(self.ctx.page, message)
        self._close()
        self.ctx.page.update()  # showing the message used up the handler's auto-update
