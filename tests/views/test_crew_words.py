"""Messages and labels in the words a crew member uses, and errors that wrap in full
under the fields they are about (even half-width ones on a phone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import flet as ft

from app.custody import Custody
from views.expenses import expenses_screen
from views.first_run import CREATE
from views.gear.rows import due_text
from views.more.screen import more_screen
from views.shell import Shell
from views.today import build_today
from views.widgets import ERROR_LINES


async def test_a_production_ending_before_it_starts_says_both_days(empty_ctx, empty_ui) -> None:
    ui = empty_ui
    Shell(empty_ctx).mount()
    await ui.click(ui.find(empty_ctx.page, ft.OutlinedButton, CREATE))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField, "Production name"), "Promo")
    await ui.type_into(ui.find(dialog, ft.TextField, "First day"), "2026-12-07")
    last = ui.find(dialog, ft.TextField, "Last day")
    await ui.type_into(last, "2026-12-05")
    await ui.click(ui.find(dialog, ft.Button, "Create"))
    assert last.error == "The last day (Sat 5 Dec 2026) is before the first day (Mon 7 Dec 2026)."
    assert last.error_max_lines == ERROR_LINES
    await ui.type_into(last, "2026-12-09")
    currency = ui.find(dialog, ft.TextField, "Currency")
    await ui.type_into(currency, "EURO")
    await ui.click(ui.find(dialog, ft.Button, "Create"))
    assert currency.error == (
        "EURO is not a currency code. Type its three letters, e.g. EUR, GBP or USD."
    )
    assert currency.error_max_lines == ERROR_LINES


async def test_time_and_amount_errors_under_half_width_fields_wrap_in_full(ctx, ui) -> None:
    today = ui.mount(build_today(ctx))
    await ui.click(ui.find(today, ft.TextButton, "Add item"))
    editor = ui.dialog()
    start = ui.find(editor, ft.TextField, "Start (HH:MM)")
    await ui.type_into(start, "7h3o")
    await ui.click(ui.find(editor, ft.FilledButton, "Save"))
    assert start.error == "7h3o is not a time; type HH:MM, e.g. 07:30."
    assert start.error_max_lines == ERROR_LINES
    assert ui.find(editor, ft.TextField, "End (HH:MM)").error_max_lines == ERROR_LINES
    ctx.page.pop_dialog()

    screen = ui.mount(expenses_screen(ctx))
    await ui.click(ui.find(screen, ft.FloatingActionButton, "Add expense"))
    amount = ui.find(ui.dialog(), ft.TextField, "Amount")
    assert amount.error_max_lines == ERROR_LINES


async def test_severities_are_whole_words_that_wrap_as_a_row(ctx, ui) -> None:
    root = ui.mount(more_screen(ctx))
    await ui.click(ui.find(root, ft.ListTile, "Notes and incidents"))
    await ui.click(ui.find(root, ft.FilledButton, "Add note"))
    dialog = ui.dialog()
    assert not ui.find_all(dialog, ft.SegmentedButton)  # segments split "Critical" in two
    group = ui.find(dialog, ft.RadioGroup)
    assert isinstance(group.content, ft.Row) and group.content.wrap
    assert [r.label for r in ui.find_all(dialog, ft.Radio)] == [
        "Info",
        "Minor",
        "Major",
        "Critical",
    ]
    assert group.value == "info"
    assert ui.find(dialog, ft.TextField, "Time").error_max_lines == ERROR_LINES


def test_a_late_item_says_when_it_was_due_back_without_shouting() -> None:
    now = datetime(2025, 6, 11, 21, 0, tzinfo=UTC)
    due = (now - timedelta(hours=1)).isoformat()
    late = Custody("i", "out", "p", due, None)
    assert due_text(late, UTC, now) == "late: due back Wed 11 Jun 20:00"
    assert due_text(late, UTC, now - timedelta(hours=2)) == "due back Wed 11 Jun 20:00"
    missing = Custody("i", "missing", "p", due, None)
    assert not missing.is_overdue(now)  # missing is its own trouble, not "late"
