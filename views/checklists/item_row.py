"""One line of a checklist: the box, the text, who ticked it and when, note and photo.

Flutter merges the row into the checkbox, so a screen reader (and a browser test)
meets "Batteries charged … Required, Done by Lea Brandt at 07:10" as one checkbox.
Required items say so in words, not only in colour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import flet as ft

from app.blobs import BlobStore
from views.today.clock import clock

Item = dict[str, Any]


@dataclass(frozen=True)
class RowActions:
    toggle: Callable[[Item, bool], None]
    note: Callable[[Item], None]
    photo: Callable[[Item], Awaitable[None]]
    """Async: taking a photo waits for the camera or the file picker."""


def _photo(blobs: BlobStore, sha: str) -> ft.Control:
    """The thumbnail when this device has it; a photo that has not synced down yet
    is announced rather than left as an empty gap."""
    for path in (blobs.thumb_path(sha), blobs.path(sha)):
        if path.is_file():
            return ft.Image(src=path.read_bytes(), height=96, fit=ft.BoxFit.CONTAIN,
                            border_radius=8, semantics_label="Photo of the item")  # fmt: skip
    return ft.Text("Photo taken (not on this device yet)", size=13, italic=True)


def _photo_handler(
    actions: RowActions, item: Item
) -> Callable[[ft.Event[ft.TextButton]], Awaitable[None]]:
    async def take(_: ft.Event[ft.TextButton]) -> None:
        await actions.photo(item)

    return take


def item_row(
    item: Item,
    *,
    done_by: str,
    zone: ZoneInfo,
    blobs: BlobStore,
    locked: bool,
    actions: RowActions,
) -> ft.Control:
    """``done_by`` is the ticker's name; ``locked`` (signed off) disables every control."""
    details: list[ft.Control] = [ft.Text(item["text"], size=15)]
    if item["required"]:
        colour = ft.Colors.PRIMARY if item["done"] else ft.Colors.ERROR
        details.append(ft.Text("Required", size=12, weight=ft.FontWeight.BOLD, color=colour))
    if item["done"]:
        details.append(ft.Text(f"Done by {done_by} at {clock(item['done_at'], zone)}",
                               size=13, color=ft.Colors.ON_SURFACE_VARIANT))  # fmt: skip
    if item.get("note"):
        details.append(ft.Text(f"Note: {item['note']}", size=13, italic=True))
    if item.get("photo"):
        details.append(_photo(blobs, item["photo"]))
    if not locked:
        details.append(
            ft.Row(
                [
                    ft.TextButton("Note", icon=ft.Icons.NOTE_ADD,
                                  on_click=lambda _: actions.note(item)),
                    ft.TextButton("Photo", icon=ft.Icons.ADD_A_PHOTO,
                                  on_click=_photo_handler(actions, item)),
                ],
                spacing=0,
            )
        )  # fmt: skip
    return ft.Container(
        padding=ft.Padding.only(left=4, right=8, top=4, bottom=0),
        border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
        content=ft.Row(
            [
                ft.Checkbox(
                    value=bool(item["done"]),
                    disabled=locked,
                    on_change=lambda e: actions.toggle(item, bool(e.control.value)),
                ),
                ft.Column(details, spacing=2, expand=True),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    )
