"""The contract between the shell and a screen.

A screen is anything that turns an ``AppContext`` into a control. The shell calls the
builder each time its destination is opened, so a screen always shows the store as it
is now and keeps no state the shell has to manage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from views.context import AppContext

ScreenBuilder = Callable[[AppContext], ft.Control]


@dataclass(frozen=True)
class Destination:
    """One entry of the navigation bar / rail and the screen it opens."""

    label: str
    icon: ft.IconData
    selected_icon: ft.IconData
    build: ScreenBuilder
