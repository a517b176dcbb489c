"""The notes and incident log: what happened on set, how bad, and whether it is dealt with.

Notes feed the daily production report (written that day, or still open). Writing,
resolving and the log's order are :mod:`app.notes`; this module only draws them. A note's
time is shown and typed on the production's clock, whatever zone the phone is in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import flet as ft

from app.models import NOTE_SEVERITIES, ValidationError
from app.notes import RESOLVED, add_note, edit_note, list_notes, reopen, resolve
from app.productions import production_zone
from app.store import Store
from views.context import AppContext
from views.date_picker import DayField
from views.refresh import watch
from views.today.clock import ClockError, clock, on_day, parse_clock
from views.widgets import ERROR_LINES, empty_state, show_error

SEVERITY_COLOURS = {
    "critical": ft.Colors.ERROR,
    "major": ft.Colors.ORANGE_800,
    "minor": ft.Colors.AMBER_800,
    "info": ft.Colors.PRIMARY,
}


class NotesLog:
    """The log with its "Add note" button; refills its list after its own writes and,
    in place, on changes from elsewhere (an open note form stays as typed)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.list = ft.ListView(expand=True, spacing=8, padding=12)
        self.control = ft.Column(
            expand=True,
            spacing=0,
            controls=[
                ft.Container(
                    ft.FilledButton(content="Add note", icon=ft.Icons.ADD, on_click=self._add),
                    padding=ft.Padding.only(left=16, top=8, right=16),
                ),
                self.list,
            ],
        )
        self.refill()
        watch(ctx, self._changed)

    def _changed(self, collections: frozenset[str]) -> None:
        if collections & {"notes", "productions"}:
            self.refill()

    def refill(self) -> None:
        assert self.ctx.production_id is not None
        found = list_notes(self.ctx.store, self.ctx.production_id)
        if found:
            self.list.controls = [self._card(n) for n in found]
        else:
            self.list.controls = [
                empty_state(
                    ft.Icons.STICKY_NOTE_2_OUTLINED,
                    "Nothing logged. Add a note for incidents, damage or anything "
                    "the daily report should mention.",
                )
            ]

    def _card(self, note: Mapping[str, Any]) -> ft.Control:
        resolved = note["status"] == RESOLVED
        lines: list[ft.Control] = [
            ft.Row(
                [
                    ft.Container(
                        ft.Text(
                            note["severity"].upper(),
                            size=11,
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.ON_PRIMARY,
                        ),
                        bgcolor=SEVERITY_COLOURS.get(note["severity"], ft.Colors.PRIMARY),
                        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
                        border_radius=4,
                    ),
                    ft.Text(
                        f"{self._when(note)} · {note['status']}",
                        color=ft.Colors.ON_SURFACE_VARIANT,
                        size=12,
                    ),
                ],
                spacing=8,
            ),
            ft.Text(note["title"], theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
        ]
        if note.get("body"):
            lines.append(ft.Text(note["body"]))
        lines.append(
            ft.Row(
                [
                    ft.TextButton(
                        "Reopen" if resolved else "Mark resolved",
                        icon=ft.Icons.REPLAY if resolved else ft.Icons.CHECK_CIRCLE_OUTLINE,
                        on_click=self._status_setter(note["id"], reopen if resolved else resolve),
                    ),
                    ft.TextButton(
                        "Edit", icon=ft.Icons.EDIT_OUTLINED, on_click=lambda _: self._open(note)
                    ),
                ],
                wrap=True,
                spacing=0,
            )
        )
        return ft.Card(content=ft.Container(ft.Column(lines, spacing=6, tight=True), padding=16))

    def _status_setter(
        self, note_id: str, change: Callable[[Store, str], None]
    ) -> Callable[[ft.Event[ft.TextButton]], None]:
        def handler(_: ft.Event[ft.TextButton]) -> None:
            change(self.ctx.store, note_id)
            self.refill()

        return handler

    def _when(self, note: Mapping[str, Any]) -> str:
        """ "Sat 28 Nov 06:30" on the production's clock."""
        if not note["written_at"]:
            return note["written_on"]
        moment = datetime.fromisoformat(note["written_at"]).astimezone(self._zone())
        return moment.strftime("%a %d %b %H:%M")

    def _zone(self) -> ZoneInfo:
        production = self.ctx.production()
        assert production is not None
        return production_zone(production)

    def _add(self, _: ft.Event[ft.FilledButton]) -> None:
        self._open(None)

    def _open(self, note: Mapping[str, Any] | None) -> None:
        """The note form: a new note (``note`` None) happening now, or an existing one."""
        zone = self._zone()
        now = self.ctx.now().astimezone(zone)
        written = note["written_at"] if note else ""
        at = datetime.fromisoformat(written).astimezone(zone) if written else now
        title = ft.TextField(
            label="Title",
            autofocus=True,
            value=note["title"] if note else "",
            error_max_lines=ERROR_LINES,
        )
        body = ft.TextField(
            label="What happened",
            value=note["body"] if note else "",
            multiline=True,
            min_lines=2,
            max_lines=5,
        )
        day = DayField(
            self.ctx,
            "Day",
            at.date().isoformat(),
            zone,
            today=now.date().isoformat(),
            help_text="Day it happened",
        )
        time = ft.TextField(
            label="Time",
            value=clock(at.isoformat(), zone),
            helper="HH:MM, on the production's clock",
            keyboard_type=ft.KeyboardType.DATETIME,
            error_max_lines=ERROR_LINES,
        )
        # Radios in a wrapping row: four segments side by side split "Critical" in
        # two on a phone-wide dialog.
        severity = ft.RadioGroup(
            value=note["severity"] if note else "info",
            content=ft.Row(
                [ft.Radio(value=s, label=s.capitalize()) for s in NOTE_SEVERITIES],
                wrap=True,
                spacing=4,
                run_spacing=0,
            ),
        )

        def read_time() -> datetime | None:
            time.error = None
            when = day.read()
            try:
                moment = parse_clock(time.value or "")
            except ClockError as exc:
                time.error = str(exc)
                return None
            return on_day(when, moment, zone) if when else None

        def save(_: ft.Event[ft.Button]) -> None:
            title.error = None
            moment = read_time()
            if moment is None:
                return
            fields = {
                "title": title.value or "",
                "body": body.value or "",
                "severity": severity.value or "info",
                "at": moment,
            }
            try:
                if note is None:
                    add_note(self.ctx.store, self.ctx.production_id or "", **fields)
                else:
                    edit_note(self.ctx.store, note["id"], **fields)
            except ValidationError as exc:
                if exc.field == "title":
                    title.error = str(exc)
                else:
                    show_error(self.ctx.page, str(exc))
                return
            self.ctx.page.pop_dialog()
            self.refill()
            self.ctx.page.update()  # pop_dialog sent an update, so Flet will not auto-update

        self.ctx.page.show_dialog(
            ft.AlertDialog(
                modal=True,
                scrollable=True,
                title=ft.Text("Edit note" if note else "Add note"),
                content=ft.Column(
                    [title, body, day.control, time, ft.Text("Severity"), severity],
                    tight=True,
                    spacing=12,
                    width=360,
                ),
                actions=[
                    ft.TextButton("Cancel", on_click=lambda _: self.ctx.page.pop_dialog()),
                    ft.Button(content="Save", on_click=save),
                ],
            )
        )


def notes_log(ctx: AppContext) -> ft.Control:
    return NotesLog(ctx).control
