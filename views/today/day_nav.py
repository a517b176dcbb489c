"""Previous / next / today: the date bar Today and Checklists share, and the day they show.

Both screens show one production day at a time; the same bar on both keeps the
gesture the same ("yesterday's checklists" is one tap, like yesterday's schedule).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

from app.productions import production_zone
from app.schedule_today import local_day
from views.context import AppContext
from views.date_picker import pick_day
from views.today.clock import day_heading, shift
from views.widgets import labelled_icon_button

#: The session key of the day on show: one key for both screens, so moving to tomorrow
#: on one moves the other, and a rebuild or a trip to another tab keeps the day.
DAY_KEY = "today.day"


class DayScreen:
    """The day a screen shows: kept in the session, the production's today by default.

    Today and Checklists build on this; ``show_day`` redraws through their ``refresh``.
    """

    def __init__(self, ctx: AppContext, production_id: str) -> None:
        self.ctx, self.production_id = ctx, production_id
        self.today = local_day(ctx.store, production_id, ctx.now())

    @property
    def day(self) -> str:
        return str(self.ctx.extras.get(DAY_KEY, self.today))

    def show_day(self, day: str) -> None:
        self.ctx.extras[DAY_KEY] = day
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


def day_nav(
    ctx: AppContext,
    day: str,
    today: str,
    production: Mapping[str, Any],
    on_change: Callable[[str], None],
) -> ft.Control:
    """A row with the day's heading between previous and next, a calendar to jump to
    any day, and "Today" when away."""

    def go(target: str) -> Callable[[ft.Event[ft.IconButton]], None]:
        return lambda _: on_change(target)

    def calendar(_: ft.Event[ft.IconButton]) -> None:
        pick_day(ctx, day, production_zone(production), on_change, today=today)

    today_button = ft.TextButton("Today", icon=ft.Icons.TODAY, on_click=go(today))
    today_button.visible = day != today
    return ft.Container(
        padding=ft.Padding.symmetric(horizontal=4, vertical=4),
        content=ft.Row(
            [
                labelled_icon_button(ft.Icons.CHEVRON_LEFT, "Previous day", go(shift(day, -1))),
                ft.Text(
                    day_heading(day, production),
                    theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                    expand=True,
                    text_align=ft.TextAlign.CENTER,
                ),
                today_button,
                labelled_icon_button(ft.Icons.CALENDAR_MONTH, "Pick a day", calendar),
                labelled_icon_button(ft.Icons.CHEVRON_RIGHT, "Next day", go(shift(day, 1))),
            ],
            spacing=0,
        ),
    )
