"""One entry of the day's running order: times, what, where, who, and its actions.

The card answers the questions asked on set in the order they are asked: when (planned,
and what really happened), what, where (with a map link that needs no typing), who.
The running item and the next one are tinted and badged, so the eye finds them first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import flet as ft

from views.today.clock import clock, span

Item = dict[str, Any]
OPEN = ("planned", "started", "delayed")

KIND_ICONS: dict[str, ft.IconData] = {
    "crew_call": ft.Icons.CAMPAIGN,
    "load_in": ft.Icons.LOCAL_SHIPPING,
    "setup": ft.Icons.BUILD,
    "rehearsal": ft.Icons.THEATER_COMEDY,
    "scene": ft.Icons.MOVIE,
    "session": ft.Icons.MIC,
    "meal": ft.Icons.RESTAURANT,
    "break": ft.Icons.COFFEE,
    "travel": ft.Icons.DIRECTIONS_BUS,
    "load_out": ft.Icons.LOCAL_SHIPPING,
    "wrap": ft.Icons.FLAG,
    "other": ft.Icons.EVENT,
}


def kind_label(kind: str) -> str:
    """ "crew_call" -> "Crew call"."""
    return kind.replace("_", " ").capitalize()


def maps_url(location: Mapping[str, Any]) -> str | None:
    """A maps search for the location: its position when known, else its address."""
    if location.get("lat") is not None and location.get("lon") is not None:
        query = f"{location['lat']},{location['lon']}"
    elif location.get("address"):
        query = location["address"]
    else:
        return None
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(query)}"


@dataclass(frozen=True)
class ItemActions:
    """What the buttons on a card do; each receives the item."""

    start: Callable[[Item], None]
    done: Callable[[Item], None]
    delay: Callable[[Item], None]
    edit: Callable[[Item], None]


def _actual(item: Item, zone: ZoneInfo) -> str:
    """What really happened, beside the plan: "Actual 07:35-09:50", "Started 07:35",
    or "Done at 09:50" for an item marked done without being started first."""
    start, end = item.get("actual_start"), item.get("actual_end")
    if start and end:
        return f"Actual {span(start, end, zone)}"
    if start:
        return f"Started {clock(start, zone)}"
    return f"Done at {clock(end, zone)}" if end else ""


def _times(item: Item, zone: ZoneInfo) -> ft.Control:
    planned = span(item["planned_start"], item["planned_end"], zone)
    lines = [ft.Text(planned, weight=ft.FontWeight.BOLD, size=16)]
    actual = _actual(item, zone)
    if actual:
        lines.append(ft.Text(actual, size=13, color=ft.Colors.ON_SURFACE_VARIANT))
    return ft.Column(lines, spacing=0)


def _badge(text: str, colour: ft.ColorValue, on_colour: ft.ColorValue) -> ft.Control:
    return ft.Container(
        ft.Text(text, size=12, weight=ft.FontWeight.BOLD, color=on_colour),
        bgcolor=colour,
        border_radius=6,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def _status_badges(item: Item, badge: str | None) -> list[ft.Control]:
    badges = []
    if badge == "Now":
        badges.append(_badge("NOW", ft.Colors.PRIMARY, ft.Colors.ON_PRIMARY))
    elif badge == "Next":
        badges.append(_badge("NEXT", ft.Colors.TERTIARY, ft.Colors.ON_TERTIARY))
    if item["status"] not in ("planned", "started"):  # started: the NOW badge says it
        alert = item["status"] == "delayed"
        badges.append(
            _badge(
                item["status"].capitalize(),
                ft.Colors.ERROR_CONTAINER if alert else ft.Colors.SECONDARY_CONTAINER,
                ft.Colors.ON_ERROR_CONTAINER if alert else ft.Colors.ON_SECONDARY_CONTAINER,
            )
        )
    return badges


def _where(location: Mapping[str, Any] | None) -> list[ft.Control]:
    if not location:
        return []
    text = location["name"] + (f"\n{location['address']}" if location.get("address") else "")
    row: list[ft.Control] = [
        ft.Icon(ft.Icons.PLACE, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(text, size=13, expand=True),
    ]
    url = maps_url(location)
    if url:
        row.append(ft.TextButton("Map", icon=ft.Icons.MAP, url=url))
    return [ft.Row(row, vertical_alignment=ft.CrossAxisAlignment.CENTER)]


def _who(names: list[str]) -> list[ft.Control]:
    if not names:
        return []
    return [
        ft.Row(
            [
                ft.Icon(ft.Icons.GROUP, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Text(", ".join(names), size=13, expand=True, max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    ]  # fmt: skip


def _notes(item: Item) -> list[ft.Control]:
    if not item.get("notes"):
        return []
    return [ft.Text(item["notes"], size=13, italic=True, color=ft.Colors.ON_SURFACE_VARIANT)]


COMPACT = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=10))
"""Four actions fit one row of a phone-width card."""


def _buttons(item: Item, actions: ItemActions) -> ft.Control:
    status = item["status"]
    buttons: list[ft.Control] = []
    if status in ("planned", "delayed") and not item.get("actual_start"):
        buttons.append(ft.FilledTonalButton("Start", icon=ft.Icons.PLAY_ARROW, style=COMPACT,
                                            on_click=lambda _: actions.start(item)))  # fmt: skip
    if status in OPEN:
        buttons.append(ft.OutlinedButton("Done", icon=ft.Icons.CHECK, style=COMPACT,
                                         on_click=lambda _: actions.done(item)))  # fmt: skip
    if status in ("planned", "started"):
        buttons.append(ft.TextButton("Delayed", icon=ft.Icons.SCHEDULE, style=COMPACT,
                                     on_click=lambda _: actions.delay(item)))  # fmt: skip
    edit = ft.TextButton("Edit", icon=ft.Icons.EDIT, style=COMPACT,
                         on_click=lambda _: actions.edit(item))  # fmt: skip
    return ft.Row([ft.Row(buttons, wrap=True, spacing=4, expand=True), edit],
                  vertical_alignment=ft.CrossAxisAlignment.START, spacing=0)  # fmt: skip


def timeline_item(
    item: Item,
    *,
    zone: ZoneInfo,
    location: Mapping[str, Any] | None,
    people: list[str],
    badge: str | None,
    actions: ItemActions,
) -> ft.Control:
    """The card for ``item``; ``badge`` is "Now", "Next" or None."""
    tint = {"Now": ft.Colors.PRIMARY_CONTAINER, "Next": ft.Colors.TERTIARY_CONTAINER}.get(
        badge or "", ft.Colors.SURFACE_CONTAINER_LOW
    )
    finished = item["status"] in ("done", "cancelled")
    header = ft.Row(
        [
            ft.Icon(KIND_ICONS.get(item["kind"], ft.Icons.EVENT), color=ft.Colors.PRIMARY),
            _times(item, zone),
            ft.Text(kind_label(item["kind"]), size=13, color=ft.Colors.ON_SURFACE_VARIANT,
                    expand=True),
            *_status_badges(item, badge),
        ],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )  # fmt: skip
    title = ft.Text(
        item["title"],
        theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
        style=ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH)
        if item["status"] == "cancelled"
        else None,
    )
    return ft.Container(
        bgcolor=tint,
        border_radius=12,
        padding=ft.Padding.only(left=12, right=8, top=10, bottom=4),
        opacity=0.75 if finished else 1.0,
        content=ft.Column(
            [
                header,
                title,
                *_where(location),
                *_who(people),
                *_notes(item),
                _buttons(item, actions),
            ],
            spacing=6,
        ),
    )
