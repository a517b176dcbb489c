"""Small widgets every screen shares: messages, empty states, section headers, pickers.

One place for these keeps the app's voice consistent (an error always looks like an
error, an empty list always says what to do next) and keeps screens free of styling
boilerplate. Nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

ERROR_DURATION_MS = 6000

ERROR_LINES = 8
"""Lines an error under a field may take: it wraps in full, even under a half-width
field on a phone (left alone, Flutter cuts an error to one line with "…")."""
"""Errors stay longer than confirmations: they usually ask the user to do something."""


def show_error(page: ft.Page, message: str) -> None:
    """Show ``message`` (typically ``str(exc)`` of a service's ValueError) as an error.

    Services raise errors with human messages; this is how a screen shows one instead
    of crashing or swallowing it.
    """
    page.show_dialog(
        ft.SnackBar(
            content=ft.Text(message, color=ft.Colors.ON_ERROR_CONTAINER),
            bgcolor=ft.Colors.ERROR_CONTAINER,
            duration=ERROR_DURATION_MS,
            show_close_icon=True,
            close_icon_color=ft.Colors.ON_ERROR_CONTAINER,
        )
    )


def show_message(page: ft.Page, message: str) -> None:
    """Confirm something that happened ("Checked out 3 items") in a brief snackbar."""
    page.show_dialog(ft.SnackBar(content=ft.Text(message)))


def empty_state(icon: ft.IconData, message: str, action: ft.Control | None = None) -> ft.Control:
    """A centred icon over a message that says what to do, with an optional action.

    Use it wherever a list can be empty: an empty list should tell people how to fill
    it rather than show a blank screen.
    """
    controls: list[ft.Control] = [
        ft.Icon(icon, size=56, color=ft.Colors.PRIMARY),
        ft.Text(
            message,
            text_align=ft.TextAlign.CENTER,
            theme_style=ft.TextThemeStyle.BODY_LARGE,
            color=ft.Colors.ON_SURFACE_VARIANT,
        ),
    ]
    if action is not None:
        controls.append(action)
    return ft.Container(
        expand=True,
        padding=24,
        alignment=ft.Alignment.CENTER,
        content=ft.Column(
            tight=True,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=16,
            controls=controls,
        ),
    )


def full_screen_panel(
    icon: ft.IconData, icon_color: str, title: str, body: str, *, body_color: str | None = None,
    actions: list[ft.Control] | None = None,
) -> ft.Control:
    """A whole screen saying one thing: a large icon, a title, a paragraph, its buttons,
    centred in a column a phone's width wide."""
    return ft.Container(
        expand=True, padding=24, alignment=ft.Alignment.CENTER,
        content=ft.Column(
            tight=True, width=420, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, spacing=16,
            controls=[
                ft.Icon(icon, size=64, color=icon_color),
                ft.Text(title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                        text_align=ft.TextAlign.CENTER),
                ft.Text(body, theme_style=ft.TextThemeStyle.BODY_LARGE, color=body_color,
                        text_align=ft.TextAlign.CENTER),
                *(actions or []),
            ],
        ),
    )  # fmt: skip


def no_production(icon: ft.IconData, purpose: str) -> ft.Control:
    """What a destination shows when no production is open: how to get one, and why."""
    return empty_state(
        icon, f"No production yet: load the sample production or create one to {purpose}."
    )


def section_header(title: str, trailing: ft.Control | None = None) -> ft.Control:
    """A titled divider between groups of a screen, with an optional trailing action."""
    label = ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_SMALL, color=ft.Colors.PRIMARY)
    return ft.Container(
        padding=ft.Padding.only(left=16, right=8, top=16, bottom=4),
        content=ft.Row(
            [label, trailing] if trailing is not None else [label],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        ),
    )


def choice(label: str, value: str | None, options: Mapping[str, str], **style: Any) -> ft.Dropdown:
    """A dropdown of ``{key: text}``, editable with filtering: typing "Inê" narrows a
    crew list, and only an editable dropdown carries its label into the accessibility
    tree (a read-only one is an unnamed button to screen readers and browser tests).
    Phones still open the menu without the keyboard (Flutter's default there).

    ``style`` goes to the dropdown and may override the defaults (``menu_height``).
    """
    settings: dict[str, Any] = {"editable": True, "enable_filter": True, "menu_height": 360}
    return ft.Dropdown(
        label=label,
        value=value,
        options=[ft.DropdownOption(key=key, text=text) for key, text in options.items()],
        **{**settings, **style},
    )


def labelled_icon_button(
    icon: ft.IconData, label: str, on_click: Callable[[ft.Event[ft.IconButton]], None]
) -> ft.Control:
    """An icon button that screen readers (and browser tests) find by ``label``. A
    tooltip would name the row around the button rather than the button."""
    return ft.Semantics(
        label=label, button=True, container=True, content=ft.IconButton(icon, on_click=on_click)
    )
