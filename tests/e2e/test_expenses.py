"""Expenses in the browser: the sample's list and totals, adding an expense with a receipt
image file and a comma-typed amount, the budget view, and the expense still there after
a reload."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

EUR = re.compile(r"([\d,]+\.\d\d) EUR")


def _receipt_jpeg(path: Path) -> Path:
    """A receipt-like JPEG: white paper with dark lines of "text"."""
    image = Image.new("RGB", (600, 900), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "DROGARIA CENTRAL", fill="black")
    for row in range(8):
        draw.rectangle((40, 120 + row * 70, 560 - (row % 3) * 90, 140 + row * 70), fill="#333")
    draw.text((40, 800), "TOTAL 12,50 EUR", fill="black")
    image.save(path, "JPEG", quality=90)
    return path


def _spent_today(page: Page) -> Decimal:
    """The euro figure under "Spent today" on the list's totals card."""
    label = page.get_by_text("Spent today", exact=True)
    expect(label).to_be_visible()
    text = page.get_by_text(EUR).first.inner_text()
    match = EUR.search(text)
    assert match, text
    return Decimal(match[1].replace(",", ""))


def _open_expenses(page: Page) -> None:
    page.get_by_role("tab", name="Expenses").click()
    expect(page.get_by_role("button", name="Add expense")).to_be_visible()


def test_add_an_expense_with_a_receipt_and_see_the_total_change(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    app_ready: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
    tmp_path: Path,
) -> None:
    page = open_app(url=sample_crewkit_url)
    _open_expenses(page)
    expect(page.get_by_text("Café da Adraga")).to_be_visible()
    before = _spent_today(page)
    screenshot(page, "list")

    page.get_by_role("button", name="Add expense").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("New expense")).to_be_visible()
    dialog.get_by_role("button", name="Add receipt photo").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Pick an image file").click()
    chooser.value.set_files(_receipt_jpeg(tmp_path / "receipt.jpg"))
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("Receipt attached")).to_be_visible()
    type_text(dialog.get_by_role("textbox", name="Amount"), "12,50")
    type_text(dialog.get_by_role("textbox", name="Vendor"), "Drogaria Central")
    dialog.get_by_role("textbox", name="Paid by").click()
    page.get_by_role("button", name="Inês Carvalho").click()  # the menu is an overlay
    # Reading the photo (OCR) goes on while the person types; its progress bar moves.
    expect(dialog.get_by_text("Reading the receipt…")).to_have_count(0, timeout=180_000)
    screenshot(page, "add-form")
    dialog.get_by_role("button", name="Save expense").click()

    expect(page.get_by_text("Drogaria Central").first).to_be_visible()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert _spent_today(page) == before + Decimal("12.50")

    page.get_by_role("button", name=re.compile(r"^Drogaria Central")).click()
    detail = page.get_by_role("alertdialog")
    expect(detail.get_by_role("button", name="Submit")).to_be_visible()
    expect(detail.get_by_text("12.50 EUR")).to_be_visible()
    screenshot(page, "detail")
    detail.get_by_role("button", name="Close").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)

    page.get_by_role("button", name="Budget", exact=True).click()
    # Each card reads as one progress bar named by its figures (how screen readers hear it).
    catering = page.get_by_role("progressbar", name=re.compile(r"^Catering [\d,.]+ EUR of"))
    expect(catering).to_be_visible()
    expect(page.get_by_role("progressbar", name=re.compile(r"^Total in EUR"))).to_be_visible()
    screenshot(page, "budget")

    page.reload()
    app_ready(page)
    _open_expenses(page)
    expect(page.get_by_text("Drogaria Central").first).to_be_visible()
    assert _spent_today(page) == before + Decimal("12.50")


def test_a_held_save_right_after_fixing_the_amount_is_not_lost(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
    held_tap: Callable[[Locator], None],
) -> None:
    """Typing over a refused amount and tapping Save at once: the tap takes the focus from
    the field, and nothing may move Save before the tap arrives (before, leaving the
    field cleared the error, the dialog shrank and the held tap landed below Save)."""
    page = open_app(url=sample_crewkit_url)
    _open_expenses(page)
    page.get_by_role("button", name="Add expense").click()
    dialog = page.get_by_role("alertdialog")
    amount = dialog.get_by_role("textbox", name="Amount")
    type_text(dialog.get_by_role("textbox", name="Vendor"), "Drogaria Central")
    dialog.get_by_role("textbox", name="Paid by").click()
    page.get_by_role("button", name="Inês Carvalho").click()
    type_text(amount, "12,5O")
    held_tap(dialog.get_by_role("button", name="Save expense"))
    expect(amount).to_have_attribute("aria-description", "not an amount: '12,5O'")
    screenshot(page, "refused")
    type_text(amount, "12,50")
    held_tap(dialog.get_by_role("button", name="Save expense"))
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.get_by_text("Drogaria Central").first).to_be_visible()
