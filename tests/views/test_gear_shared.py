"""Gear is one pool for every production: a second production sees the same items, is
told so, sees who on the other production has what, and books gear only to its crew."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.custody import all_custody
from app.productions import add_person, create_production, get_production
from views.context import AppContext
from views.gear import gear_screen
from views.gear.listing import SHARED_NOTE

Ui = Any


def _second_production(ctx: AppContext) -> tuple[str, str]:
    """(the sample's name, the new production's one crew member's id); ctx opens the new one."""
    sample = get_production(ctx.store, ctx.production_id)["name"]
    ctx.production_id = create_production(
        ctx.store, name="Night Market Promo", starts_on="2025-06-20", ends_on="2025-06-21",
        timezone="Europe/Lisbon", currency="EUR",
    )  # fmt: skip
    return sample, add_person(ctx.store, ctx.production_id, name="Rita Moreno")


def _note_shown(ui: Ui, root: ft.Control) -> bool:
    [row] = [r for r in ui.find_all(root, ft.Row) if SHARED_NOTE in ui.texts(r)]
    return bool(row.visible)


async def test_a_second_production_sees_the_shared_gear_and_says_so(
    ctx: AppContext, ui: Ui
) -> None:
    assert not _note_shown(ui, ui.mount(gear_screen(ctx)))  # one production: nothing to say
    sample_name, rita = _second_production(ctx)
    out = next(s for s in all_custody(ctx.store).values() if s.status == "out")
    holder = ctx.store.get("people", out.holder_id)
    item = ctx.store.get("equipment", out.item_id)

    root = ui.mount(gear_screen(ctx))
    assert _note_shown(ui, root)
    tile = next(t for t in ui.find_all(root, ft.ListTile) if t.title.value == item["name"])
    assert f"Out · {holder['name']}, {sample_name}" in tile.subtitle.value

    await ui.click(ui.find(root, ft.Button, "Scan out"))
    picker = ui.find(root, ft.Dropdown, "Check out to")
    assert [o.key for o in picker.options] == [rita]
