"""Typing money: an amount field read with :func:`app.money.parse_amount`, and a currency
picker. Shared by the expense form and the petty-cash float form.

The field never guesses: "12,50" and "€ 12.50" are read for the chosen currency, and
anything ambiguous shows the parser's message under the field, where the eye already is.

The amount is read when the form is saved, never when the field loses focus: the tap
that takes the focus away is usually the one on Save, and an error appearing or going
under the field then moves Save while that tap is still being delivered (a browser
holds a tap back for up to 200 ms to tell it from a screen reader's click), so the tap
would land beside the button and be lost.
"""

from __future__ import annotations

import flet as ft

from app.money import CURRENCY_EXPONENTS, MoneyError, format_amount, parse_amount
from views.widgets import ERROR_LINES, choice


class AmountInput:
    """An amount field and the currency it is read in."""

    def __init__(self, currency: str, *, minor: int | None = None, label: str = "Amount") -> None:
        self.field = ft.TextField(
            label=label,
            value=format_amount(minor, currency).rsplit(" ", 1)[0] if minor else "",
            hint_text="e.g. 12,50",
            keyboard_type=ft.KeyboardType.NUMBER,
            error_max_lines=ERROR_LINES,  # the parser's messages quote what was typed
            expand=True,
        )
        self.currency = choice(
            "Currency",
            currency,
            {code: code for code in _codes(currency)},
            width=130,
            menu_height=320,
        )

    def row(self) -> ft.Control:
        return ft.Row([self.field, self.currency], vertical_alignment=ft.CrossAxisAlignment.START)

    def peek(self) -> int | None:
        """The amount in minor units if what is typed reads as one; nothing is shown."""
        try:
            return parse_amount(self.field.value or "", self.currency.value or "")
        except MoneyError:
            return None

    def read(self) -> int | None:
        """The amount in minor units, or None with the reason shown under the field."""
        try:
            minor = parse_amount(self.field.value or "", self.currency.value or "")
        except MoneyError as error:
            self.field.error = str(error)
            return None
        self.field.error = None
        return minor


def _codes(first: str) -> list[str]:
    """Every currency code, the production's own first (it is the usual choice)."""
    return [first, *sorted(code for code in CURRENCY_EXPONENTS if code != first)]
