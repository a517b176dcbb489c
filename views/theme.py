"""Crewkit's Material 3 look: one colour seed, light and dark.

Material 3 derives the whole colour scheme (surfaces, containers, outlines) from a
seed, so a single constant keeps every screen consistent. Safety orange is the colour
of gaffer tape and hi-vis vests on a set: it reads in daylight on a phone and stays
calm in the dark scheme used on night shoots.
"""

from __future__ import annotations

import flet as ft

SEED_COLOR = "#E8590C"


def crewkit_theme() -> ft.Theme:
    """The theme for both modes; Flutter derives the dark scheme from the same seed."""
    return ft.Theme(color_scheme_seed=SEED_COLOR, use_material3=True)


def apply_theme(page: ft.Page) -> None:
    """Install the light and dark themes and follow the device's light/dark setting."""
    page.theme = crewkit_theme()
    page.dark_theme = crewkit_theme()
    page.theme_mode = ft.ThemeMode.SYSTEM
