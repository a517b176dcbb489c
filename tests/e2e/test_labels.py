"""Label sheets in the browser: Gear → Labels lists the items with checkboxes, the
selected ones export as a PDF that downloads, and every QR code on the rendered sheet
reads back as its item's code."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from app.equipment import items
from app.store import Store

pytestmark = pytest.mark.e2e

PICKED = ("Aputure LS 600d Pro #1", "Aputure LS 600d Pro #2", "ARRI Alexa Mini LF body")


def decoded_codes(pdf: Path, work: Path) -> list[str]:
    """Every QR code read from the PDF rendered at 200 dpi, page by page."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm not found: install the Debian package poppler-utils")
    subprocess.run([pdftoppm, "-r", "200", "-gray", "-png", pdf, work / "page"], check=True)
    found: list[str] = []
    for page in sorted(work.glob("page-*.png")):
        with Image.open(page) as image:
            found += [code.text for code in zxingcpp.read_barcodes(image)]
    return found


@pytest.fixture
def codes(sample_data_dir: Path) -> dict[str, str]:
    """Item name -> its label's code, read before the app opens the data dir."""
    store = Store.open(sample_data_dir)
    try:
        return {item["name"]: item["code"] for item in items(store)}
    finally:
        store.close()


@pytest.mark.parametrize("size", [(412, 860), (1280, 800)], ids=["phone", "desktop"])
def test_labels_export_a_sheet_whose_codes_decode(
    size: tuple[int, int],
    codes: dict[str, str],
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
) -> None:
    page = open_app(width=size[0], height=size[1], url=sample_crewkit_url)
    gear = page.get_by_role("tab", name="Gear") if size[0] < 600 else page.get_by_role(
        "button", name=re.compile(r"^Gear"))
    gear.first.click()
    page.get_by_role("button", name="Labels").click()
    expect(page.get_by_text("0 selected")).to_be_visible()
    screenshot(page, "selecting")
    for count, name in enumerate(PICKED, start=1):
        tile = page.get_by_role("button", name=re.compile(rf"^{re.escape(name)} "))
        tile.click()
        expect(tile.get_by_role("checkbox")).to_be_checked()
        expect(page.get_by_text(f"{count} selected")).to_be_visible()
    screenshot(page, "selection")

    page.get_by_role("button", name="Export labels").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("textbox", name="Label stock")).to_be_visible()
    with page.expect_download() as download:  # one tap renders and downloads
        dialog.get_by_role("button", name="Export PDF").click()
    expect(dialog.get_by_text(f"Downloaded {len(PICKED)} labels as ", exact=False)).to_be_visible()
    screenshot(page, "exported")
    sheet = tmp_path / "sheet.pdf"
    download.value.save_as(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")
    assert sorted(decoded_codes(sheet, tmp_path)) == sorted(codes[name] for name in PICKED)
