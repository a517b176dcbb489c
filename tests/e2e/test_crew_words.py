"""At phone width (390x844): messages in crew words that wrap in full, counts that say
what they count, one-tap exports and a heading that names the day shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]
PHONE = {"width": 390, "height": 844}


def test_refusals_in_the_production_form_read_in_full(
    open_app: Callable[..., Page],
    screenshot: Screenshot,
    type_text: Callable[[Locator, str], None],
) -> None:
    page = open_app(**PHONE)
    page.get_by_role("button", name="Create production").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Production name"), "Night Market Promo")
    type_text(dialog.get_by_role("textbox", name="First day"), "2026-12-07")
    last = dialog.get_by_role("textbox", name="Last day")
    type_text(last, "2026-12-05")
    dialog.get_by_role("button", name="Create").click()
    expect(last).to_have_attribute(
        "aria-description",
        "The last day (Sat 5 Dec 2026) is before the first day (Mon 7 Dec 2026).",
    )
    screenshot(page, "dates")
    type_text(last, "2026-12-09")
    currency = dialog.get_by_role("textbox", name="Currency")
    type_text(currency, "EURO")
    dialog.get_by_role("button", name="Create").click()
    expect(currency).to_have_attribute(
        "aria-description",
        "EURO is not a currency code. Type its three letters, e.g. EUR, GBP or USD.",
    )
    screenshot(page, "currency")


def test_today_counts_items_and_names_another_day(
    open_app: Callable[..., Page], sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    page = open_app(url=sample_crewkit_url, **PHONE)
    strip = re.compile(r"Gear\s+\d+ items? out\s+\d+ items? overdue\s+Spend")  # one node
    expect(page.get_by_text(strip)).to_be_visible()
    screenshot(page, "strip")
    page.get_by_role("button", name="Next day").click()
    expect(page.get_by_role("heading", name="Tomorrow", exact=True)).to_be_visible()
    screenshot(page, "tomorrow")


def test_note_severities_and_gear_words_fit_a_phone(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Screenshot,
    type_text: Callable[[Locator, str], None],
) -> None:
    page = open_app(url=sample_crewkit_url, **PHONE)
    page.get_by_role("tab", name="More", exact=True).click()
    page.get_by_role("button", name=re.compile("^Notes and incidents")).click()
    page.get_by_role("button", name="Add note").click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Title"), "Generator smoking at base")
    dialog.get_by_role("radio", name="Critical").click()
    expect(dialog.get_by_role("radio", name="Critical")).to_be_checked()
    screenshot(page, "severity")
    dialog.get_by_role("button", name="Cancel").click()

    page.get_by_role("tab", name="Gear", exact=True).click()
    counts = re.compile(r" items · \d+ items? out · \d+ items? overdue$")
    expect(page.get_by_text(counts)).to_be_visible()
    expect(page.get_by_role("textbox", name="Held by")).to_be_visible()
    type_text(page.get_by_role("textbox", name="Search gear"), "video village")
    expect(page.get_by_text(re.compile("late: due back")).first).to_be_visible()
    screenshot(page, "gear")


def test_the_expense_report_downloads_in_one_tap(
    open_app: Callable[..., Page], sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    page = open_app(url=sample_crewkit_url, **PHONE)
    page.get_by_role("tab", name="Expenses", exact=True).click()
    page.get_by_role("button", name="Export report").click()
    dialog = page.get_by_role("alertdialog")
    with page.expect_download() as download:
        dialog.get_by_role("button", name=re.compile("^CSV")).click()
    assert download.value.suggested_filename.endswith(".csv")
    expect(dialog.get_by_text(re.compile(r"^Downloaded expenses-.*\.csv \("))).to_be_visible()
    expect(dialog.get_by_text(re.compile("/"))).to_have_count(0)  # no server path
    screenshot(page, "export")
