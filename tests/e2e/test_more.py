"""More in a real browser over the sample production: crew directory, notes, a report."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]


@pytest.fixture
def more_page(open_app: Callable[..., Page], sample_crewkit_url: str) -> Page:
    page = open_app(url=sample_crewkit_url)
    page.get_by_role("tab", name="More", exact=True).click()
    expect(page.get_by_role("heading", name="More", exact=True)).to_be_visible()
    return page


def card(page: Page, text: str) -> Locator:
    """A list row or card: Flutter merges its texts into one group's name."""
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def person(page: Page, name: str) -> Locator:
    """A crew directory row: one button named by the person, their role and department."""
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}\b"))


def open_section(page: Page, title: str) -> None:
    """Tap a menu entry (a list tile: one button named by its title and subtitle)."""
    page.get_by_role("button", name=re.compile(rf"^{title}\b")).click()
    expect(page.get_by_role("button", name="More", exact=True)).to_be_visible()


def test_menu_and_crew_directory(
    more_page: Page, screenshot: Screenshot, type_text: Callable[[Locator, str], None]
) -> None:
    page = more_page
    screenshot(page, "menu")
    open_section(page, "Crew directory")
    expect(person(page, "Zoë Whitfield")).to_be_visible()
    expect(page.get_by_role("button", name="Call").first).to_be_visible()
    screenshot(page, "crew")
    type_text(page.get_by_role("textbox", name="Search crew"), "camera")
    expect(page.get_by_text("3 of 15 people")).to_be_visible()
    expect(person(page, "Daniel Okafor")).to_be_visible()
    expect(person(page, "Zoë Whitfield")).to_have_count(0)
    page.get_by_role("button", name="More", exact=True).click()
    expect(page.get_by_text("Notes and incidents")).to_be_visible()


def test_log_a_note_and_export_the_daily_report(
    more_page: Page, screenshot: Screenshot, type_text: Callable[[Locator, str], None]
) -> None:
    page = more_page
    open_section(page, "Notes and incidents")
    page.get_by_role("button", name="Add note").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Title"), "Generator smoking at base")
    dialog.get_by_role("radio", name="Critical").click()
    screenshot(page, "add-note")
    dialog.get_by_role("button", name="Save").click()
    new_note = card(page, "Generator smoking at base")
    expect(new_note).to_have_attribute("aria-label", re.compile(r"^CRITICAL\s"))
    screenshot(page, "notes")

    page.get_by_role("button", name="More", exact=True).click()
    open_section(page, "Reports")
    screenshot(page, "reports")
    with page.expect_download() as download:
        page.get_by_role("button", name="Daily report PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page.get_by_text("Exported salt-line-short-film-daily-report").last).to_be_visible()
    screenshot(page, "exported")


def test_locations_and_about(more_page: Page, screenshot: Screenshot) -> None:
    page = more_page
    open_section(page, "Locations")
    expect(card(page, "Praia da Adraga")).to_be_visible()
    expect(page.get_by_role("button", name="Open map").first).to_be_visible()
    screenshot(page, "locations")
    page.get_by_role("button", name="More", exact=True).click()
    open_section(page, "About")
    expect(page.get_by_text("nothing needed recovering", exact=False)).to_be_visible()
    screenshot(page, "about")
