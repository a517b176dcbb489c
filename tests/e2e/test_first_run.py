"""First run in a real browser: an empty device offers the sample and a production form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]


def test_load_sample_in_one_tap_and_keep_it_after_reload(
    crewkit_page: Page, screenshot: Screenshot, app_ready: Callable[[Page], None]
) -> None:
    page = crewkit_page
    expect(page.get_by_text("Welcome to Crewkit")).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(0)  # nothing to navigate yet
    screenshot(page, "welcome")

    page.get_by_role("button", name="Load sample production").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Salt Line (short film)")).to_be_visible()
    expect(page.get_by_role("tab", name="Today", exact=True)).to_be_visible()
    screenshot(page, "today")

    page.reload()
    app_ready(page)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_text("Salt Line (short film)")).to_be_visible()


def test_create_production_shows_errors_inline_then_opens_it(
    crewkit_page: Page, screenshot: Screenshot, type_text: Callable[[Locator, str], None]
) -> None:
    page = crewkit_page
    page.get_by_role("button", name="Create production").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    type_text(dialog.get_by_role("textbox", name="Production name"), "Night Market Promo")
    currency = dialog.get_by_role("textbox", name="Currency")
    type_text(currency, "EURO")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_text("EURO is not a currency code", exact=False)).to_be_visible()
    screenshot(page, "currency-error")

    type_text(currency, "EUR")
    dialog.get_by_role("button", name="Create").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.get_by_text("Night Market Promo")).to_be_visible()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    screenshot(page, "created")
