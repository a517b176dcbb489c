"""Reading a receipt photo in the expense form: "Reading the receipt…", then what it found.

The OCR runs on a worker thread (:func:`app.receipts.engine.read_receipt`), so the form
stays responsive; on a device without the OCR extra, the form says so once and capture
works as before.
"""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.receipts import engine
from app.receipts.locale import day_first
from app.receipts.reading import ReceiptReading
from views.context import AppContext

READING = "Reading the receipt…"
READ = "Read from the receipt: check the proposed fields."
KEPT = "Receipt read; the fields you filled in are kept as they are."
NOTHING_FOUND = "Nothing to propose from this receipt; type its amount, date and vendor."


class ReceiptReader:
    """A progress bar and a line of status under the receipt photo."""

    def __init__(self, ctx: AppContext, *, currency: str, today: str) -> None:
        self.ctx, self.currency, self.today = ctx, currency, today
        self.bar = ft.ProgressBar(visible=False, border_radius=4)
        self.status = ft.Text(visible=False, size=12, color=ft.Colors.ON_SURFACE_VARIANT)
        self.control = ft.Column([self.bar, self.status], spacing=4, tight=True)

    async def read(self, photo: bytes) -> ReceiptReading | None:
        """The reading of ``photo``, or None (with the reason shown) when there is none."""
        if not engine.available():
            self._say(engine.NOT_AVAILABLE)
            return None
        self.bar.visible = True
        self._say(READING)
        production = self.ctx.production() or {}
        reading = await engine.read_receipt(
            photo,
            currency=self.currency,
            day_first=day_first(production),
            today=dt.date.fromisoformat(self.today),
        )
        self.bar.visible = False
        found = reading.total_minor or reading.spent_on or reading.vendor
        if reading.error or not found:
            self._say(reading.error or NOTHING_FOUND)
            return None
        return reading

    def proposed(self, count: int) -> None:
        """Say how the reading went once the form has used it (``count`` fields filled)."""
        self.status.value, self.status.visible = (READ if count else KEPT), True

    def _say(self, text: str) -> None:
        self.status.value, self.status.visible = text, True
        self.control.update()

