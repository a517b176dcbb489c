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

_HEADING_KEY = "shell.heading"


def set_heading(ctx: AppContext, text: str) -> None:
    """Put ``text`` in the app bar instead of the destination's name while the screen is
    shown (Today says which day it shows). Without a shell (a screen built alone in a
    test) there is no app bar and the call does nothing."""
    setter = ctx.extras.get(_HEADING_KEY)
    if callable(setter):
        setter(text)


def install_heading(ctx: AppContext, setter: Callable[[str], None]) -> None:
    """The shell's side of :func:`set_heading`."""
    ctx.extras[_HEADING_KEY] = setter


@dataclass(frozen=True)
class Destination:
    """One entry of the navigation bar / rail and the screen it opens."""

    label: str
    icon: ft.IconData
    selected_icon: ft.IconData
    build: ScreenBuilder
