"""The app's hub finder on loopback only (``127.0.0.1``): hubs of a team appear while it
browses and leave when withdrawn; without zeroconf it reports that hubs cannot be found."""

from __future__ import annotations

import asyncio
import secrets
import sys
import threading

import pytest

from sync import HubBrowser
from sync.discovery import Advertiser
from views.main import hub_browser

LOOPBACK = ["127.0.0.1"]
GENEROUS_S = 10.0


async def _until(condition: object) -> None:
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0.02)


async def test_hubs_of_a_team_come_and_go_while_browsing() -> None:
    ours, theirs = f"team-{secrets.token_hex(8)}", f"team-{secrets.token_hex(8)}"
    changes = threading.Semaphore(0)
    browser = HubBrowser(LOOPBACK)
    advertiser = Advertiser("Base camp", 18766, LOOPBACK, LOOPBACK)
    try:
        await browser.start(changes.release)
        assert browser.available and browser.hubs(ours) == []
        await asyncio.to_thread(advertiser.advertise, [ours, theirs])
        await asyncio.wait_for(_until(lambda: browser.hubs(ours)), GENEROUS_S)
        [hub] = browser.hubs(ours)
        assert (hub.name, hub.urls()) == ("Base camp", ["http://127.0.0.1:18766"])
        assert changes.acquire(timeout=0)  # the engine was told
        await asyncio.to_thread(advertiser.advertise, [theirs])
        await asyncio.wait_for(_until(lambda: not browser.hubs(ours)), GENEROUS_S)
        assert [h.team_id for h in browser.hubs(theirs)] == [theirs]
    finally:
        await asyncio.to_thread(advertiser.close)
        await browser.close()
    assert browser.hubs(theirs) == []


async def test_without_zeroconf_hubs_cannot_be_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zeroconf", None)  # as on a platform without it
    browser = HubBrowser(LOOPBACK)
    await browser.start(lambda: None)
    assert not browser.available and browser.hubs("team-x") == []
    await browser.close()


def test_the_app_looks_for_hubs_where_its_environment_says() -> None:
    assert hub_browser({}).interfaces is None  # every interface
    assert hub_browser({"CREWKIT_MDNS_INTERFACES": "127.0.0.1, ::1,"}).interfaces == [
        "127.0.0.1", "::1"]
