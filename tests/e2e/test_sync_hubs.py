"""Sync details in the browser on a device paired with a real ``crewkit-server``: the chip
says the device syncs with the server, and a hub address is checked before it is kept
and its hub is then listed."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from app.blobs import BlobStore
from app.store import Store
from bench.postgres import free_port
from sync import SyncEngine

pytestmark = pytest.mark.e2e

SYNC_TIMEOUT_MS = 60_000


def _paired_data_dir(directory: Path, link: str) -> Path:
    """A device's data dir, paired with the server of ``link`` (as the pairing dialog does)."""
    store = Store.open(directory)
    engine = SyncEngine(store, blobs=BlobStore(directory / "blobs"))

    async def pair() -> None:
        await engine.pair(link, name="Grip phone")
        await engine.stop()

    try:  # on a thread of its own: Playwright's loop runs on this one
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, pair()).result()
    finally:
        store.close()
    return directory


def test_sync_details_show_the_server_in_use_and_take_a_hub_address(
    open_app: Callable[..., Page],
    serve_crewkit: Callable[[str], str],
    join_link: Callable[[str], str],
    tmp_path: Path,
    screenshot: Callable[[Page, str], Path],
    type_text: Callable[[Locator, str], None],
) -> None:
    _paired_data_dir(tmp_path / "grip-phone", join_link("crew"))
    page = open_app(url=serve_crewkit("grip-phone"))
    chip = page.get_by_role("button", name=re.compile(r"^Synced .* · Server$"))
    expect(chip).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    chip.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("Where this device syncs")).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"Company server \(in use\)"))).to_be_visible()

    field = dialog.get_by_role("textbox", name="Hub address")
    type_text(field, "base camp laptop")
    dialog.get_by_role("button", name="Use this hub").click()
    expect(dialog.get_by_text(re.compile(r"A hub address is an http:// or https://"))
           ).to_be_visible()
    screenshot(page, "bad-hub-address")

    nobody = f"http://127.0.0.1:{free_port()}"  # a hub that is not running (yet)
    type_text(field, nobody)
    dialog.get_by_role("button", name="Use this hub").click()
    expect(dialog.get_by_text(re.compile(r"Not used: no answer"))).to_be_visible(
        timeout=SYNC_TIMEOUT_MS)
    expect(dialog.get_by_text(re.compile(r"typed address"))).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"Company server \(in use\)"))).to_be_visible()
    screenshot(page, "hub-not-answering")
