"""The shell in a real browser, over the sample production: every destination opens
with the sync chip, the production switcher changes what is shown, the navigation
follows the window width, and the dark scheme follows the device."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

DESTINATIONS = ("Today", "Checklists", "Gear", "Expenses", "More")
SAMPLE = "Salt Line (short film)"

Screenshot = Callable[[Page, str], Path]
OpenApp = Callable[..., Page]


def bar_tab(page: Page, label: str) -> Locator:
    """A bottom NavigationBar destination (phone layout)."""
    return page.get_by_role("tab", name=label, exact=True)


def rail_button(page: Page, label: str) -> Locator:
    """A NavigationRail destination (wide layout), named "<label> Tab i of n"."""
    return page.get_by_role("button", name=re.compile(rf"^{label}\s+Tab \d+ of \d+$"))


def sync_chip(page: Page) -> Locator:
    return page.get_by_role("button", name="Not paired", exact=True)


def switcher(page: Page) -> Locator:
    """The production strip (its tooltip prefixes the production's name)."""
    return page.get_by_role("button", name=re.compile(r"^Switch production"))


@pytest.fixture
def sample_page(open_app: OpenApp, sample_crewkit_url: str) -> Page:
    return open_app(url=sample_crewkit_url)


def test_each_destination_shows_its_screen_and_the_sync_chip(
    sample_page: Page, screenshot: Screenshot
) -> None:
    page = sample_page
    for label in DESTINATIONS:
        bar_tab(page, label).click()
        expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
        expect(bar_tab(page, label)).to_have_attribute("aria-selected", "true")
        expect(sync_chip(page)).to_be_visible()
        expect(switcher(page)).to_contain_text(SAMPLE)
        screenshot(page, label.lower())


def test_sync_chip_opens_sync_details_with_pairing(
    sample_page: Page, screenshot: Screenshot
) -> None:
    page = sample_page
    sync_chip(page).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("not paired with a sync server")
    expect(dialog.get_by_role("button", name="Pair with a server")).to_be_visible()
    screenshot(page, "details")
    dialog.get_by_role("button", name="Pair with a server").click()
    pairing = page.get_by_role("alertdialog")
    expect(pairing.get_by_role("textbox", name="Join link")).to_be_visible()
    screenshot(page, "pairing")
    pairing.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_switching_production_changes_what_every_screen_shows(
    sample_page: Page, screenshot: Screenshot, type_text: Callable[[Locator, str], None]
) -> None:
    page = sample_page
    switcher(page).click()
    page.get_by_role("menuitem", name="New production…").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Production name"), "Harbour Lights")
    dialog.get_by_role("button", name="Create").click()
    expect(switcher(page)).to_contain_text("Harbour Lights")
    screenshot(page, "new-production")

    switcher(page).click()
    screenshot(page, "menu")
    page.get_by_role("menuitemcheckbox", name=SAMPLE).click()
    expect(switcher(page)).to_contain_text(SAMPLE)


def test_navigation_follows_window_width(
    open_app: OpenApp, sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    page = open_app(width=1280, height=800, url=sample_crewkit_url)
    expect(rail_button(page, "Today")).to_be_visible()
    expect(bar_tab(page, "Today")).to_have_count(0)
    rail_button(page, "Gear").click()
    expect(page.get_by_role("heading", name="Gear", exact=True)).to_be_visible()
    screenshot(page, "wide-gear")

    page.set_viewport_size({"width": 412, "height": 860})
    expect(bar_tab(page, "Gear")).to_have_attribute("aria-selected", "true")
    expect(rail_button(page, "Gear")).to_have_count(0)
    screenshot(page, "narrow-gear")


def test_dark_scheme_follows_the_device(
    open_app: OpenApp, sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    page = open_app(color_scheme="dark", url=sample_crewkit_url)
    bar_tab(page, "More").click()
    expect(sync_chip(page)).to_be_visible()
    with Image.open(screenshot(page, "dark")) as image:
        background = image.convert("L").getpixel((image.width // 2, image.height // 2))
    assert background < 64, f"expected a dark background, got luminance {background}"
