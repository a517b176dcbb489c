"""A form's layout changes only as the answer to a tap on its button.

A browser holds a tap back for up to 200 ms (Flutter tells a pointer tap from a screen
reader's click that way); when an error appears or goes under a field in that time,
because the field lost the focus to that very tap, Save moves and the held tap lands
beside it. So leaving a field, or ticking a box, must not redraw an error: only Save does.
"""

from __future__ import annotations

import flet as ft

from app.schedule import day_items
from app.schedule_today import local_day
from views.expenses import expenses_screen
from views.expenses.listing import production_expenses
from views.today import build_today


async def test_leaving_the_amount_field_redraws_nothing_until_save(ctx, ui) -> None:
    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    form = ui.dialog()
    amount = ui.find(form, ft.TextField, "Amount")
    await ui.type_into(amount, "12,5O")
    await ui.fire(amount, "blur")  # the tap on Save takes the focus
    assert amount.error is None
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert amount.error == "not an amount: '12,5O'"
    await ui.type_into(amount, "12,50")
    await ui.fire(amount, "blur")
    assert amount.error == "not an amount: '12,5O'"  # still there: Save answers
    ui.find(form, ft.TextField, "Vendor").value = "Drogaria Central"
    ui.find(form, ft.Dropdown, "Paid by").value = "ines"
    await ui.click(ui.find(form, ft.Button, "Save expense"))
    assert form not in ui.dialogs()
    vendors = [e["vendor"] for e in production_expenses(ctx.store, ctx.production_id)]
    assert "Drogaria Central" in vendors


async def test_the_item_editor_answers_only_save(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    await ui.click(ui.find(screen, ft.TextButton, "Add item"))
    dialog = ui.dialog()
    fields = {f.label: f for f in ui.find_all(dialog, ft.TextField)}
    end = fields["End (HH:MM)"]
    await ui.type_into(fields["Title"], "Night exterior")
    await ui.type_into(fields["Start (HH:MM)"], "18:55")
    await ui.type_into(end, "18:20")
    await ui.fire(end, "blur")
    assert end.error is None
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    refusal = end.error
    assert refusal and "Before the 18:55 start" in refusal
    next_day = ui.find(dialog, ft.Checkbox, "Ends next day (+1 day)")
    next_day.value = True
    await ui.fire(next_day, "change", "true")
    assert end.error == refusal  # the tick alone does not redraw the dialog
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert dialog not in ui.dialogs()
    today = local_day(ctx.store, ctx.production_id, ctx.now())
    titles = [i["title"] for i in day_items(ctx.store, ctx.production_id, today)]
    assert "Night exterior" in titles
