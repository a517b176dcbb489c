"""Today against the sample production at 11:30 in Lisbon on its second day."""

from __future__ import annotations

import asyncio
import contextvars
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft
import pytest

from app.schedule import day_items, delete_item, mark_done
from views.refresh import COALESCE_S
from views.shell import Shell
from views.today import build_today
from views.today.clock import ClockError, on_day, parse_clock
from views.today.screen import DAY_KEY, TodayScreen
from views.today.summary import day_word
from views.today.timeline_item import maps_url

LISBON = ZoneInfo("Europe/Lisbon")


def _cards(ui, screen) -> list[ft.Container]:
    """The timeline cards: containers holding an "Edit" button."""
    return [
        c
        for c in ui.find_all(screen, ft.Container)
        if isinstance(c.content, ft.Column)
        and any(b.content == "Edit" for b in ui.find_all(c, ft.TextButton))
    ]


def _card(ui, screen, title: str) -> ft.Container:
    return next(c for c in _cards(ui, screen) if title in ui.texts(c))


def _day(ctx) -> str:
    return "2025-06-11"


async def test_shows_the_day_with_now_next_and_call_sheet(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    texts = ui.texts(screen)
    assert "Wed 11 Jun · Day 2 of 3" in texts
    assert len(_cards(ui, screen)) == len(day_items(ctx.store, ctx.production_id, _day(ctx)))
    # 11:30: lunch has just begun, the cliff scene comes next.
    now = _card(ui, screen, "Lunch at unit base")
    assert "NOW" in ui.texts(now)
    assert "NEXT" in ui.texts(_card(ui, screen, "Sc. 7: Cliff path, day. Rita and Jorge argue"))
    assert "11:30\u201312:30" in ui.texts(now)
    assert any(t.startswith("Unit base, Adraga car park") for t in ui.texts(now))
    sheet = ui.find(screen, ft.ExpansionTile)
    assert "Call sheet" in sheet.title.value
    assert "06:15" in ui.texts(sheet)  # the crew call, not the earlier unit move


async def test_summary_strip_counts_checklists_gear_and_spend(ctx, ui) -> None:
    texts = ui.texts(ui.mount(build_today(ctx)))
    assert "5/13 done" in texts  # safety walk 3/6 and camera prep 2/7 on day 2
    assert "5 required open" in texts
    assert "45 items out" in texts and "3 items overdue" in texts  # not the missing one
    assert "149.25 EUR, 28.99 GBP today" in texts  # a London hire paid in pounds
    assert "6% of EUR budget" in texts


async def test_map_link_uses_the_locations_position() -> None:
    assert maps_url({"lat": 38.8, "lon": -9.48, "address": "x"}).endswith("query=38.8%2C-9.48")
    assert maps_url({"lat": None, "lon": None, "address": "Rua 1"}).endswith("query=Rua+1")
    assert maps_url({"lat": None, "lon": None, "address": ""}) is None


async def test_start_done_and_delayed_record_what_happened(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    cliff = "Sc. 7: Cliff path, day. Rita and Jorge argue"
    await ui.click(ui.find(_card(ui, screen, cliff), ft.FilledTonalButton, "Start"))
    card = _card(ui, screen, cliff)
    assert "Started 11:30" in ui.texts(card) and "NOW" in ui.texts(card)
    await ui.click(ui.find(card, ft.OutlinedButton, "Done"))
    assert "Actual 11:30\u201311:30" in ui.texts(_card(ui, screen, cliff))

    pickups = "Sc. 8: Beach pick-ups before the tide"
    await ui.click(ui.find(_card(ui, screen, pickups), ft.TextButton, "Delayed"))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField), "Tide came in early")
    await ui.click(ui.find(dialog, ft.FilledButton, "Mark delayed"))
    card = _card(ui, screen, pickups)
    assert "Delayed" in ui.texts(card)
    assert "[11:30] Delayed: Tide came in early" in ui.texts(card)


