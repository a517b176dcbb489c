"""The shell in a real browser: every destination opens, the sync chip is always there,
and the navigation follows the window width."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

SCREENS = {
    "Today": "today's call times",
    "Checklists": "tick off its checklists",
    "Gear": "scan gear in and out",
    "Expenses": "log spend against budget",
    "More": "crew, locations and reports",
}

Screenshot = Callable[[Page, str], Path]


def bar_tab(page: Page, label: str) -> Locator:
    """A bottom NavigationBar destination (phone layout)."""
    return page.get_by_role("tab", name=label, exact=True)


def rail_button(page: Page, label: str) -> Locator:
    """A NavigationRail destination (wide layout), named "<label> Tab i of n"."""
    return page.get_by_role("button", name=re.compile(rf"^{label}\s+Tab \d+ of \d+$"))


def sync_chip(page: Page) -> Locator:
    return page.get_by_role("button", name="Offline", exact=True)


def test_each_destination_shows_its_screen(crewkit_page: Page, screenshot: Screenshot) -> None:
    page = crewkit_page
    for label, empty_state in SCREENS.items():
        bar_tab(page, label).click()
        expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
        expect(bar_tab(page, label)).to_have_attribute("aria-selected", "true")
        expect(page.get_by_text("No production yet", exact=False)).to_contain_text(empty_state)
        expect(sync_chip(page)).to_be_visible()
        screenshot(page, label.lower())


def test_sync_chip_explains_offline_state(crewkit_page: Page, screenshot: Screenshot) -> None:
    page = crewkit_page
    sync_chip(page).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("not paired with a sync server")
    screenshot(page, "dialog")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)


def test_navigation_follows_window_width(
    open_app: Callable[..., Page], screenshot: Screenshot
) -> None:
    page = open_app(width=1280, height=800)
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
    open_app: Callable[..., Page], screenshot: Screenshot
) -> None:
    page = open_app(color_scheme="dark")
    expect(sync_chip(page)).to_be_visible()
    with Image.open(screenshot(page, "dark")) as image:
        background = image.convert("L").getpixel((image.width // 2, image.height // 4))
    assert background < 64, f"expected a dark background, got luminance {background}"
