"""The day's checklists as cards: title, place, a progress bar and what is still open.

A lead scanning this wants to know which list needs them: the required-open count is
in words and in the error colour, and a signed-off list says so instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.checklists import Progress, checklists_for_day, progress
from app.store import Store
from views.checklists.detail import progress_line


def _card(
    checklist: dict[str, Any], p: Progress, place: str, open_: Callable[[], None]
) -> ft.Control:
    required_open = p.required_total - p.required_done
    signed = bool(checklist["signed_off_at"])
    status = (
        ft.Text("Signed off", color=ft.Colors.PRIMARY, weight=ft.FontWeight.BOLD)
        if signed
        else ft.Text(
            progress_line(p.done, p.total, required_open),
            color=ft.Colors.ERROR if required_open else ft.Colors.ON_SURFACE_VARIANT,
        )
    )
    return ft.Container(
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        border_radius=12,
        padding=12,
        ink=True,
        on_click=lambda _: open_(),
        content=ft.Column(
            [
                ft.Row([
                    ft.Icon(ft.Icons.VERIFIED if signed else ft.Icons.CHECKLIST,
                            color=ft.Colors.PRIMARY),
                    ft.Text(checklist["title"], theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                            expand=True),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT),
                ]),
                ft.Text(place, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                # The bar repeats the text below; left out of the semantics so the
                # card reads (and is found) as one button, not as a progress bar.
                ft.Semantics(exclude_semantics=True, content=ft.ProgressBar(
                    value=p.done / p.total if p.total else 1, bar_height=8, border_radius=4)),
                status,
            ],
            spacing=6,
        ),
    )  # fmt: skip


def day_cards(
    store: Store, production_id: str, day: str, open_: Callable[[str], None]
) -> list[ft.Control]:
    """A card per checklist of ``day``; ``open_(checklist_id)`` when one is tapped."""
    cards = []
    for checklist in checklists_for_day(store, production_id, day):
        location = store.get("locations", checklist["location_id"] or "")
        place = location["name"] if location else "No location"
        cid = checklist["id"]
        cards.append(_card(checklist, progress(store, cid), place, lambda cid=cid: open_(cid)))
    return cards
