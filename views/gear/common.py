"""Pieces every Gear view shares: status colours, the person picker, due times, forms.

One form dialog for every item action keeps their behaviour the same: a service's
refusal (a ``ValueError`` with a human message) is shown inside the dialog, which stays
open so the person can fix the input, and success closes it with a short confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta

import flet as ft

from views.context import AppContext
from views.gear.rows import zone_of
from views.widgets import choice, show_message

STATUS_STYLE: dict[str, tuple[ft.IconData, ft.ColorValue]] = {
    "available": (ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_700),
    "damaged": (ft.Icons.REPORT_PROBLEM, ft.Colors.AMBER_800),
    "out": (ft.Icons.OUTBOND, ft.Colors.PRIMARY),
    "repair": (ft.Icons.BUILD_CIRCLE, ft.Colors.AMBER_800),
    "missing": (ft.Icons.HELP, ft.Colors.ERROR),
    "retired": (ft.Icons.BLOCK, ft.Colors.OUTLINE),
}
NO_DUE = "none"


def status_icon(status: str) -> ft.Icon:
    icon, color = STATUS_STYLE[status]
    return ft.Icon(icon, color=color, size=28)


def person_picker(names: Mapping[str, str], *, label: str = "Person",
                  value: str | None = None) -> ft.Dropdown:
    """The production's people by name."""
    ordered = dict(sorted(names.items(), key=lambda p: p[1].casefold()))
    return choice(label, value, ordered, expand=True)


def due_choices(ctx: AppContext) -> dict[str, tuple[str, datetime | None]]:
    """Due-time presets a crew uses, in the production's zone: key -> (label, moment).

    A fixed list rather than a date-time picker: on set nobody wants to scroll a clock
    with one hand, and gear is due back at wrap, tomorrow's wrap or the end of the shoot.
    """
    zone = zone_of(ctx.store, ctx.production_id)
    now = ctx.now().astimezone(zone) if zone else ctx.now()
    tonight = datetime.combine(now.date(), time(20, 0), now.tzinfo)
    choices: dict[str, tuple[str, datetime | None]] = {NO_DUE: ("No due time", None)}
    if tonight > now:
        choices["tonight"] = ("Tonight 20:00", tonight)
    choices["tomorrow"] = ("Tomorrow 20:00", tonight + timedelta(days=1))
    production = ctx.production()
    if production and production.get("ends_on"):
        end = datetime.combine(datetime.fromisoformat(production["ends_on"]).date(),
                               time(22, 0), now.tzinfo)
        if end > now:
            choices["wrap"] = (f"End of shoot ({end:%a %d %b})", end)
    return choices


def due_picker(choices: Mapping[str, tuple[str, datetime | None]]) -> ft.Dropdown:
    return choice("Due back", NO_DUE, {key: label for key, (label, _) in choices.items()},
                  expand=True)


def form_dialog(ctx: AppContext, title: str, fields: list[ft.Control], confirm: str,
                action: Callable[[], str], done: Callable[[], None]) -> ft.AlertDialog:
    """Show a dialog of ``fields``; ``confirm`` runs ``action``, which returns the
    confirmation to show, then ``done`` (the opener redraws: the shell only redraws for
    other sessions' changes). A ``ValueError`` from it is shown in the dialog instead."""
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    def run(_: ft.Event[ft.Button]) -> None:
        try:
            message = action()
        except ValueError as refusal:
            error.value, error.visible = str(refusal), True
            return
        ctx.page.pop_dialog()
        show_message(ctx.page, message)
        done()
        ctx.page.update()  # showing the message used up the handler's auto-update

    dialog = ft.AlertDialog(
        title=ft.Text(title),
        content=ft.Column([*fields, error], tight=True, width=400, spacing=12,
                          scroll=ft.ScrollMode.AUTO),
        actions=[
            ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()),
            ft.Button(content=confirm, on_click=run),
        ],
    )
    ctx.page.show_dialog(dialog)
    return dialog


def back_bar(title: str, on_back: Callable[..., None],
             trailing: list[ft.Control] | None = None) -> ft.Control:
    """The header of a Gear sub-view: a labelled back button, its title, its actions."""
    return ft.Row(
        [
            ft.IconButton(ft.Icons.ARROW_BACK, tooltip="Back to gear", on_click=on_back),
            ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_LARGE, expand=True,
                    max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
            *(trailing or []),
        ],
        spacing=4,
    )
