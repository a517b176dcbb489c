"""The screen shown instead of the app when its data cannot be opened.

It says why in the store's own sentence (a read-only or full disk, a folder in use by
another Crewkit) rather than letting the app fail on start and fail again.
"""

from __future__ import annotations

import flet as ft

TITLE = "Crewkit cannot open its data"


def unavailable(message: str) -> ft.Control:
    return ft.Container(
        expand=True,
        padding=24,
        alignment=ft.Alignment.CENTER,
        content=ft.Column(
            tight=True,
            width=420,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            spacing=16,
            controls=[
                ft.Icon(ft.Icons.ERROR_OUTLINE, size=64, color=ft.Colors.ERROR),
                ft.Text(
                    TITLE,
                    theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                    text_align=ft.TextAlign.CENTER,
                ),
                ft.Text(
                    message,
                    theme_style=ft.TextThemeStyle.BODY_LARGE,
                    text_align=ft.TextAlign.CENTER,
                ),
            ],
        ),
    )
