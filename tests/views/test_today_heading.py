"""The app bar names the day Today shows: "Today" only on the production's today."""

from __future__ import annotations

import flet as ft

from views.shell import Shell
from views.today.summary import day_title


def _go(ui, shell: Shell, label: str):
    button = next(s for s in ui.find_all(shell.body, ft.Semantics) if s.label == label)
    return ui.click(button.content)


async def test_the_heading_names_the_day_when_it_is_not_today(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    assert shell.title.value == "Today"  # the sample's today, Wed 11 Jun 2025
    await _go(ui, shell, "Next day")
    assert shell.title.value == "Tomorrow"
    await _go(ui, shell, "Next day")
    assert shell.title.value == "Fri 13 Jun"
    await _go(ui, shell, "Previous day")
    await _go(ui, shell, "Previous day")
    await _go(ui, shell, "Previous day")
    assert shell.title.value == "Yesterday"
    shell.select(2)  # Gear keeps its own name
    assert shell.title.value == "Gear"


def test_day_title() -> None:
    assert day_title("2026-12-02", "2026-12-02") == "Today"
    assert day_title("2026-12-05", "2026-12-02") == "Sat 5 Dec"
