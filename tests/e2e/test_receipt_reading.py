"""Reading a real receipt in the browser: picking its photo fills the proposed fields,
the person keeps one and corrects another, and the saved expense records both."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from app.store.journal import read_journal
from app.store.snapshot import read_snapshot
from app.store.store import JOURNAL, SNAPSHOT

pytestmark = pytest.mark.e2e

RECEIPT = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "receipts" \
    / "X51005230657.jpg"
"""A hardware shop's receipt: total 7.95, 31/12/2017; OCR reads its name "NEIWORK"."""
READING_TIMEOUT_MS = 180_000  # OCR on a busy 2-core machine, the model loaded on first use


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dicts(item)


def _stored_expense(data_dir: Path, vendor: str) -> dict[str, Any]:
    """The expense as the app stored it (read from its files; the server holds the lock)."""
    found = [d for d in _dicts(read_journal(data_dir / JOURNAL).records)
             if d.get("vendor") == vendor]
    if not found and (data_dir / SNAPSHOT).exists():
        found = [d for d in _dicts(read_snapshot(data_dir / SNAPSHOT)) if d.get("vendor") == vendor]
    assert found, f"no expense from {vendor!r} stored"
    return found[-1]


def _expect_value(field: Locator, value: str | re.Pattern[str]) -> None:
    """A value the app put in a field: Flutter's web engine gives its input the text once
    the field has the focus."""
    field.focus()
    expect(field).to_have_value(value)


def test_a_real_receipt_fills_the_form_and_saving_records_what_was_proposed(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    sample_data_dir: Path,
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
) -> None:
    page = open_app(url=sample_crewkit_url)
    page.get_by_role("tab", name="Expenses").click()
    page.get_by_role("button", name="Add expense").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Add receipt photo").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Pick an image file").click()
    chooser.value.set_files(RECEIPT)

    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("Read from the receipt: check the proposed fields.")).to_be_visible(
        timeout=READING_TIMEOUT_MS)
    screenshot(page, "proposed")
    amount = dialog.get_by_role("textbox", name="Amount")
    vendor = dialog.get_by_role("textbox", name="Vendor")
    _expect_value(amount, "7.95")
    _expect_value(vendor, re.compile(r"^CROSS CHANNEL NE.WORK SDN\. BHD\.$"))
    _expect_value(dialog.get_by_role("textbox", name="Date"), "2017-12-31")
    expect(dialog.get_by_text("Proposed from the receipt")).to_have_count(3)

    dialog.get_by_role("button", name="Keep the proposed amount").click()
    expect(dialog.get_by_text("Proposed from the receipt")).to_have_count(2)
    type_text(vendor, "Cross Channel Network")
    dialog.get_by_role("button", name="Keep the proposed date").click()
    dialog.get_by_role("textbox", name="Paid by").click()
    page.get_by_role("button", name="Inês Carvalho").click()
    expect(dialog.get_by_text("Proposed from the receipt")).to_have_count(0)
    screenshot(page, "decided")
    dialog.get_by_role("button", name="Save expense").click()

    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.get_by_text("Cross Channel Network").first).to_be_visible()
    stored = _stored_expense(sample_data_dir, "Cross Channel Network")
    assert (stored["amount_minor"], stored["spent_on"]) == (795, "2017-12-31")
    assert stored["proposed_fields"] == ["amount_minor", "spent_on", "vendor"]
    assert stored["changed_fields"] == ["vendor"]
