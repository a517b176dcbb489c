"""Choosing a day on a calendar: Flet's DatePicker, read back as the day that was tapped.

Days travel between Python and the device as instants in UTC. The picker reports the
tapped day as midnight on the device's clock, so in Tokyo 15 June arrives as 14 June
15:00 UTC and in Los Angeles as 15 June 08:00 UTC. Seen in the production's zone and
rounded to the nearest midnight, that instant is the tapped day on any device whose
clock is less than 12 hours from the production's zone; the day shown first is sent as
noon in the production's zone for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from views.context import AppContext
from views.widgets import labelled_icon_button


def picked_day(value: datetime, zone: ZoneInfo) -> str:
    """The calendar day a person tapped, from the instant the picker reported."""
    local = value.astimezone(zone) if value.tzinfo else value
    return (local + timedelta(hours=12)).date().isoformat()


def noon(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(12), zone)


def pick_day(
    ctx: AppContext,
    day: str,
    zone: ZoneInfo,
    on_pick: Callable[[str], None],
    *,
    today: str,
    help_text: str = "Choose a day",
) -> None:
    """Open a calendar on ``day``; ``on_pick(day)`` runs with the day chosen, if any."""

    def chosen(e: ft.Event[ft.DatePicker]) -> None:
        if e.control.value is not None:
            on_pick(picked_day(e.control.value, zone))

    ctx.page.show_dialog(
        ft.DatePicker(
            value=noon(day, zone),
            current_date=noon(today, zone),
            help_text=help_text,
            on_change=chosen,
        )
    )


class DayField:
    """A typed YYYY-MM-DD day with a calendar button beside it, for forms."""

    def __init__(
        self,
        ctx: AppContext,
        label: str,
        value: str,
        zone: ZoneInfo,
        *,
        today: str,
        help_text: str = "Choose a day",
    ) -> None:
        self.ctx, self.zone, self.today, self.help_text = ctx, zone, today, help_text
        self.field = ft.TextField(
            label=label,
            value=value,
            helper="YYYY-MM-DD",
            keyboard_type=ft.KeyboardType.DATETIME,
            expand=True,
        )
        self.calendar = labelled_icon_button(ft.Icons.CALENDAR_MONTH, "Pick the date", self._pick)
        self.control = ft.Row(
            [self.field, self.calendar], vertical_alignment=ft.CrossAxisAlignment.START
        )

    def typed(self) -> str | None:
        try:
            return date.fromisoformat((self.field.value or "").strip()).isoformat()
        except ValueError:
            return None

    def read(self) -> str | None:
        """The day typed, or None with the field saying what to type."""
        day = self.typed()
        self.field.error = None if day else "Type the date as YYYY-MM-DD, e.g. 2025-06-11"
        return day

    def _pick(self, _: ft.Event[ft.IconButton]) -> None:
        pick_day(
            self.ctx,
            self.typed() or self.today,
            self.zone,
            self._set,
            today=self.today,
            help_text=self.help_text,
        )

    def _set(self, day: str) -> None:
        self.field.value, self.field.error = day, None
