"""Today: the open production's day as a timeline, with now and next picked out.

The day shown is kept in the session (``ctx.extras``), so going to Gear and back, or
the shell rebuilding the screen, keeps the day someone was looking at. After its own
changes the screen redraws itself; changes from elsewhere (another tab, a sync) reach
it through ``views.refresh.watch``, which redraws in place and keeps the scroll.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.productions import list_locations, list_people, production_days, production_zone
from app.schedule import day_items, mark_delayed, mark_done, mark_started
from app.schedule_today import now_and_next, today
from views.context import AppContext
from views.refresh import update_if_shown, watch
from views.screen import set_heading
from views.today.call_sheet import call_sheet
from views.today.day_nav import DAY_KEY, DayScreen, day_nav
from views.today.delay_dialog import ask_delay_reason
from views.today.item_editor import ItemEditor
from views.today.summary import day_summary, day_title, day_word, summary_strip
from views.today.timeline_item import Item, ItemActions, timeline_item
from views.widgets import empty_state, no_production, section_header, show_error

__all__ = ["DAY_KEY", "TodayScreen", "build_today"]


class TodayScreen(DayScreen):
    """Holds the day on show and rebuilds the list for it from the store."""

    def __init__(self, ctx: AppContext, production_id: str) -> None:
        super().__init__(ctx, production_id)
        self.view = ft.ListView(expand=True, spacing=8, padding=ft.Padding.all(12))
        self.actions = ItemActions(
            start=lambda item: self._act(mark_started, item),
            done=lambda item: self._act(mark_done, item),
            delay=self._ask_delay,
            edit=lambda item: self._open_editor(item),
        )
        self.refresh()
        watch(ctx, lambda _: self.refresh())

    def refresh(self) -> None:
        """Rebuild the list for the day from the store and send it if it is shown."""
        production = self.ctx.production() or {}
        store, day = self.ctx.store, self.day
        set_heading(self.ctx, day_title(day, self.today))
        self.view.controls = [
            day_nav(self.ctx, day, self.today, production, self.show_day),
            summary_strip(
                day_summary(store, self.production_id, day, self.ctx.now()),
                day_word(day, self.today),
            ),
            section_header(
                "Running order",
                ft.TextButton(
                    "Add item", icon=ft.Icons.ADD, on_click=lambda _: self._open_editor()
                ),
            ),
            *self._timeline(production, day),
        ]
        sheet = call_sheet(store, self.production_id, day)
        if sheet is not None:
            self.view.controls.append(sheet)
        update_if_shown(self.view)

    def _timeline(self, production: dict[str, Any], day: str) -> list[ft.Control]:
        items = day_items(self.ctx.store, self.production_id, day)
        if day not in production_days(production):
            return [self._outside(production, day)]
        if not items:
            return [empty_state(ft.Icons.EVENT_AVAILABLE, "Nothing is scheduled on this day.",
                                ft.Button(content="Add the first item", icon=ft.Icons.ADD,
                                          on_click=lambda _: self._open_editor()))]  # fmt: skip
        running, upcoming = self._now_and_next(items, day)
        carried = [i for i in [*running, upcoming] if i and i["day"] != day]
        shown = [*carried, *items]
        now_ids = {i["id"] for i in running}
        next_id = upcoming["id"] if upcoming else None
        zone = production_zone(production)
        store, production_id = self.ctx.store, self.production_id
        # Items still name who and where, even someone or somewhere taken off the lists.
        places = {
            loc["id"]: loc for loc in list_locations(store, production_id, include_removed=True)
        }
        crew = list_people(store, production_id, include_removed=True)
        names = {p["id"]: p["name"] for p in crew}
        return [
            timeline_item(
                item,
                zone=zone,
                location=places.get(item["location_id"] or ""),
                people=[names[p] for p in item["people_ids"] if p in names],
                badge="Now" if item["id"] in now_ids else "Next" if item["id"] == next_id else None,
                actions=self.actions,
            )
            for item in shown
        ]

    def _now_and_next(self, items: list[Item], day: str) -> tuple[list[Item], Item | None]:
        """On the current day, the service's answer (it counts a night shoot still
        running from yesterday); on another day, the same rule over that day alone."""
        if day == self.today:
            current = today(self.ctx.store, self.production_id, clock=self.ctx.now)
            return current.now, current.next
        running, upcoming = now_and_next(items, self.ctx.now())
        return [dict(i) for i in running], dict(upcoming) if upcoming else None

    def _outside(self, production: dict[str, Any], day: str) -> ft.Control:
        days = production_days(production)
        nearest = days[0] if day < days[0] else days[-1]
        return empty_state(
            ft.Icons.EVENT_BUSY,
            f"{production['name']} runs from {days[0]} to {days[-1]}.",
            ft.Button(content="Go to the nearest production day", icon=ft.Icons.UNDO,
                      on_click=lambda _: self.show_day(nearest)),
        )  # fmt: skip

    def _act(self, mark: Callable[..., Any], item: Item, **options: Any) -> None:
        """Record what happened to ``item``; a refusal is shown, and either way the
        screen shows the item as the store has it now."""
        try:
            mark(self.ctx.store, item["id"], clock=self.ctx.now, **options)
        except ValueError as e:
            show_error(self.ctx.page, str(e))
        self.refresh()

    def _ask_delay(self, item: Item) -> None:
        ask_delay_reason(self.ctx.page, item["title"],
                         lambda reason: self._act(mark_delayed, item, reason=reason))  # fmt: skip

    def _open_editor(self, item: Item | None = None) -> None:
        ItemEditor(self.ctx, self.day, item, on_saved=self.refresh).open()


def build_today(ctx: AppContext) -> ft.Control:
    """The Today destination: the timeline, or what to do when there is no production."""
    if ctx.production_id is None:
        return no_production(ft.Icons.TODAY, "see today's call times")
    return TodayScreen(ctx, ctx.production_id).view
