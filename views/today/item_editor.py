"""The add / edit dialog for a schedule item, with problems shown beside their fields.

Times are typed as the call sheet prints them (07:30) in the production's zone. An end
earlier than the start is refused unless "Ends next day" is ticked (a night shoot's
02:00 wrap), so a mistyped end never turns into a 23-hour item. The services
decide what is valid: their ``ValidationError`` names the field, so its message lands
under that field and the dialog stays open with everything typed still there.

Problems are shown only as the answer to Save: leaving a field or ticking "Ends next
day" redraws nothing, so the dialog never moves under a tap on its way to Save (see
``views.expenses.amount``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import flet as ft

from app.models import SCHEDULE_KINDS, ValidationError
from app.productions import list_locations, list_people, production_zone
from app.schedule import ScheduleError, add_item, edit_item
from views.context import AppContext
from views.today.clock import ClockError, clock, local_date, on_day, parse_clock, shift
from views.today.timeline_item import kind_label
from views.widgets import ERROR_LINES, show_message

NO_LOCATION = ""
NEXT_DAY = "Ends next day (+1 day)"
LONGEST = timedelta(hours=24)


class _FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ItemEditor:
    """Adds an item to ``day`` (``item`` None) or edits ``item``; opens with :meth:`open`
    and calls ``on_saved`` once the store has the change."""

    def __init__(
        self,
        ctx: AppContext,
        day: str,
        item: Mapping[str, Any] | None,
        on_saved: Callable[[], None],
    ) -> None:
        assert ctx.production_id is not None
        self.ctx, self.day, self.item, self.on_saved = ctx, day, item, on_saved
        production = ctx.production() or {}
        self.zone = production_zone(production)
        old = dict(item or {})
        self.title = ft.TextField(label="Title", value=old.get("title", ""), autofocus=True)
        self.kind = ft.Dropdown(
            label="Kind",
            value=old.get("kind", "scene"),
            options=[ft.DropdownOption(k, kind_label(k)) for k in SCHEDULE_KINDS],
            expand=True,
        )
        self.start = ft.TextField(
            label="Start (HH:MM)",
            value=clock(old.get("planned_start"), self.zone),
            expand=True,
            error_max_lines=ERROR_LINES,
        )
        self.end = ft.TextField(
            label="End (HH:MM)",
            value=clock(old.get("planned_end"), self.zone),
            expand=True,
            error_max_lines=ERROR_LINES,
        )
        self.next_day = ft.Checkbox(label=NEXT_DAY, value=_ends_next_day(old, self.zone))
        self.location = ft.Dropdown(
            label="Location",
            value=old.get("location_id") or NO_LOCATION,
            options=[ft.DropdownOption(NO_LOCATION, "No location")]
            + [
                ft.DropdownOption(loc["id"], loc["name"])
                for loc in list_locations(ctx.store, ctx.production_id)
            ],
            expand=True,
        )
        chosen = set(old.get("people_ids", []))
        self.people = [
            ft.Chip(label=p["name"], data=p["id"], selected=p["id"] in chosen,
                    on_select=lambda _: None)
            for p in list_people(ctx.store, ctx.production_id)
        ]  # fmt: skip
        self.notes = ft.TextField(
            label="Notes", value=old.get("notes", ""), multiline=True, min_lines=1, max_lines=4
        )
        self.problem = ft.Text(color=ft.Colors.ERROR, visible=False)
        self.fields: dict[str, ft.TextField | ft.Dropdown] = {
            "title": self.title,
            "kind": self.kind,
            "planned_start": self.start,
            "planned_end": self.end,
        }
        self.dialog = ft.AlertDialog(
            title=ft.Text("Edit item" if item else "Add item"),
            content=self._form(),
            actions=[
                ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()),
                ft.FilledButton("Save", on_click=self.save),
            ],
            scrollable=True,
        )

    def _form(self) -> ft.Control:
        people = ft.Column(
            [ft.Text("People", theme_style=ft.TextThemeStyle.LABEL_LARGE),
             ft.Row(self.people, wrap=True, spacing=6, run_spacing=6)]
            if self.people else []
        )  # fmt: skip
        return ft.Container(
            width=440,
            content=ft.Column(
                [
                    self.problem,
                    self.title,
                    self.kind,
                    ft.Row([self.start, self.end], vertical_alignment=ft.CrossAxisAlignment.START),
                    self.next_day,
                    self.location,
                    people,
                    self.notes,
                ],
                tight=True,
                spacing=12,
            ),
        )

    def open(self) -> None:
        self.ctx.page.show_dialog(self.dialog)

    def _fields(self) -> dict[str, Any]:
        """What was typed, as the schedule service takes it."""
        try:
            start = on_day(self.day, parse_clock(self.start.value or ""), self.zone)
        except ClockError as e:
            raise _FieldProblem("planned_start", str(e)) from None
        end = self._end(start) if (self.end.value or "").strip() else None
        return {
            "title": self.title.value or "",
            "kind": self.kind.value or "",
            "planned_start": start,
            "planned_end": end,
            "location_id": self.location.value or None,
            "people_ids": [chip.data for chip in self.people if chip.selected],
            "notes": self.notes.value or "",
        }

    def _end(self, start: datetime) -> datetime:
        """The typed end, on the next day only when "Ends next day" is ticked."""
        try:
            at = parse_clock(self.end.value or "")
        except ClockError as e:
            raise _FieldProblem("planned_end", str(e)) from None
        end = on_day(shift(self.day, 1) if self.next_day.value else self.day, at, self.zone)
        ends, starts = f"{at:%H:%M}", f"{start:%H:%M}"
        if end < start:
            raise _FieldProblem(
                "planned_end",
                f"Before the {starts} start. If it runs past midnight, tick “Ends next day”.",
            )
        if end - start > LONGEST:
            raise _FieldProblem(
                "planned_end",
                f"{starts} to {ends} the next day is more than 24 hours; untick “Ends next day”.",
            )
        return end

    def _show(self, field: str, message: str) -> None:
        target = self.fields.get(field)
        if isinstance(target, ft.TextField):
            target.error = message
        elif isinstance(target, ft.Dropdown):
            target.error_text = message
        else:
            self.problem.value, self.problem.visible = message, True

    def _clear(self) -> None:
        for control in self.fields.values():
            if isinstance(control, ft.TextField):
                control.error = None
            else:
                control.error_text = None
        self.problem.visible = False

    def save(self, _: ft.Event[ft.FilledButton] | None = None) -> None:
        self._clear()
        try:
            fields = self._fields()
            if self.item is None:
                assert self.ctx.production_id is not None
                add_item(self.ctx.store, self.ctx.production_id, day=self.day, **fields)
            else:
                edit_item(self.ctx.store, self.item["id"], **fields)
        except (_FieldProblem, ValidationError) as e:
            self._show(e.field, str(e))
        except ScheduleError as e:
            self._show("planned_start", str(e))
        except ValueError as e:
            self._show("", str(e))
        else:
            self.ctx.page.pop_dialog()
            self.on_saved()
            verb = "Added" if self.item is None else "Saved"
            show_message(self.ctx.page, f"{verb} {fields['title'].strip()!r}")


def _ends_next_day(item: Mapping[str, Any], zone: ZoneInfo) -> bool:
    """Whether a stored item ends on a later day on location than it starts."""
    start, end = item.get("planned_start"), item.get("planned_end")
    return bool(start and end and local_date(end, zone) > local_date(start, zone))
