"""A change arriving from elsewhere while a page of More is open: the page stays."""

from __future__ import annotations

import asyncio
import contextvars

import flet as ft

from app.notes import add_note
from app.productions import add_person
from views.refresh import COALESCE_S
from views.shell import Shell

MORE = 4


async def _from_elsewhere(ui, commit) -> None:
    """Commit as the sync engine does (outside any session's handler), then let the
    session's refresh run."""
    contextvars.Context().run(commit)
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()


async def test_a_remote_note_keeps_the_notes_page_and_the_open_form(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    shell.select(MORE)
    await ui.click(ui.find(shell.body, ft.ListTile, "Notes and incidents"))
    await ui.click(ui.find(shell.body, ft.FilledButton, "Add note"))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField, "Title"), "Generator smoking")

    await _from_elsewhere(
        ui,
        lambda: add_note(ctx.store, ctx.production_id, title="Rain cover torn", at=ctx.now()),
    )

    assert "Rain cover torn" in ui.texts(shell.body)  # shown in the list on show
    ui.find(shell.body, ft.TextButton, "More")  # still on the Notes page, not the menu
    assert ui.dialogs() == [dialog]
    assert ui.find(dialog, ft.TextField, "Title").value == "Generator smoking"
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    assert ui.dialogs() == []
    assert {"Rain cover torn", "Generator smoking"} <= set(ui.texts(shell.body))


async def test_a_remote_person_shows_in_the_crew_page_with_its_search_kept(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    shell.select(MORE)
    await ui.click(ui.find(shell.body, ft.ListTile, "Crew directory"))
    search = ui.find(shell.body, ft.TextField, "Search crew")
    await ui.type_into(search, "Nadia")
    await _from_elsewhere(
        ui, lambda: add_person(ctx.store, ctx.production_id, name="Nadia Costa", role="Gaffer")
    )
    assert ui.find(shell.body, ft.TextField, "Search crew") is search  # redrawn in place
    assert search.value == "Nadia"
    assert "Nadia Costa" in ui.texts(shell.body)


async def test_a_remote_change_keeps_any_open_page_of_more(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    shell.select(MORE)
    await ui.click(ui.find(shell.body, ft.ListTile, "Locations"))
    await _from_elsewhere(
        ui,
        lambda: add_note(ctx.store, ctx.production_id, title="Rain cover torn", at=ctx.now()),
    )
    ui.find(shell.body, ft.TextButton, "More")
    assert any("Praia da Adraga" in t for t in ui.texts(shell.body))
    await ui.click(ui.find(shell.body, ft.TextButton, "More"))
    await _from_elsewhere(
        ui,
        lambda: add_note(ctx.store, ctx.production_id, title="Second note", at=ctx.now()),
    )
    ui.find(shell.body, ft.ListTile, "Locations")  # the menu stays the menu
