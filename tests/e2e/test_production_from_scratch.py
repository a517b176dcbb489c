"""A production made from nothing in a real browser at phone size: crew added by hand and
from a crew list CSV (a bad row first), a location, an edit and a removal, and the crew
and location where they are used (the check-out picker, a Today item)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]
TypeText = Callable[[Locator, str], None]
PHONE = {"width": 390, "height": 844}
BAD_CREW = (
    "Name,Role,Department,Phone,Email\n"
    "Rita Moreno,Gaffer,Lighting,+351 912 000 111,rita@example.com\n"
    "Tom Baker,Sound mixer,Sound,,tom@@example\n"
)
GOOD_CREW = BAD_CREW.replace("tom@@example", "tom@example.com")


def row(page: Page, text: str) -> Locator:
    """A list row or card: Flutter merges its texts into one node named by them all."""
    return page.get_by_role("button", name=re.compile(re.escape(text))).or_(
        page.get_by_role("group", name=re.compile(re.escape(text)))
    )


def open_more_section(page: Page, title: str, *, from_section: bool = False) -> None:
    """Open a More section from another destination, or from another section."""
    if from_section:
        page.get_by_role("button", name="More", exact=True).click()
    else:
        page.get_by_role("tab", name="More", exact=True).click()
    page.get_by_role("button", name=re.compile(rf"^{title}\b")).click()
    expect(page.get_by_role("button", name="More", exact=True)).to_be_visible()


def fill(page: Page, type_text: TypeText, values: dict[str, str], save: str = "Save") -> None:
    dialog = page.get_by_role("alertdialog")
    for label, text in values.items():
        type_text(dialog.get_by_role("textbox", name=label), text)
    dialog.get_by_role("button", name=save, exact=True).click()


def import_crew(page: Page, path: Path) -> Locator:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import crew list").click()
    chooser.value.set_files(path)
    return page.get_by_role("alertdialog")


def test_a_production_from_scratch_with_its_crew_and_locations(
    open_app: Callable[..., Page],
    tmp_path: Path,
    screenshot: Screenshot,
    type_text: TypeText,
) -> None:
    page = open_app(**PHONE)
    page.get_by_role("button", name="Create production").click()
    fill(page, type_text, {"Production name": "Night Market Promo", "Currency": "GBP"}, "Create")
    expect(page.get_by_role("button", name="Switch production Night Market Promo")).to_be_visible()

    open_more_section(page, "Crew directory")
    expect(page.get_by_text(re.compile("^No crew yet"))).to_be_visible()
    screenshot(page, "crew-empty")
    page.get_by_role("button", name="Add person").click()
    fill(page, type_text, {"Name": "Ana Silva", "Role": "Producer", "Email": "ana@example.com"})
    expect(row(page, "Ana Silva")).to_be_visible()
    page.get_by_role("button", name="Add person").click()
    fill(
        page,
        type_text,
        {"Name": "Ben Okafor", "Role": "Camera operator", "Phone": "+44 7700 900123"},
    )
    expect(row(page, "Ben Okafor")).to_be_visible()
    expect(page.get_by_text("2 of 2 people")).to_be_visible()

    bad = tmp_path / "crew-list.csv"
    bad.write_text(BAD_CREW, encoding="utf-8")
    report = import_crew(page, bad)
    expect(report.get_by_text("Nothing was imported: 1 line needs fixing first.")).to_be_visible()
    expect(
        report.get_by_text(re.compile("^Line 3: 'tom@@example' does not look like"))
    ).to_be_visible()
    screenshot(page, "import-refused")
    report.get_by_role("button", name="OK").click()
    expect(page.get_by_text("2 of 2 people")).to_be_visible()  # nothing stored

    bad.write_text(GOOD_CREW, encoding="utf-8")
    report = import_crew(page, bad)
    expect(report.get_by_text("Crew list imported: 2 added.")).to_be_visible()
    report.get_by_role("button", name="OK").click()
    expect(page.get_by_text("4 of 4 people")).to_be_visible()
    screenshot(page, "crew")

    row(page, "Ben Okafor").first.click()
    fill(page, type_text, {"Role": "Director of photography"})
    expect(row(page, "Director of photography")).to_be_visible()
    row(page, "Tom Baker").first.click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Remove").click()
    expect(dialog.get_by_text("Remove Tom Baker?")).to_be_visible()
    screenshot(page, "remove-confirm")
    dialog.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text("3 of 3 people")).to_be_visible()
    expect(row(page, "Tom Baker")).to_have_count(0)

    open_more_section(page, "Locations", from_section=True)
    expect(page.get_by_text(re.compile("^No locations yet"))).to_be_visible()
    page.get_by_role("button", name="Add location").click()
    fill(page, type_text, {"Name": "Spitalfields Market", "Address": "16 Horner Square, London"})
    expect(row(page, "Spitalfields Market")).to_be_visible()
    screenshot(page, "locations")

    page.get_by_role("tab", name="Gear", exact=True).click()
    page.get_by_role("button", name="Scan out").click()
    page.get_by_role("textbox", name="Check out to").click()
    for name in ("Ana Silva", "Ben Okafor", "Rita Moreno"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Tom Baker", exact=True)).to_have_count(0)
    screenshot(page, "check-out-picker")
    page.keyboard.press("Escape")

    page.get_by_role("tab", name="Today", exact=True).click()
    page.get_by_role("button", name=re.compile("^Add (the first )?item$")).first.click()
    dialog = page.get_by_role("alertdialog")
    type_text(dialog.get_by_role("textbox", name="Title"), "Market stalls, wide")
    type_text(dialog.get_by_role("textbox", name="Start (HH:MM)"), "18:00")
    # Kind and Location are read-only dropdowns, unnamed buttons to a screen reader, in
    # the order shown: Location is the second.
    dialog.get_by_role("button", name=re.compile("^$")).nth(1).click()
    place = "Spitalfields Market"
    page.get_by_role("menuitem", name=place).or_(page.get_by_role("button", name=place)).click()
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(row(page, "Market stalls, wide").first).to_have_accessible_name(
        re.compile("Spitalfields Market")
    )
    screenshot(page, "today")


def test_a_second_production_is_told_that_gear_is_shared(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Screenshot,
    type_text: TypeText,
) -> None:
    page = open_app(url=sample_crewkit_url, **PHONE)
    page.get_by_role("button", name=re.compile("^Switch production")).click()
    page.get_by_role("menuitem", name="New production…").click()
    fill(page, type_text, {"Production name": "Night Market Promo"}, "Create")
    expect(page.get_by_role("button", name="Switch production Night Market Promo")).to_be_visible()
    page.get_by_role("tab", name="Gear", exact=True).click()
    expect(page.get_by_text(re.compile("^Gear is shared by all productions"))).to_be_visible()
    elsewhere = page.get_by_text(re.compile(r"Out · .+, Salt Line \(short film\)"))
    expect(elsewhere.first).to_be_visible()
    screenshot(page, "gear")
