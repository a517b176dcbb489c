"""The crew directory: everyone on the production, one tap to call or email.

Search-first and lazy: a feature crew list runs to hundreds, so the list is a
``ListView`` with a fixed row height, filtered as the user types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flet as ft

from app.productions import list_people
from views.context import AppContext
from views.widgets import empty_state

ROW_HEIGHT = 76


def crew_directory(ctx: AppContext) -> ft.Control:
    people = list_people(ctx.store, ctx.production_id) if ctx.production_id else []
    if not people:
        return empty_state(
            ft.Icons.PEOPLE_OUTLINE,
            "No crew yet. Import a crew list CSV from Data export, or add people as you go.",
        )
    rows = ft.ListView(expand=True, item_extent=ROW_HEIGHT)
    count = ft.Text(color=ft.Colors.ON_SURFACE_VARIANT)

    def show(query: str) -> None:
        needle = query.strip().casefold()
        found = [p for p in people if not needle or needle in _haystack(p)]
        rows.controls = [person_tile(p) for p in found]
        count.value = f"{len(found)} of {len(people)} people"

    def on_search(e: ft.Event[ft.TextField]) -> None:
        show(e.control.value or "")

    show("")
    search = ft.TextField(
        label="Search crew", prefix_icon=ft.Icons.SEARCH, on_change=on_search, dense=True
    )
    return ft.Column(
        expand=True,
        spacing=4,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Container(search, padding=ft.Padding.symmetric(horizontal=16, vertical=8)),
            ft.Container(count, padding=ft.Padding.only(left=16)),
            rows,
        ],
    )


def person_tile(person: Mapping[str, Any]) -> ft.Control:
    """Name, role and department, with Call / Email when the person has them."""
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
    )


def tel_url(phone: str) -> str:
    """``tel:`` with only what a dialler reads (digits and a leading +)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def _haystack(person: Mapping[str, Any]) -> str:
    fields = ("name", "role", "department", "phone", "email")
    return " ".join(str(person.get(f) or "") for f in fields).casefold()
