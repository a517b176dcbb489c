"""The server and the shared schema stay free of the device's UI and store libraries."""

from __future__ import annotations

import subprocess
import sys

import sync.server


def test_server_never_imports_flet_or_tinydb() -> None:
    probe = ("import sys, sync.server, sync.server.cli, sync.schema, sync.wire;"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'flet', 'tinydb'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_public_surface() -> None:
    assert sorted(sync.server.__all__) == [
        "DEFAULT_LIMITS", "Limits", "Storage", "create_app", "open_storage"]
