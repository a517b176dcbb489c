"""Hub test fixtures: the server tests' storage backends, and an upstream server with a
hub joined to it (both SQLite, in process; the hub's link to upstream can fail)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from server.conftest import make_server, pair, server, storage

from .hubs import Flaky, Node, hub_node, join, relayed_to, upstream_node

__all__ = ["make_server", "pair", "server", "storage"]


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Node]:
    node = upstream_node(tmp_path / "upstream")
    yield node
    node.storage.close()


@pytest.fixture
def link(upstream: Node) -> Flaky:
    return Flaky(relayed_to(upstream))


@pytest.fixture
async def hub(tmp_path: Path, upstream: Node, link: Flaky) -> AsyncIterator[Node]:
    """A hub of team Film, joined upstream (not yet synced)."""
    node = hub_node(tmp_path / "hub", link)
    await join(node, upstream)
    yield node
    node.storage.close()
