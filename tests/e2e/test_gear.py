"""Gear in the browser, over the sample production: the list, scan-to-cart through the
scan field as a hardware scanner types (code + Enter, focus kept for the next code),
the item's new status in the list and its detail, and an unknown label."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from app.equipment import items
from app.store import Store

pytestmark = pytest.mark.e2e

LIGHT = "Aputure LS 600d Pro #1"  # available in the sample
PANEL = "ARRI SkyPanel S60-C"  # available in the sample
ALEXA = "ARRI Alexa Mini LF body"  # out with Lea Brandt in the sample
TAKER = "Zoë Whitfield"


@pytest.fixture
def sample_codes(sample_data_dir: Path) -> dict[str, str]:
    """Item name -> the code printed on its label, read before the server opens the dir."""
    store = Store.open(sample_data_dir)
    try:
        return {item["name"]: item["code"] for item in items(store)}
    finally:
        store.close()


def _tile(page: Page, name: str, summary: str = "") -> Locator:
    """A Gear list row: one button named "<name> <status line> <code>"."""
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(name)} {summary}"))


def _open_gear(page: Page) -> None:
    page.get_by_role("tab", name="Gear").click()
    expect(page.get_by_role("textbox", name="Search gear")).to_be_visible()


def _scan_field(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Scan or type a code")


def _scan(page: Page, type_text: Callable[[Locator, str], None], code: str) -> None:
    """Type a code and press Enter, as a hardware scanner does; the field must show
    the code before Enter."""
    type_text(_scan_field(page), code)
    page.keyboard.press("Enter")


def test_scan_to_cart_checks_items_out(
    sample_codes: dict[str, str],
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
) -> None:
    page = open_app(url=sample_crewkit_url)
    _open_gear(page)
    expect(_tile(page, LIGHT, "Available")).to_be_visible()
    expect(_tile(page, ALEXA, "Out · Lea Brandt")).to_be_visible()
    screenshot(page, "list")

    page.get_by_role("button", name="Scan out").click()
    person = page.get_by_role("textbox", name="Check out to")
    expect(person).to_be_visible()
    person.click()
    page.get_by_role("button", name=TAKER).click()
    _scan(page, type_text, sample_codes[LIGHT])
    expect(page.get_by_text(f"Added {LIGHT}")).to_be_visible()
    expect(_scan_field(page)).to_be_focused()  # ready for the next code, untouched
    _scan(page, type_text, sample_codes[PANEL])
    expect(page.get_by_text(f"Added {PANEL}")).to_be_visible()
    _scan(page, type_text, sample_codes[ALEXA])
    expect(page.get_by_text(f"{ALEXA} is already out with Lea Brandt")).to_be_visible()
    confirm = page.get_by_role("button", name="Check out 2 items")
    expect(confirm).to_be_visible()
    screenshot(page, "cart")

    confirm.click()
    search = page.get_by_role("textbox", name="Search gear")
    expect(search).to_be_visible()
    type_text(search, "600d Pro #1")
    # The list is redrawn after each key; the count shows when the last redraw is in.
    expect(page.get_by_text(re.compile(r"^1 of \d+ items · "))).to_be_visible()
    expect(_tile(page, LIGHT, f"Out · {TAKER}")).to_be_visible()

    _tile(page, LIGHT).click()
    expect(page.get_by_text("Custody history")).to_be_visible()
    expect(page.get_by_text(f"Checked out to {TAKER}")).to_be_visible()
    expect(page.get_by_role("button", name="Transfer")).to_be_visible()
    screenshot(page, "detail")


def test_unknown_code_offers_to_register_the_label(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
) -> None:
    page = open_app(url=sample_crewkit_url)
    _open_gear(page)
    page.get_by_role("button", name="Scan out").click()
    expect(_scan_field(page)).to_be_visible()
    _scan(page, type_text, "BLANK-LABEL-0001")
    expect(page.get_by_text("Unknown code BLANK-LABEL-0001")).to_be_visible()
    page.get_by_role("button", name="Register this label").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("No item has the code BLANK-LABEL-0001")).to_be_visible()
    type_text(dialog.get_by_role("textbox", name="New item name"), "Rental monitor")
    screenshot(page, "register")
    dialog.get_by_role("button", name="Create item with this label").click()
    expect(page.get_by_text("Added Rental monitor")).to_be_visible()
