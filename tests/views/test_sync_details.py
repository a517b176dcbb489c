"""Sync details and the chip with a real sync engine that syncs with a base-camp hub: where
it syncs, the hubs it knows and their relay, a hub address typed or scanned, and changes
the company server refused after a hub had taken them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any

import flet as ft
import httpx
import pytest
import qrcode

from app.store import OUTBOX
from sync import SyncEngine, SyncState
from sync.client._pairing import ROLE, SERVER, TEAM, TOKEN
from sync.wire import PROTOCOL_VERSION
from views.context import AppContext
from views.sync_chip import SyncChip, chip_label
from views.sync_details import open_sync_details
from views.sync_hubs import NO_MDNS, NONE_FOUND

Ui = Any  # tests/views/conftest.py's harness (conftest modules are not importable)

SERVER_URL, HUB_HOST = "http://crewkit.test", "10.1.1.5"
TEAM_ID = "team-film"


class Network:
    """A server and a hub that speak just enough of the protocol: health (the hub's with
    its ``hub`` block), pushes acknowledged, empty pulls with ``rejected`` as set."""

    def __init__(self) -> None:
        self.rejected: list[dict[str, Any]] = []
        self.hub_up = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        hub = request.url.host == HUB_HOST
        if hub and not self.hub_up:
            raise httpx.ConnectError("no route", request=request)
        path = request.url.path
        if path == "/v1/health":
            body: dict[str, Any] = {"status": "ok", "version": PROTOCOL_VERSION, "schema": 2,
                                    "server_time": 0}
            if hub:
                body["hub"] = {"team_id": TEAM_ID, "name": "Base camp laptop",
                               "upstream": "unreachable", "relay_waiting": 12,
                               "last_upstream_ms": None}
            return httpx.Response(200, json=body)
        if path == "/v1/push":
            ops = [op["op_id"] for op in json.loads(request.content)["ops"]]
            return httpx.Response(200, json={"acked": ops, "rejected": [], "server_time": 0})
        if path == "/v1/pull":
            body = {"changes": [], "cursor": 3, "more": False, "server_time": 0}
            if hub and self.rejected:
                body["rejected"] = self.rejected
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"error": "not_found", "message": path})


class Finder:
    def __init__(self, available: bool) -> None:
        self.available = available

    def hubs(self, team_id: str) -> Sequence[Any]:
        return []

    async def start(self, on_change: Callable[[], None]) -> None: ...

    async def close(self) -> None: ...


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture
async def engine(empty_ctx: AppContext, network: Network) -> Any:
    with empty_ctx.store.transaction() as tx:
        for key, value in ((SERVER, SERVER_URL), (TOKEN, "t"), (TEAM, TEAM_ID),
                           (ROLE, "crew")):
            tx.set_meta(key, value)
    made = SyncEngine(empty_ctx.store, transport=httpx.MockTransport(network),
                      blobs=empty_ctx.blobs, hub_finder=Finder(available=True))
    empty_ctx.sync = made
    yield made
    await made.stop()


def _field(ui: Ui) -> ft.TextField:
    return ui.find(ui.dialog(), ft.TextField, "Hub address")


def _png(payload: str) -> bytes:
    out = io.BytesIO()
    qrcode.make(payload).save(out)
    return out.getvalue()


async def test_a_typed_hub_is_checked_used_and_described(
    empty_ctx: AppContext, empty_ui: Ui, engine: SyncEngine,
) -> None:
    open_sync_details(empty_ctx)
    await empty_ui.type_into(_field(empty_ui), "base camp laptop")
    await empty_ui.click(empty_ui.find(empty_ui.dialog(), ft.TextButton, "Use this hub"))
    assert "http:// or https://" in (_field(empty_ui).error or "")
    assert engine.hub_address is None  # nothing stored
    await empty_ui.type_into(_field(empty_ui), f"http://{HUB_HOST}:8765/", submit=True)
    assert engine.hub_address == f"http://{HUB_HOST}:8765"
    assert _field(empty_ui).error is None
    with empty_ctx.store.transaction() as tx:
        tx.insert("notes", {"title": "Steadicam case out"})
    status = await engine.sync_once()
    await empty_ui.settle()
    assert status.state is SyncState.SYNCED and status.endpoint.kind == "hub"
    texts = "\n".join(empty_ui.texts(empty_ui.dialog()))
    assert "Base camp hub · Base camp laptop" in texts  # syncs with
    assert "Base camp hub · Base camp laptop (in use)" in texts
    assert "Company server" in texts and "Last sync: never" in texts
    assert "12 change(s) waiting to be relayed upstream" in texts
    assert "Hub cannot reach the company server now" in texts
    assert "typed address" in texts
    assert chip_label(status, empty_ctx.now())[0].endswith(" · Base camp hub")


async def test_the_chip_says_server_when_the_hub_is_gone(
    empty_ctx: AppContext, empty_ui: Ui, engine: SyncEngine, network: Network,
) -> None:
    engine.set_hub_address(f"http://{HUB_HOST}:8765")
    chip = SyncChip(empty_ctx)
    empty_ui.mount(chip.button)
    chip.start()
    await engine.sync_once()
    assert str(chip.button.content).endswith("· Base camp hub")
    network.hub_up = False
    await engine.sync_once()
    assert str(chip.button.content).endswith("· Server")
    await empty_ui.click(chip.button)
    texts = "\n".join(empty_ui.texts(empty_ui.dialog()))
    assert "Not used: no answer" in texts and "Company server (in use)" in texts
    chip.close()


async def test_a_change_the_company_server_refused_says_so(
    empty_ctx: AppContext, empty_ui: Ui, engine: SyncEngine, network: Network,
) -> None:
    engine.set_hub_address(f"http://{HUB_HOST}:8765")
    with empty_ctx.store.transaction() as tx:
        tx.insert("budget_lines", {"label": "Extra grip day"})
    [(op_id, doc)] = empty_ctx.store.private(OUTBOX).items()
    op = {"op_id": op_id, **{k: doc[k] for k in ("coll", "id", "hlc", "set", "delete")}}
    await engine.sync_once()  # the hub takes it
    network.rejected = [{"op": op, "code": "forbidden",
                         "message": "a crew device may not edit budget lines"}]
    assert (await engine.sync_once()).rejected == 1
    open_sync_details(empty_ctx)
    texts = "\n".join(empty_ui.texts(empty_ui.dialog()))
    assert ("The company server refused this change (a hub had taken it): "
            "a crew device may not edit budget lines") in texts
    assert "budget_lines · forbidden" in texts


async def test_a_hub_address_is_read_from_its_qr_code(
    empty_ctx: AppContext, empty_ui: Ui, engine: SyncEngine,
) -> None:
    open_sync_details(empty_ctx)
    scan = empty_ui.find(empty_ui.dialog(), ft.TextButton, "Scan hub QR code")
    empty_ui.results["pick_files"] = [{"id": 1, "name": "q.png", "size": 1,
                                       "bytes": _png("crewkit://join?server=x&code=y")}]
    await empty_ui.click(scan)
    assert "not a hub's" in (_field(empty_ui).error or "")
    assert engine.hub_address is None
    empty_ui.results["pick_files"] = [{"id": 1, "name": "q.png", "size": 1,
                                       "bytes": _png("http://10.1.1.6:8765")}]
    await empty_ui.click(scan)
    assert engine.hub_address == "http://10.1.1.6:8765"
    assert _field(empty_ui).value == "http://10.1.1.6:8765"


async def test_where_hubs_cannot_be_found_details_say_so(
    empty_ctx: AppContext, empty_ui: Ui, engine: SyncEngine,
) -> None:
    open_sync_details(empty_ctx)
    assert NONE_FOUND in empty_ui.texts(empty_ui.dialog())
    empty_ctx.sync = SyncEngine(empty_ctx.store, transport=engine._transport,
                                blobs=empty_ctx.blobs, hub_finder=Finder(available=False))
    empty_ctx.page.pop_dialog()
    open_sync_details(empty_ctx)
    assert NO_MDNS in empty_ui.texts(empty_ui.dialog())
    assert (await empty_ctx.sync.sync_once()).endpoint.kind == "server"
