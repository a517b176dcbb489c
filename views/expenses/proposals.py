"""Fields the receipt reading filled in, each marked "Proposed" until the person decides.

Nothing read from a receipt is taken silently: a proposal only goes into an empty field,
the field shows that it came from the receipt, and one tap keeps it or clears it. What
was proposed and which of those the person then changed are saved with the expense, so
how well receipts are read in the field can be measured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import flet as ft

from views.widgets import labelled_icon_button


@dataclass
class _Proposal:
    value: Any
    mark: ft.Control
    clear: Callable[[], None]


class Proposals:
    """The proposed fields of one form and the marks shown under them."""

    def __init__(self) -> None:
        self._proposals: dict[str, _Proposal] = {}
        self._marks: dict[str, ft.Row] = {}

    def mark(self, name: str, label: str) -> ft.Row:
        """The hidden "Proposed from the receipt" line to place under the field ``name``."""
        row = ft.Row(
            [
                ft.Icon(ft.Icons.AUTO_AWESOME_OUTLINED, size=16, color=ft.Colors.PRIMARY),
                ft.Text(
                    "Proposed from the receipt", size=12, color=ft.Colors.PRIMARY, expand=True
                ),
                labelled_icon_button(
                    ft.Icons.CHECK, f"Keep the proposed {label}", lambda _: self.keep(name)
                ),
                labelled_icon_button(
                    ft.Icons.CLOSE, f"Clear the proposed {label}", lambda _: self.clear(name)
                ),
            ],
            spacing=4,
            visible=False,
        )
        self._marks[name] = row
        return row

    def propose(
        self, name: str, value: Any, fill: Callable[[], None], clear: Callable[[], None]
    ) -> None:
        """Fill the field (``fill``) and mark it; ``clear`` empties it again on request."""
        fill()
        self._proposals[name] = _Proposal(value, self._marks[name], clear)
        self._marks[name].visible = True

    def pending(self) -> list[str]:
        """Proposed fields the person has neither kept nor cleared yet."""
        return [name for name, p in self._proposals.items() if p.mark.visible]

    def proposed(self) -> bool:
        return bool(self._proposals)

    def touched(self, name: str) -> None:
        """The person edited the field: its value is theirs now, the mark goes."""
        if name in self._marks:
            self._marks[name].visible = False

    def keep(self, name: str) -> None:
        self._marks[name].visible = False

    def clear(self, name: str) -> None:
        self._proposals[name].clear()
        self._marks[name].visible = False

    def record(self, saved: Mapping[str, Any]) -> dict[str, list[str]]:
        """``proposed_fields`` and ``changed_fields`` for the expense as it is saved."""
        proposed = sorted(self._proposals)
        changed = [name for name in proposed if saved.get(name) != self._proposals[name].value]
        return {"proposed_fields": proposed, "changed_fields": changed}
