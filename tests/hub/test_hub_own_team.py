"""A hub with a team of its own (a location that never had internet), joined upstream
later, or refused when that would mix two teams."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.hlc import wall_ms
from sync.links import PairingFailed
from sync.server.cli import join_uri
from sync.server.hub.joining import join_upstream
from sync.server.storage import HubLinkError

from .hubs import Node, hub_node, relayed_to

EVENT = {"equipment_id": "cam7", "action": "checkout", "person_id": "ana",
         "at": "2026-11-28T09:59:50+01:00"}


@pytest.fixture
def own(tmp_path: Path, upstream: Node) -> Iterator[Node]:
    node = hub_node(tmp_path / "own", relayed_to(upstream))
    node.storage.start_hub_team("Location", wall_ms())
    yield node
    node.storage.close()


async def test_a_hub_of_its_own_serves_its_devices_with_no_upstream(own: Node) -> None:
    ana, ben = await own.pair("Location", "crew"), await own.pair("Location", "crew")
    await ana.push(ana.op("custody_events", "ev1", **EVENT))
    assert [c["id"] for c in (await ben.pull())["changes"]] == ["ev1"]
    assert await own.relay.run_once() == "none"
    assert (await own.health())["hub"]["upstream"] == "none"
    assert (await own.health())["hub"]["relay_waiting"] == 0


async def test_an_empty_hub_of_its_own_joins_upstream_later(
    own: Node, upstream: Node
) -> None:
    link = join_uri(upstream.url, upstream.invite("Film", "hub"))
    joined = await join_upstream(own.storage, link, "Base camp", wall_ms(), own.relay.transport)
    assert (joined.team_name, joined.state) == ("Film", "linked")
    assert await own.relay.run_once() == "linked"


async def test_a_hub_of_its_own_with_records_refuses_another_team_before_pairing(
    own: Node, upstream: Node
) -> None:
    ana = await own.pair("Location", "crew")
    await ana.push(ana.op("custody_events", "ev1", **EVENT))
    code = upstream.invite("Film", "hub")
    with pytest.raises(HubLinkError, match="already has records or devices"):
        await join_upstream(own.storage, join_uri(upstream.url, code), "Base camp",
                            wall_ms(), own.relay.transport)
    assert own.storage.hub_link().team_name == "Location"  # type: ignore[union-attr]
    assert upstream.storage.devices() == []  # the invite was not used


async def test_a_refused_join_says_why(own: Node, upstream: Node) -> None:
    link = join_uri(upstream.url, upstream.invite("Film", "crew"))
    with pytest.raises(PairingFailed, match="a crew invite cannot pair a hub"):
        await join_upstream(own.storage, link, "Base camp", wall_ms(), own.relay.transport)
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(PairingFailed, match="could not reach"):
        await join_upstream(own.storage, link, "Base camp", wall_ms(), httpx.MockTransport(refuse))
