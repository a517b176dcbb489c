"""The expense form's possible-duplicate warning: shown as soon as it is known, and a
first tap on Save only warns; the second ("Save anyway") records the expense."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import flet as ft

from app.money import format_amount
from app.receipts.duplicates import possible_duplicates

SAVE_ANYWAY = "Save anyway"


class DuplicateWarning:
    def __init__(self, save: ft.Button) -> None:
        self.save = save
        self.confirmed = False
        self.control = ft.Text(color=ft.Colors.ERROR, visible=False)

    def check(self, candidate: Mapping[str, Any], expenses: Iterable[Mapping[str, Any]],
              *, saving: bool) -> bool:
        """Show any expense ``candidate`` may duplicate; True when saving must wait for
        the second tap."""
        others = possible_duplicates(candidate, expenses)
        if not others:
            self.control.visible = False
            return False
        other = others[0]
        amount = format_amount(other["amount_minor"], other["currency"])
        what = f"{other['vendor'] or 'An expense'}, {amount} on {other['spent_on']}"
        same_photo = bool(candidate.get("receipt")) and other.get("receipt") == candidate["receipt"]
        how = "has the same receipt photo" if same_photo else "has the same total, date and vendor"
        self.control.value, self.control.visible = f"Possible duplicate: {what} {how}.", True
        if not saving or self.confirmed:
            return False
        self.confirmed = True
        self.control.value += f" Tap {SAVE_ANYWAY} to record it too."
        self.save.content = SAVE_ANYWAY
        return True
