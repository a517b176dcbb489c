"""Who is ticking: picked once from the crew list, then remembered for that checklist.

A tick and a sign-off record a person, but the person holding the phone rarely
changes between ticks, so asking every time would turn a one-tap job into three. The
choice lives in ``ctx.extras`` (one browser tab, one app run) keyed by the checklist: a
shared phone passes between departments, so opening another checklist asks again. It
is asked for the first time it is needed, or when someone taps "Ticking as" to hand
the phone over.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.productions import list_people
from views.context import AppContext
from views.widgets import show_error

PERSON_KEY = "checklists.person"


def person_key(checklist_id: str) -> str:
    """Where the person ticking ``checklist_id`` is remembered in ``ctx.extras``."""
    return f"{PERSON_KEY}:{checklist_id}"


def chosen_person(ctx: AppContext, checklist_id: str) -> str | None:
    return ctx.extras.get(person_key(checklist_id))


def person_name(ctx: AppContext, person_id: str | None) -> str:
    """The person's name, or "someone" for an id this device does not know (yet)."""
    found = ctx.store.get("people", person_id) if person_id else None
    return found["name"] if found else "someone"


def ask_person(ctx: AppContext, checklist_id: str, then: Callable[[str], None]) -> None:
    """Ask who is ticking; remember the answer and call ``then(person_id)``."""
    assert ctx.production_id is not None
    people = list_people(ctx.store, ctx.production_id)
    if not people:
        show_error(
            ctx.page, "Add the crew in More → Crew directory first: each tick records who did it."
        )
        return

    def choose(person_id: str) -> Callable[[ft.Event[ft.ListTile]], None]:
        def chosen(_: ft.Event[ft.ListTile]) -> None:
            ctx.extras[person_key(checklist_id)] = person_id
            ctx.page.pop_dialog()
            then(person_id)

        return chosen

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text("Who is ticking?"),
            content=ft.Column(
                [
                    ft.ListTile(
                        title=ft.Text(p["name"]),
                        subtitle=ft.Text(p["role"]) if p["role"] else None,
                        leading=ft.Icon(ft.Icons.PERSON),
                        selected=p["id"] == chosen_person(ctx, checklist_id),
                        on_click=choose(p["id"]),
                    )
                    for p in people
                ],
                tight=True,
            ),
            scrollable=True,
            actions=[ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog())],
        )
    )


def as_person(ctx: AppContext, checklist_id: str, then: Callable[[str], None]) -> None:
    """Call ``then`` with the person remembered for the checklist, asking first when
    there is none."""
    person = chosen_person(ctx, checklist_id)
    if person is None:
        ask_person(ctx, checklist_id, then)
    else:
        then(person)
