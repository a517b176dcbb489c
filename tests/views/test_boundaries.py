"""Layering: services never know about the UI, and screens never reach past the services.

``app/`` and ``sync/`` run without Flet (on the server, in tests, in the benchmark), so
they must not import it; ``views/`` talks to data only through ``app/`` and ``sync/``,
so it must not import TinyDB or httpx. Checked on the source with ``ast``, which also
sees imports inside functions and ``TYPE_CHECKING`` blocks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "app": {"flet", "flet_camera", "flet_web"},
    "sync": {"flet", "flet_camera", "flet_web"},
    "views": {"tinydb", "httpx"},
}


def imported_packages(source: str) -> set[str]:
    """Top-level package names ``source`` imports (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_to_its_layer(package: str) -> None:
    files = sorted((REPO / package).rglob("*.py"))
    assert files, f"no sources found under {package}/"
    offences = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in files
        for name in sorted(imported_packages(path.read_text(encoding="utf-8")) & FORBIDDEN[package])
    ]
    assert offences == []


def test_the_scanner_sees_nested_and_from_imports() -> None:
    source = "def f():\n    from httpx import Client\nimport tinydb.table\nfrom . import x\n"
    assert imported_packages(source) == {"httpx", "tinydb"}
