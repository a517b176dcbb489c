"""Two devices paired to one ``crewkit-server``: the coordinator's production opens on the
crew member's device as it joins, and a receipt photographed on one device is seen on
the other.

Every step waits for what a person would wait for (the chip saying "Synced", a name
appearing); nothing sleeps. The second device is asked to sync from its sync details, as
a person who wants the latest does, rather than waiting out its minute between polls.
The coordinator starts from the sample production: an expense needs someone who paid,
and the sample comes with its crew.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

RECEIPT = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "receipts" / (
    "X51005230657.jpg"
)
VENDOR = "Cross Channel Network"
SYNCED = re.compile(r"^Synced ")
#: A first sync carries the whole sample production and its receipt photos.
SYNC_TIMEOUT_MS = 60_000
TYPING_ATTEMPTS = 3


def _chip(page: Page, label: re.Pattern[str] | str) -> Locator:
    return page.get_by_role("button", name=label)


def _pair(page: Page, link: str, name: str, type_text: Callable[[Locator, str], None]) -> None:
    """Fill in the open pairing dialog and wait until the device has synced."""
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("Pair with a sync server")).to_be_visible()
    type_text(dialog.get_by_role("textbox", name="Join link"), link)
    type_text(dialog.get_by_role("textbox", name="Device name"), name)
    dialog.get_by_role("button", name="Pair", exact=True).click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(_chip(page, SYNCED)).to_be_visible(timeout=SYNC_TIMEOUT_MS)


def _fill(form: Locator, name: str, text: str, type_text: Callable[[Locator, str], None]) -> None:
    """Type ``text`` into the form's field ``name`` and make sure the app kept it: keys
    that reach the browser's input before Flutter listens to it show there but are lost
    once the focus moves on, so the field is checked again after leaving it."""
    field = form.get_by_role("textbox", name=name)
    for _ in range(TYPING_ATTEMPTS):
        type_text(field, text)
        form.page.keyboard.press("Tab")  # on to the next field
        try:
            expect(field).to_have_value(text, timeout=2_000)
            return
        except AssertionError:
            continue
    expect(field).to_have_value(text)


def _sync_until_shown(page: Page, shown: Locator) -> None:
    """Tap "Sync now" in the sync details until ``shown`` appears, as a person waiting
    for a colleague's change would (it may not have left the other device yet)."""
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while True:
        _chip(page, re.compile(r"^Sync")).click()  # "Synced …" or "Syncing…"
        dialog = page.get_by_role("alertdialog")
        dialog.get_by_role("button", name="Sync now").click()
        dialog.get_by_role("button", name="Close").click()
        expect(page.get_by_role("alertdialog")).to_have_count(0)
        try:
            expect(shown).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def test_a_receipt_travels_from_the_coordinator_to_the_crew(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    serve_crewkit: Callable[[str], str],
    join_link: Callable[[str], str],
    app_ready: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
) -> None:
    # The coordinator's laptop holds the production (the sample, with its crew) and pairs.
    lead = open_app(width=1280, height=800, url=sample_crewkit_url)
    expect(lead.get_by_text("Salt Line (short film)").first).to_be_visible()
    _chip(lead, "Not paired").click()
    lead.get_by_role("alertdialog").get_by_role("button", name="Pair with a server").click()
    _pair(lead, join_link("coordinator"), "Production laptop", type_text)

    # A crew member's phone, fresh: it joins from the welcome screen and opens the production.
    crew = open_app(url=serve_crewkit("crew-phone"))
    expect(crew.get_by_text("Welcome to Crewkit")).to_be_visible()
    screenshot(crew, "crew-welcome")
    crew.get_by_role("button", name="Join your crew's production").click()
    _pair(crew, join_link("crew"), "Camera assistant", type_text)
    expect(crew.get_by_text("Salt Line (short film)").first).to_be_visible()
    expect(crew.get_by_role("tab", name="Today")).to_be_visible()
    screenshot(crew, "crew-joined")
    crew.reload()
    app_ready(crew)
    expect(crew.get_by_text("Salt Line (short film)").first).to_be_visible()

    # The coordinator records an expense with a photo of a real receipt.
    lead.get_by_role("button", name=re.compile(r"^Expenses")).click()
    lead.get_by_role("button", name="Add expense").click()
    form = lead.get_by_role("alertdialog")
    form.get_by_role("button", name="Add receipt photo").click()
    with lead.expect_file_chooser() as chooser:
        lead.get_by_role("button", name="Pick an image file").click()
    chooser.value.set_files(RECEIPT)
    expect(form.get_by_text("Receipt attached")).to_be_visible()
    _fill(form, "Amount", "7.95", type_text)
    _fill(form, "Vendor", VENDOR, type_text)
    form.get_by_role("textbox", name="Paid by").click()
    lead.get_by_role("button", name="Inês Carvalho").click()
    form.get_by_role("button", name="Save expense").click()
    expect(lead.get_by_role("alertdialog")).to_have_count(0)
    expect(lead.get_by_text(VENDOR).first).to_be_visible()
    expect(_chip(lead, SYNCED)).to_be_visible(timeout=SYNC_TIMEOUT_MS)  # pushed, photo first
    screenshot(lead, "lead-expense-saved")

    # The crew member syncs and opens it: the photo is there, not "on its way".
    crew.get_by_role("tab", name="Expenses").click()
    expense = crew.get_by_role("button", name=re.compile(f"^{VENDOR}"))
    _sync_until_shown(crew, expense)
    expense.click()
    detail = crew.get_by_role("alertdialog")
    # The photo comes just after the record; an open detail shows it once it is here.
    expect(detail.get_by_role("img", name="Receipt photo")).to_be_visible(
        timeout=SYNC_TIMEOUT_MS
    )
    expect(detail.get_by_text("has not reached this device")).to_have_count(0)
    screenshot(crew, "crew-expense-detail")
    detail.get_by_role("button", name="View receipt").click()
    full = crew.get_by_role("img", name="Receipt photo, full size")
    expect(full).to_be_visible()
    expect(crew.get_by_text("has not reached this device")).to_have_count(0)
    screenshot(crew, "crew-receipt-full-size")
