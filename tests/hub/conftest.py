"""Hub test fixtures: the server tests' storage backends and in-process servers."""

from __future__ import annotations

from server.conftest import make_server, pair, server, storage

__all__ = ["make_server", "pair", "server", "storage"]
