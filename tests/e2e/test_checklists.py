"""Checklists in a real browser over the sample production (today is its day 2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.e2e

Screenshot = Callable[[Page, str], Path]
BATTERIES = "Batteries charged: 3 for each body plus spares"


def open_checklists(page: Page) -> None:
    page.get_by_role("tab", name="Checklists", exact=True).click()
    expect(page.get_by_role("heading", name="Checklists", exact=True)).to_be_visible()


def test_tick_an_item_and_see_progress_survive_a_reload(
    open_app: Callable[..., Page],
    sample_crewkit_url: str,
    screenshot: Screenshot,
    app_ready: Callable[[Page], None],
) -> None:
    page = open_app(url=sample_crewkit_url)
    open_checklists(page)
    camera_prep = page.get_by_role("button", name=re.compile("^Camera prep"))
    expect(camera_prep).to_have_accessible_name(re.compile(r"2 of 7 done · 3 required open"))
    screenshot(page, "list")

    camera_prep.click()
    box = page.get_by_role("checkbox", name=BATTERIES)
    expect(box).not_to_be_checked()
    box.click()
    who = page.get_by_role("alertdialog")
    expect(who).to_contain_text("Who is ticking?")
    who.get_by_text("Lea Brandt").click()
    expect(box).to_be_checked()
    hour = datetime.now(ZoneInfo("Europe/Lisbon")).strftime("%H:")
    expect(box).to_have_accessible_name(re.compile(rf"Done by Lea Brandt at {hour}\d\d"))
    expect(page.get_by_text("3 of 7 done · 2 required open")).to_be_visible()
    expect(page.get_by_role("button", name="Ticking as Lea Brandt")).to_be_visible()
    screenshot(page, "ticked")

    page.reload()  # Flet reattaches the tab to its session: the list is still open
    app_ready(page)
    open_checklists(page)
    expect(page.get_by_role("checkbox", name=BATTERIES)).to_be_checked()
    back = page.get_by_role("button", name="All checklists")
    for _ in range(3):  # a tap landing while the reattached page is still redrawing is lost
        back.click()
        try:
            camera_prep.wait_for(timeout=5000)
            break
        except PlaywrightTimeoutError:
            continue
    expect(camera_prep).to_have_accessible_name(re.compile(r"3 of 7 done · 2 required open"))


def test_sign_off_is_refused_while_required_items_are_open(
    open_app: Callable[..., Page], sample_crewkit_url: str, screenshot: Screenshot
) -> None:
    page = open_app(url=sample_crewkit_url)
    open_checklists(page)
    page.get_by_role("button", name=re.compile("^Safety walk")).click()
    page.mouse.move(206, 500)
    sign_off = page.get_by_role("button", name="Sign off")
    for _ in range(20):
        if sign_off.count():
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(150)
    sign_off.click()
    page.get_by_role("alertdialog").get_by_text("Marta Sousa").click()
    refusal = page.get_by_role("alertdialog")
    expect(refusal).to_contain_text("Not ready to sign off")
    expect(refusal).to_contain_text("Nearest hospital and route on the call sheet")
    screenshot(page, "refused")
