"""The day's call sheet: when each crew member is called, earliest first.

Folded by default below the timeline: the running order is what people check all day,
the call list is what they check once (or the night before, with "Next day").
"""

from __future__ import annotations

import flet as ft

from app.productions import list_people
from app.schedule_today import call_times
from app.store import Store


def call_sheet(store: Store, production_id: str, day: str) -> ft.Control | None:
    """An expandable list of call times, or None when nobody is called that day."""
    calls = call_times(store, production_id, day)
    if not calls:
        return None
    people = {p["id"]: p for p in list_people(store, production_id)}
    order = sorted(calls, key=lambda person_id: (calls[person_id], people[person_id]["name"]))
    rows = [
        ft.ListTile(
            leading=ft.Text(calls[person_id].strftime("%H:%M"), weight=ft.FontWeight.BOLD, size=16),
            title=ft.Text(people[person_id]["name"]),
            subtitle=ft.Text(people[person_id]["role"]) if people[person_id]["role"] else None,
            dense=True,
        )
        for person_id in order
    ]
    return ft.ExpansionTile(
        title=ft.Text(f"Call sheet · {len(calls)} people"),
        leading=ft.Icon(ft.Icons.ALARM),
        controls=rows,
        shape=ft.RoundedRectangleBorder(radius=12),
        collapsed_shape=ft.RoundedRectangleBorder(radius=12),
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        collapsed_bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
