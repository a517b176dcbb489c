"""The crew directory: everyone on the production, one tap to call or email.

Search-first and lazy: a feature crew list runs to hundreds, so the list is a
``ListView`` with a fixed row height, filtered as the user types. People are added one
at a time or from a crew list CSV; tapping a person edits or removes them (removal
rules: ``app.removal``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

from app.productions import add_person, list_people, update_person
from app.removal import remove_person
from sync import current_pairing
from views.context import AppContext
from views.more.crew_import import import_crew_list
from views.more.record_form import FormField, RecordKind, open_add_form, open_edit_form
from views.refresh import watch
from views.widgets import empty_state, show_message

ROW_HEIGHT = 76
CREW_DEVICE_NOTE = "The crew list is changed on a coordinator's device; it syncs here."
PERSON_FIELDS = (
    FormField("name", "Name"),
    FormField("role", "Role", hint="e.g. Gaffer"),
    FormField("department", "Department", hint="e.g. Lighting"),
    FormField("phone", "Phone", keyboard=ft.KeyboardType.PHONE),
    FormField("email", "Email", keyboard=ft.KeyboardType.EMAIL),
)
PERSON = RecordKind(
    "person", PERSON_FIELDS, add=add_person, update=update_person, remove=remove_person,
    added="Added to the crew.",
)


def crew_directory(ctx: AppContext) -> ft.Control:
    return CrewDirectory(ctx).control


class CrewDirectory:
    """The crew list with its ways in: add a person, import a crew list, tap to edit."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.people: list[dict[str, Any]] = []
        self.rows = ft.ListView(expand=True, item_extent=ROW_HEIGHT)
        self.count = ft.Text(color=ft.Colors.ON_SURFACE_VARIANT)
        self.search = ft.TextField(
            label="Search crew", prefix_icon=ft.Icons.SEARCH, on_change=self._searched, dense=True
        )
        self.actions = ft.Row(
            wrap=True, spacing=8, run_spacing=8, controls=[
                ft.FilledButton(content="Add person", icon=ft.Icons.PERSON_ADD,
                                on_click=self._add),
                ft.OutlinedButton(content="Import crew list", icon=ft.Icons.UPLOAD_FILE,
                                  on_click=self._import),
            ],
        )  # fmt: skip
        pairing = current_pairing(ctx.store)
        self.editable = pairing is None or pairing.role == "coordinator"
        if not self.editable:  # the server refuses crew devices' changes to the crew list
            self.actions.controls = [ft.Text(CREW_DEVICE_NOTE, color=ft.Colors.ON_SURFACE_VARIANT)]
        self.control = ft.Container(expand=True)
        self.refresh()
        # Redrawn in place on a change from elsewhere: the search and an open form stay.
        watch(ctx, lambda changed: self.refresh() if "people" in changed else None)

    def refresh(self) -> None:
        assert self.ctx.production_id is not None
        self.people = list_people(self.ctx.store, self.ctx.production_id)
        pad = ft.Padding.symmetric(horizontal=16, vertical=8)
        if not self.people:
            self.control.content = ft.Column(expand=True, controls=[
                ft.Container(self.actions, padding=pad),
                empty_state(ft.Icons.PEOPLE_OUTLINE, "No crew yet. Add people one at a time, "
                            "or import a crew list: a CSV file with Name, Role, Department, "
                            "Phone and Email columns."),
            ])  # fmt: skip
            return
        self.control.content = ft.Column(
            expand=True, spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[
                ft.Container(ft.Column([self.actions, self.search], spacing=8,
                                       horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                             padding=pad),
                ft.Container(self.count, padding=ft.Padding.only(left=16)),
                self.rows,
            ],
        )  # fmt: skip
        self.show(self.search.value or "")

    def show(self, query: str) -> None:
        needle = query.strip().casefold()
        found = [p for p in self.people if not needle or needle in _haystack(p)]
        self.rows.controls = [
            person_tile(p, on_click=self._editor(p) if self.editable else None) for p in found
        ]
        hint = " · tap a name to edit" if self.editable else ""
        self.count.value = f"{len(found)} of {len(self.people)} people{hint}"

    def _searched(self, e: ft.Event[ft.TextField]) -> None:
        self.show(e.control.value or "")

    def _done(self, message: str) -> None:
        self.refresh()
        show_message(self.ctx.page, message)

    def _add(self, _: ft.Event[ft.FilledButton]) -> None:
        open_add_form(self.ctx, PERSON, self._done)

    def _editor(self, person: Mapping[str, Any]) -> Callable[[ft.Event[ft.ListTile]], None]:
        return lambda _: open_edit_form(self.ctx, PERSON, person, self._done)

    async def _import(self, _: ft.Event[ft.OutlinedButton]) -> None:
        await import_crew_list(self.ctx, on_imported=self.refresh)


def person_tile(
    person: Mapping[str, Any], on_click: Callable[[ft.Event[ft.ListTile]], None] | None = None
) -> ft.Control:
    """Name, role and department, with Call / Email when the person has them; a tap
    (``on_click``) opens the person to edit."""
    role = " · ".join(x for x in (person.get("role"), person.get("department")) if x)
    actions: list[ft.Control] = []
    if person.get("phone"):
        actions.append(ft.TextButton("Call", icon=ft.Icons.CALL, url=tel_url(person["phone"])))
    if person.get("email"):
        actions.append(ft.TextButton("Email", icon=ft.Icons.EMAIL, url=f"mailto:{person['email']}"))
    return ft.ListTile(
        title=ft.Text(person["name"], max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        subtitle=ft.Text(
            role or person.get("phone") or "", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS
        ),
        trailing=ft.Row(actions, tight=True, spacing=0),
        content_padding=ft.Padding.only(left=16, right=4),
        on_click=on_click,
    )


def tel_url(phone: str) -> str:
    """``tel:`` with only what a dialler reads (digits and a leading +)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def _haystack(person: Mapping[str, Any]) -> str:
    fields = ("name", "role", "department", "phone", "email")
    return " ".join(str(person.get(f) or "") for f in fields).casefold()
