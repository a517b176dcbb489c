"""The five places of the app, in navigation order.

This is the one list that says which screen each destination opens; the shell shows
the first-run screen instead while the device has no production.
"""

from __future__ import annotations

import flet as ft

from views.checklists import build_checklists
from views.expenses import expenses_screen
from views.gear import gear_screen
from views.more.screen import more_screen
from views.screen import Destination
from views.today import build_today

DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "Today",
        ft.Icons.TODAY_OUTLINED,
        ft.Icons.TODAY,
        build_today,
    ),
    Destination(
        "Checklists",
        ft.Icons.CHECKLIST_OUTLINED,
        ft.Icons.CHECKLIST,
        build_checklists,
    ),
    Destination(
        "Gear",
        ft.Icons.INVENTORY_2_OUTLINED,
        ft.Icons.INVENTORY_2,
        gear_screen,
    ),
    Destination(
        "Expenses",
        ft.Icons.RECEIPT_LONG_OUTLINED,
        ft.Icons.RECEIPT_LONG,
        expenses_screen,
    ),
    Destination(
        "More",
        ft.Icons.MORE_HORIZ_OUTLINED,
        ft.Icons.MORE_HORIZ,
        more_screen,
    ),
)
