"""One expense in full: its receipt, its facts, and the next steps of its workflow.

Only the steps :data:`app.expenses.TRANSITIONS` allows from the current status are
offered; the service still has the last word (another device may have moved the
expense meanwhile), and its refusal is shown as it words it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.expenses import (
    APPROVED,
    DRAFT,
    REIMBURSED,
    REJECTED,
    SUBMITTED,
    TRANSITIONS,
    ExpenseError,
    delete_draft,
    set_status,
)
from app.money import format_amount
from sync import current_pairing
from sync.wire import COORDINATOR_EXPENSE_STATUSES
from views.context import AppContext
from views.expenses.form import ExpenseForm
from views.expenses.listing import Names
from views.expenses.receipt import ON_ITS_WAY, show_receipt, thumbnail_bytes, when_photo_arrives
from views.expenses.style import STATUS_LABELS, payment_label, status_badge
from views.widgets import show_error, show_message

STEP_LABELS = {
    (DRAFT, SUBMITTED): "Submit",
    (SUBMITTED, APPROVED): "Approve",
    (SUBMITTED, REJECTED): "Reject",
    (SUBMITTED, DRAFT): "Withdraw to draft",
    (APPROVED, REIMBURSED): "Mark reimbursed",
    (REJECTED, DRAFT): "Reopen as draft",
}


def next_steps(expense: dict[str, Any], decides: bool = True) -> list[tuple[str, str]]:
    """(status, button label) for each step offered; reimbursing only personal spend.

    ``decides`` is False on a crew device: approving, rejecting and reimbursing are the
    coordinator's, and the server refuses them from crew devices."""
    allowed = TRANSITIONS.get(expense["status"], frozenset())
    return [
        (new, label)
        for (old, new), label in STEP_LABELS.items()
        if old == expense["status"]
        and new in allowed
        and (new != REIMBURSED or expense["payment_method"] == "personal")
        and (decides or new not in COORDINATOR_EXPENSE_STATUSES)
    ]


def decides_expenses(ctx: AppContext) -> bool:
    """Whether this device approves expenses: a coordinator's, or one never paired."""
    pairing = current_pairing(ctx.store)
    return pairing is None or pairing.role == "coordinator"


class ExpenseDetail:
    """The expense in a dialog; ``on_change`` runs after a step, an edit or a delete."""

    def __init__(
        self,
        ctx: AppContext,
        expense: dict[str, Any],
        names: Names,
        *,
        on_change: Callable[[], None],
    ) -> None:
        self.ctx, self.expense, self.on_change = ctx, expense, on_change
        sha = expense["receipt"]
        self.thumb = ft.Container(
            width=120,
            height=120,
            border_radius=8,
            alignment=ft.Alignment.CENTER,
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            content=ft.Icon(
                ft.Icons.RECEIPT_LONG_OUTLINED if sha else ft.Icons.HIDE_IMAGE_OUTLINED,
                color=ft.Colors.OUTLINE,
            ),
        )
        facts = [
            ("Date", expense["spent_on"]),
            ("Budget line", names.line(expense["budget_line_id"])),
            ("Payment", payment_label(expense["payment_method"])),
            ("Paid by", names.person(expense["paid_by"])),
            ("Note", expense["note"]),
        ]

        async def view_receipt(_: ft.Event[ft.TextButton]) -> None:
            await show_receipt(ctx, sha)

        self.on_its_way = ft.Text(ON_ITS_WAY, color=ft.Colors.ON_SURFACE_VARIANT, visible=False)
        receipt: list[ft.Control] = (
            [
                self.thumb,
                self.on_its_way,
                ft.TextButton("View receipt", icon=ft.Icons.ZOOM_IN, on_click=view_receipt),
            ]
            if sha
            else [ft.Text("No receipt photo", color=ft.Colors.ON_SURFACE_VARIANT)]
        )
        self.dialog = ft.AlertDialog(
            title=ft.Text(expense["vendor"] or "Expense"),
            scrollable=True,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(
                                format_amount(expense["amount_minor"], expense["currency"]),
                                theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                                expand=True,
                            ),
                            status_badge(expense["status"]),
                        ]
                    ),
                    *receipt,
                    *(_fact(label, value) for label, value in facts if value),
                    ft.Row(self._steps(), wrap=True, spacing=8, run_spacing=8),
                ],
                tight=True,
                spacing=8,
                width=420,
            ),
            actions=[ft.TextButton("Close", on_click=lambda _: ctx.page.pop_dialog())],
        )

    async def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)
        sha = self.expense["receipt"]
        if sha and not await self._show_thumbnail():
            # Taken on another device and not fetched yet: show it the moment it is.
            self.on_its_way.visible = True
            self.dialog.update()
            when_photo_arrives(self.ctx, sha, self._show_thumbnail, lambda: self.dialog.open)

    async def _show_thumbnail(self) -> bool:
        thumb = await thumbnail_bytes(self.ctx, self.expense["receipt"])
        if not thumb:
            return False
        self.thumb.content = ft.Image(
            src=thumb, width=120, height=120, fit=ft.BoxFit.COVER, border_radius=8,
            semantics_label="Receipt photo",
        )
        self.on_its_way.visible = False
        if self.dialog.open:
            self.dialog.update()
        return True

    def _steps(self) -> list[ft.Control]:
        """Workflow buttons in the content, where they wrap on a phone; the dialog's own
        action bar stacks overflowing buttons into a ragged column."""
        steps: list[ft.Control] = [
            ft.Button(content=label, on_click=self._move_to(status))
            for status, label in next_steps(self.expense, decides_expenses(self.ctx))
        ]
        if self.expense["status"] == DRAFT:
            steps += [
                ft.OutlinedButton(content="Edit", icon=ft.Icons.EDIT_OUTLINED, on_click=self._edit),
                ft.TextButton("Delete", icon=ft.Icons.DELETE_OUTLINE, on_click=self._delete),
            ]
        return steps

    def _move_to(self, status: str) -> Callable[[ft.Event[ft.Button]], None]:
        def move(_: ft.Event[ft.Button]) -> None:
            self._apply(
                lambda: set_status(self.ctx.store, self.expense["id"], status),
                f"{self.expense['vendor'] or 'Expense'}: {STATUS_LABELS[status].lower()}",
            )

        return move

    def _delete(self, _: ft.Event[ft.TextButton]) -> None:
        self._apply(lambda: delete_draft(self.ctx.store, self.expense["id"]), "Draft deleted")

    async def _edit(self, _: ft.Event[ft.OutlinedButton]) -> None:
        self.ctx.page.pop_dialog()
        await ExpenseForm(self.ctx, self.expense, on_saved=self.on_change).open()

    def _apply(self, change: Callable[[], None], done: str) -> None:
        try:
            change()
        except ExpenseError as error:
            show_error(self.ctx.page, str(error))
            return
        self.ctx.page.pop_dialog()
        show_message(self.ctx.page, done)
        self.on_change()


def _fact(label: str, value: str) -> ft.Control:
    return ft.Row(
        [ft.Text(label, width=96, color=ft.Colors.ON_SURFACE_VARIANT), ft.Text(value, expand=True)],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
