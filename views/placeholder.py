"""Empty-state content for screens that are not built yet.

Each destination shows what it will hold and what to do first, so a crew member who
opens the app before any data exists is told how to start instead of seeing a blank
page. Real screens replace these one by one in ``views/destinations.py``.
"""

from __future__ import annotations

import flet as ft

from views.context import AppContext
from views.screen import ScreenBuilder


def placeholder(icon: ft.IconData, message: str) -> ScreenBuilder:
    """A screen builder that shows ``icon`` over an empty-state ``message``.

    The title is left to the app bar, so the screen's name appears once on the page.
    """

    def build(ctx: AppContext) -> ft.Control:
        return ft.Container(
            expand=True,
            padding=24,
            alignment=ft.Alignment.CENTER,
            content=ft.Column(
                tight=True,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                spacing=12,
                controls=[
                    ft.Icon(icon, size=56, color=ft.Colors.PRIMARY),
                    ft.Text(
                        message,
                        text_align=ft.TextAlign.CENTER,
                        theme_style=ft.TextThemeStyle.BODY_LARGE,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                    ),
                ],
            ),
        )

    return build
