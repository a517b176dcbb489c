"""The "Create production" form: name, dates, time zone and currency.

Checks are the service's own (``app.productions.create_production`` validates every
field); the form only maps a ``ValidationError`` to the field it names, so the error
appears under that field instead of in a transient message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import flet as ft

from app.models import ValidationError
from app.productions import create_production
from views.context import AppContext
from views.widgets import ERROR_LINES

DEFAULT_CURRENCY = "EUR"
FALLBACK_ZONE = "Europe/London"


def device_zone() -> str:
    """The device's IANA zone name when the OS tells it, else a sensible default."""
    zone = datetime.now().astimezone().tzinfo
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) and "/" in key else FALLBACK_ZONE


def open_production_form(ctx: AppContext, on_created: Callable[[str], None]) -> None:
    """Show the form in a dialog; ``on_created(production_id)`` once it is saved."""
    today = ctx.now().date()
    fields = {
        "name": ft.TextField(label="Production name", autofocus=True),
        "starts_on": ft.TextField(
            label="First day", value=today.isoformat(), hint_text="YYYY-MM-DD"
        ),
        "ends_on": ft.TextField(
            label="Last day", value=(today + timedelta(days=4)).isoformat(), hint_text="YYYY-MM-DD"
        ),
        "timezone": ft.TextField(
            label="Time zone", value=device_zone(), hint_text="e.g. Europe/Lisbon"
        ),
        "currency": ft.TextField(
            label="Currency",
            value=DEFAULT_CURRENCY,
            hint_text="ISO code, e.g. EUR",
        ),
    }

    for field in fields.values():
        field.error_max_lines = ERROR_LINES  # a refused date names both days: let it wrap

    def save(_: ft.Event[ft.Button]) -> None:
        for field in fields.values():
            field.error = None
        values = {name: (field.value or "").strip() for name, field in fields.items()}
        for day in ("starts_on", "ends_on"):
            if not _is_date(values[day]):
                fields[day].error = "Enter a date as YYYY-MM-DD."
                return
        try:
            production_id = create_production(ctx.store, **values)
        except ValidationError as exc:
            fields.get(exc.field, fields["name"]).error = str(exc)
            return
        ctx.page.pop_dialog()
        on_created(production_id)

    ctx.page.show_dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text("Create production"),
            scrollable=True,  # the keyboard leaves little room on a phone
            content=ft.Column(list(fields.values()), tight=True, width=360, spacing=12),
            actions=[
                ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()),
                ft.Button(content="Create", on_click=save),
            ],
        )
    )


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