async def test_a_refused_action_is_shown_not_raised(ctx, ui) -> None:
    screen = TodayScreen(ctx, ctx.production_id)
    ui.mount(screen.view)
    lunch = next(i for i in day_items(ctx.store, ctx.production_id, _day(ctx))
                 if i["title"] == "Lunch at unit base")  # fmt: skip
    mark_done(ctx.store, lunch["id"])  # on another device, before this screen heard of it
    screen.actions.done(lunch)
    assert ui.snackbars() == ["'Lunch at unit base' is already done."]


async def test_add_item_shows_problems_inline_then_saves(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    await ui.click(ui.find(screen, ft.TextButton, "Add item"))
    dialog = ui.dialog()
    fields = {f.label: f for f in ui.find_all(dialog, ft.TextField)}
    await ui.type_into(fields["Start (HH:MM)"], "7h3o")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert fields["Start (HH:MM)"].error == "7h3o is not a time; type HH:MM, e.g. 07:30."
    await ui.type_into(fields["Start (HH:MM)"], "17:00")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert fields["Start (HH:MM)"].error is None
    assert fields["Title"].error == "The title must not be empty."
    await ui.type_into(fields["Title"], "Drone shots of the cove")
    await ui.type_into(fields["End (HH:MM)"], "1730")
    ui.find(dialog, ft.Chip, "Zoë Whitfield").selected = True
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert not dialog.open
    card = _card(ui, screen, "Drone shots of the cove")
    assert "17:00\u201317:30" in ui.texts(card)
    assert "Zoë Whitfield" in ui.texts(card)
    assert ui.snackbars() == ["Added 'Drone shots of the cove'"]


async def test_an_end_before_the_start_is_refused(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    before = day_items(ctx.store, ctx.production_id, _day(ctx))
    await ui.click(ui.find(screen, ft.TextButton, "Add item"))
    dialog = ui.dialog()
    fields = {f.label: f for f in ui.find_all(dialog, ft.TextField)}
    await ui.type_into(fields["Title"], "Night exterior")
    await ui.type_into(fields["Start (HH:MM)"], "18:55")
    await ui.type_into(fields["End (HH:MM)"], "18:20")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert dialog.open
    assert fields["End (HH:MM)"].error == (
        "Before the 18:55 start. If it runs past midnight, tick “Ends next day”."
    )
    assert day_items(ctx.store, ctx.production_id, _day(ctx)) == before


async def test_a_night_end_is_on_the_next_day_only_when_ticked(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    title = "Unit move: Adraga to Lisbon"
    await ui.click(ui.find(_card(ui, screen, title), ft.TextButton, "Edit"))
    dialog = ui.dialog()
    fields = {f.label: f for f in ui.find_all(dialog, ft.TextField)}
    next_day = ui.find(dialog, ft.Checkbox, "Ends next day (+1 day)")
    assert fields["Start (HH:MM)"].value == "17:30" and next_day.value is False
    await ui.type_into(fields["Start (HH:MM)"], "23:00")
    await ui.type_into(fields["End (HH:MM)"], "00:30")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert dialog.open and "Before the 23:00 start" in fields["End (HH:MM)"].error
    next_day.value = True
    await ui.fire(next_day, "change", "true")
    await ui.type_into(fields["End (HH:MM)"], "23:30")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert dialog.open and "more than 24 hours" in fields["End (HH:MM)"].error
    await ui.type_into(fields["End (HH:MM)"], "00:30")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save"))
    assert not dialog.open
    moved = next(i for i in day_items(ctx.store, ctx.production_id, _day(ctx))
                 if i["title"] == title)  # fmt: skip
    assert moved["planned_end"].startswith("2025-06-12T00:30")
    assert "23:00\u201300:30 +1 day" in ui.texts(_card(ui, screen, title))
    await ui.click(ui.find(_card(ui, screen, title), ft.TextButton, "Edit"))
    assert ui.find(ui.dialog(), ft.Checkbox, "Ends next day").value is True


async def test_date_navigation_and_days_outside_the_production(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    await ui.click(ui.find(screen, ft.Semantics, "Next day").content)
    assert "Thu 12 Jun · Day 3 of 3" in ui.texts(screen)
    assert ctx.extras[DAY_KEY] == "2025-06-12"
    await ui.click(ui.find(screen, ft.Semantics, "Next day").content)
    assert "Fri 13 Jun · not a production day" in ui.texts(screen)
    await ui.click(ui.find(screen, ft.Button, "Go to the nearest production day"))
    assert "Thu 12 Jun · Day 3 of 3" in ui.texts(screen)
    await ui.click(ui.find(screen, ft.TextButton, "Today"))
    assert "Wed 11 Jun · Day 2 of 3" in ui.texts(screen)


async def test_the_calendar_jumps_to_the_day_tapped(ctx, ui) -> None:
    screen = ui.mount(build_today(ctx))
    await ui.click(ui.find(screen, ft.Semantics, "Pick a day").content)
    picker = next(d for d in ui.dialogs() if isinstance(d, ft.DatePicker))
    assert picker.value.astimezone(LISBON).date().isoformat() == "2025-06-11"
    await ui.pick_date(datetime(2025, 6, 9, 23, 0, tzinfo=UTC))  # 10 June, tapped in Lisbon
    assert "Tue 10 Jun · Day 1 of 3" in ui.texts(screen)
    assert ctx.extras[DAY_KEY] == "2025-06-10"


async def test_an_empty_day_offers_the_first_item(ctx, ui) -> None:
    for item in day_items(ctx.store, ctx.production_id, "2025-06-12"):
        delete_item(ctx.store, item["id"])
    ctx.extras[DAY_KEY] = "2025-06-12"
    screen = ui.mount(build_today(ctx))
    assert "Nothing is scheduled on this day." in ui.texts(screen)
    await ui.click(ui.find(screen, ft.Button, "Add the first item"))
    assert ui.dialog().title.value == "Add item"


def test_without_a_production_says_what_to_do(empty_ctx, empty_ui) -> None:
    screen = empty_ui.mount(build_today(empty_ctx))
    assert empty_ui.texts(screen) == [
        "No production yet: load the sample production or create one to see today's call times."
    ]


def test_clock_parsing() -> None:
    assert str(parse_clock("7:05")) == "07:05:00"
    assert str(parse_clock("0730")) == "07:30:00"
    with pytest.raises(ClockError, match="25:00 is not a time"):
        parse_clock("25:00")
    assert on_day("2025-06-11", parse_clock("02:00"), LISBON).isoformat() == (
        "2025-06-11T02:00:00+01:00"
    )


async def test_a_change_from_elsewhere_redraws_in_place(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    screen = shell.body.content
    lunch = next(i for i in day_items(ctx.store, ctx.production_id, _day(ctx))
                 if i["title"] == "Lunch at unit base")  # fmt: skip
    # As the sync engine commits: outside any session's handler.
    contextvars.Context().run(lambda: mark_done(ctx.store, lunch["id"], clock=ctx.now))
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()
    assert shell.body.content is screen  # the same list, so the scroll position stays
    assert "Done at 11:30" in ui.texts(_card(ui, screen, "Lunch at unit base"))


def test_the_strip_names_the_day_shown_not_always_today() -> None:
    assert day_word("2026-12-02", "2026-12-02") == "today"
    assert day_word("2026-12-03", "2026-12-02") == "tomorrow"
    assert day_word("2026-12-01", "2026-12-02") == "yesterday"
    assert day_word("2026-12-05", "2026-12-02") == "on Sat 5 Dec"


async def test_another_days_summary_does_not_say_today(ctx, ui) -> None:
    screen = TodayScreen(ctx, ctx.production_id)
    ui.mount(screen.view)
    tomorrow = (date.fromisoformat(screen.today) + timedelta(days=1)).isoformat()
    screen.show_day(tomorrow)
    texts = ui.texts(screen.view)
    assert not [t for t in texts if t.endswith(" today")]
    assert any(t.endswith(" tomorrow") for t in texts)
