"""Today, Gear and the daily report count the gear out and overdue alike, in words that
say they count items (a missing item last held by someone is missing, not out)."""

from __future__ import annotations

import io

import flet as ft
from pypdf import PdfReader

from app.custody import all_custody, count_out
from app.reports.daily import daily_report_pdf
from app.schedule_today import local_day
from views.gear import gear_screen
from views.gear.rows import people_names
from views.today import build_today


async def test_today_gear_and_the_report_agree_on_what_is_out(ctx, ui) -> None:
    states = all_custody(ctx.store).values()
    missing = [c for c in states if c.status == "missing"]
    assert missing and missing[0].holder_id  # the sample's missing item was last held
    crew = people_names(ctx.store, ctx.production_id)
    count = count_out(states, ctx.now(), holders=crew)
    assert (count.out, count.overdue) == (45, 3)
    assert sum(1 for c in states if c.status == "out") == count.out  # Gear's "Out" filter

    today = ui.texts(ui.mount(build_today(ctx)))
    assert "45 items out" in today and "3 items overdue" in today
    gear = ui.texts(ui.mount(gear_screen(ctx)))
    assert any(t.endswith("items · 45 items out · 3 items overdue") for t in gear)

    day = local_day(ctx.store, ctx.production_id, ctx.now())
    pdf = daily_report_pdf(ctx.store, ctx.production_id, day, now=ctx.now())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "45 items out, 3 items overdue" in " ".join(text.split())


def test_one_item_is_said_in_the_singular() -> None:
    from app.custody import OutCount

    assert (OutCount(1, 1).out_words, OutCount(1, 1).overdue_words) == (
        "1 item out",
        "1 item overdue",
    )
    assert OutCount(0, 0).overdue_words == "0 items overdue"


def test_the_held_by_filter_says_what_it_shows(ctx, ui) -> None:
    root = ui.mount(gear_screen(ctx))
    held_by = ui.find(root, ft.Dropdown, "Held by")
    assert held_by.options[0].text == "All"  # "Holder: Anyone" read as "held by someone"


async def test_a_late_items_line_wraps_rather_than_being_cut_off(ctx, ui) -> None:
    """At phone width "Out · holder · late: due back Wed 02 Dec 20:00" takes two lines;
    a one-line summary lost the due time to an ellipsis."""
    root = ui.mount(gear_screen(ctx))
    await ui.type_into(ui.find(root, ft.TextField, "Search gear"), "video village")
    lines = [tile.subtitle for tile in ui.find_all(root, ft.ListTile)]
    late = [line for line in lines if "late: due back" in line.value]
    assert late
    assert all((line.max_lines or 0) >= 2 for line in late)
