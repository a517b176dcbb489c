"""The screen shown instead of the app when its data cannot be opened.

It says why in the store's own sentence (a read-only or full disk, a folder in use by
another Crewkit) rather than letting the app fail on start and fail again.
"""

from __future__ import annotations

import flet as ft

from views.widgets import full_screen_panel

TITLE = "Crewkit cannot open its data"


def unavailable(message: str) -> ft.Control:
    return full_screen_panel(ft.Icons.ERROR_OUTLINE, ft.Colors.ERROR, TITLE, message)
