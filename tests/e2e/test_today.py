"""Today in a real browser over the sample production (today is its day 2).

What "now" and "next" should be depends on the clock in Lisbon when the test runs, so
the test asks the schedule service the same question over its own copy of the sample
and expects the screen to agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from app.blobs import BlobStore
from app.sample import load_sample
from app.schedule import day_items
from app.schedule_today import today
from app.store import Store
from views.first_run import sample_today
from views.today.clock import short_day

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]
LISBON = ZoneInfo("Europe/Lisbon")


def expected_today(data_dir: Path) -> tuple[list[str], str | None, str]:
    """(titles now, title next, first title) for the sample loaded as the server's was."""
    store = Store.open(data_dir)
    try:
        production_id = load_sample(
            store, BlobStore(data_dir / "blobs"), sample_today(datetime.now(UTC))
        )
        current = today(store, production_id)
        first = day_items(store, production_id, current.day)[0]["title"]
    finally:
        store.close()
    upcoming = current.next["title"] if current.next else None
    return [i["title"] for i in current.now], upcoming, first


def card(page: Page, title: str) -> Locator:
    """A timeline card: Flutter merges a card's texts into one group named by them all."""
    return page.get_by_role("group", name=re.compile(re.escape(title)))


def scroll_to(page: Page, target: Locator, *, down: bool = True) -> None:
    """Wheel the timeline until ``target`` is built (Flutter builds only what is near)."""
    page.mouse.move(206, 500)
    for _ in range(40):
        if target.count() and target.first.is_visible():
            target.first.scroll_into_view_if_needed()
            return
        page.mouse.wheel(0, 300 if down else -300)
        page.wait_for_timeout(150)
    expect(target.first).to_be_visible()


def test_timeline_shows_now_and_next_and_records_a_start(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    tmp_path: Path,
    screenshot: Screenshot,
    app_ready: Callable[[Page], None],
) -> None:
    running, upcoming, first = expected_today(tmp_path / "expected")
    page = open_app(url=sample_crewkit_url)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Day 2 of 3"))).to_be_visible()
    expect(card(page, first)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Checklists\s+\d+/\d+ done"))).to_be_visible()
    screenshot(page, "top")

    for title in running:
        scroll_to(page, card(page, title))
        expect(card(page, title)).to_have_accessible_name(re.compile(r"\bNOW\b"))
    if upcoming:
        scroll_to(page, card(page, upcoming))
        expect(card(page, upcoming)).to_have_accessible_name(re.compile(r"\bNEXT\b"))
        screenshot(page, "next")
    start = card(page, first).get_by_role("button", name="Start")
    scroll_to(page, start, down=False)  # back up until the first card's buttons show

    before = datetime.now(LISBON).strftime("%H:%M")
    card(page, first).get_by_role("button", name="Start").click()
    after = datetime.now(LISBON).strftime("%H:%M")
    started = re.compile(rf"Started ({before}|{after}).*\bNOW\b")
    expect(card(page, first)).to_have_accessible_name(started)
    screenshot(page, "started")

    page.reload()
    app_ready(page)
    expect(card(page, first)).to_have_accessible_name(started)


def test_add_item_dialog_shows_a_bad_time_inline(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Screenshot,
    type_text: Callable[[Locator, str], None],
    held_tap: Callable[[Locator], None],
) -> None:
    page = open_app(url=sample_crewkit_url)
    page.get_by_role("button", name="Add item").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Title"), "Drone shots of the cove")
    start = dialog.get_by_role("textbox", name="Start (HH:MM)")
    type_text(start, "7h3o")
    held_tap(dialog.get_by_role("button", name="Save"))
    expect(start).to_have_attribute(
        "aria-description", "7h3o is not a time; type HH:MM, e.g. 07:30."
    )
    screenshot(page, "error")
    type_text(start, "23:10")
    held_tap(dialog.get_by_role("button", name="Save"))
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    scroll_to(page, card(page, "Drone shots of the cove"))
    expect(card(page, "Drone shots of the cove")).to_have_accessible_name(re.compile("^23:10 "))


def test_the_calendar_jumps_to_the_day_tapped_on_a_phone_in_another_zone(
    open_app: Callable[..., Page], sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    """The phone is on Tokyo time, nine hours ahead of the Lisbon shoot: the calendar
    reports a tapped day as Tokyo's midnight, which is the day before in Lisbon."""
    page = open_app(url=sample_crewkit_url, timezone_id="Asia/Tokyo")
    today = sample_today(datetime.now(UTC))
    target = today - timedelta(days=1)  # day 1; day 3 when day 1 is last month
    if target.month != today.month:
        target = today + timedelta(days=1)
    page.get_by_role("button", name="Pick a day").click()
    picker = page.get_by_role("dialog")
    expect(picker.get_by_role("button", name=re.compile(r", Today$"))).to_be_visible()
    picker.get_by_role("button", name=re.compile(rf"^{target.day}, ")).click()
    screenshot(page, "calendar")
    picker.get_by_role("button", name="OK").click()
    day = 1 if target < today else 3
    heading = f"{short_day(target.isoformat())} · Day {day} of 3"
    expect(page.get_by_role("group", name=heading, exact=True)).to_be_visible()
    screenshot(page, "jumped")


def test_an_end_before_the_start_is_refused_unless_it_ends_next_day(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Screenshot,
    type_text: Callable[[Locator, str], None],
    held_tap: Callable[[Locator], None],
) -> None:
    """Every tap is held past the engine's 200 ms (as on a busy machine): the dialog
    changes only as Save's answer, so no held tap can land beside its button."""
    page = open_app(width=390, height=844, url=sample_crewkit_url)
    page.get_by_role("button", name="Add item").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Title"), "Night exterior")
    type_text(dialog.get_by_role("textbox", name="Start (HH:MM)"), "18:55")
    end = dialog.get_by_role("textbox", name="End (HH:MM)")
    type_text(end, "18:20")
    held_tap(dialog.get_by_role("button", name="Save"))
    expect(end).to_have_attribute(
        "aria-description",
        "Before the 18:55 start. If it runs past midnight, tick “Ends next day”.",
    )
    screenshot(page, "end-before-start")
    held_tap(dialog.get_by_role("checkbox", name="Ends next day (+1 day)"))
    expect(dialog.get_by_role("checkbox", name="Ends next day (+1 day)")).to_be_checked()
    held_tap(dialog.get_by_role("button", name="Save"))
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    scroll_to(page, card(page, "Night exterior"))
    expect(card(page, "Night exterior")).to_have_accessible_name(
        re.compile("^18:55\u201318:20 \\+1 day")
    )
    page.mouse.wheel(0, 200)  # clear of the "Added" message
    screenshot(page, "plus-one-day")
