"""Crewkit's Material 3 look: one strong blue, light and dark.

Material 3 derives the whole colour scheme (surfaces, containers, outlines) from a seed,
so a single constant keeps every screen consistent. A seed alone comes out muted (an
orange seed gave a brownish primary), so the primary itself is pinned to a saturated
signal blue in each mode: it reads in daylight on a phone, contrasts with the red of
errors and the amber of warnings, and keeps 4.5:1 text contrast on its container in
both schemes.
"""

from __future__ import annotations

import flet as ft

SEED_COLOR = "#1A56DB"
LIGHT_PRIMARY = "#1A56DB"
DARK_PRIMARY = "#8AB4FF"


def crewkit_theme(dark: bool = False) -> ft.Theme:
    """The theme for one mode; surfaces and containers still come from the seed."""
    return ft.Theme(
        color_scheme_seed=SEED_COLOR,
        color_scheme=ft.ColorScheme(primary=DARK_PRIMARY if dark else LIGHT_PRIMARY),
        use_material3=True,
    )


def apply_theme(page: ft.Page) -> None:
    """Install the light and dark themes and follow the device's light/dark setting."""
    page.theme = crewkit_theme()
    page.dark_theme = crewkit_theme(dark=True)
    page.theme_mode = ft.ThemeMode.SYSTEM
