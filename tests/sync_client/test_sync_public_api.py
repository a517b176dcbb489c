"""The app sees sync through a small, fixed surface, and importing the store stays cheap."""

from __future__ import annotations

import subprocess
import sys

import sync
import sync.client

PUBLIC = [
    "Backoff",
    "BadHubAddress",
    "Endpoint",
    "HubBrowser",
    "HubFinder",
    "HubSeen",
    "JoinLink",
    "Pairing",
    "PairingFailed",
    "RejectedOp",
    "SyncEngine",
    "SyncProgress",
    "SyncSettings",
    "SyncState",
    "SyncStatus",
    "current_pairing",
    "parse_join_link",
]


def test_public_surface_is_exactly_the_list() -> None:
    assert sorted(sync.__all__) == PUBLIC
    assert sorted(sync.client.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(sync, name) is getattr(sync.client, name)
    assert set(PUBLIC) <= set(dir(sync))  # lazily imported names still show in dir()


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        sync.Nonexistent  # noqa: B018
    except AttributeError as error:
        assert "Nonexistent" in str(error)
    else:
        raise AssertionError("sync.Nonexistent resolved")


def test_the_store_and_server_do_not_load_the_http_client() -> None:
    code = (
        "import sys, app.store, sync.server.app\n"
        "assert 'sync.client' not in sys.modules, 'sync.client was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
