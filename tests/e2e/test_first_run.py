"""First run in a real browser: an empty device offers the sample and a production form."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from app.productions import list_productions
from app.store import Store

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


def test_a_currency_typed_right_after_the_name_is_the_one_stored(
    open_app: Callable[..., Page],
    serve_app: Callable[[Path], AbstractContextManager[str]],
    tmp_path: Path,
    type_text: Callable[[Locator, str], None],
) -> None:
    """Name, then at once the currency, then Create, three times over: each production
    keeps the currency typed for it (the form once saved EUR for most of them)."""
    data_dir = tmp_path / "quick-data"
    wanted = {"Harbour Night": "USD", "Ferry Promo": "GBP", "Tram Spot": "JPY"}
    with serve_app(data_dir) as url:
        page = open_app(url=url)
        for number, (name, currency) in enumerate(wanted.items()):
            if number == 0:
                page.get_by_role("button", name="Create production").click()
            else:
                page.get_by_role("button", name=re.compile("^Switch production")).click()
                page.get_by_role("menuitem", name="New production…").click()
            dialog = page.get_by_role("alertdialog")
            type_text(dialog.get_by_role("textbox", name="Production name"), name)
            type_text(dialog.get_by_role("textbox", name="Currency"), currency)
            dialog.get_by_role("button", name="Create").click()
            expect(page.get_by_role("alertdialog")).to_have_count(0)
            switcher = page.get_by_role("button", name=f"Switch production {name}")
            expect(switcher).to_be_visible()
    store = Store.open(data_dir)
    try:
        stored = {p["name"]: p["currency"] for p in list_productions(store)}
    finally:
        store.close()
    assert stored == wanted
