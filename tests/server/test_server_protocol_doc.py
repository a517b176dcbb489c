"""``sync/PROTOCOL.md`` is the contract other clients are written against: keep it whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sync import wire
from sync.server.app import create_app
from sync.server.cli import build_parser
from sync.server.storage import open_storage

PROTOCOL = (Path(wire.__file__).parent / "PROTOCOL.md").read_text()


def _documented_routes() -> set[str]:
    return set(re.findall(r"`((?:GET|PUT|POST|HEAD|DELETE) /v1/[^`?]*)", PROTOCOL))


def test_every_route_is_documented(tmp_path: Path) -> None:
    storage = open_storage(tmp_path, "")
    spec = create_app(storage, tmp_path / "blobs").openapi()
    storage.close()
    routes = {f"{method.upper()} {path.replace('{name}', '{sha256}')}"
              for path, methods in spec["paths"].items() for method in methods}
    assert len(routes) == 10
    assert routes <= _documented_routes()


@pytest.mark.parametrize("code", [*wire.REJECTION_CODES, *wire.ERROR_STATUS])
def test_every_code_is_documented(code: str) -> None:
    assert f"`{code}`" in PROTOCOL


def test_error_statuses_match_the_table() -> None:
    for code, status in wire.ERROR_STATUS.items():
        assert re.search(rf"\| {status} \| `{code}` \|", PROTOCOL), code


def test_every_command_is_documented() -> None:
    usage = build_parser().format_usage()  # "... {serve,invite,devices,revoke} ..."
    commands = re.search(r"\{([a-z,]+)\}", usage)
    assert commands is not None
    for command in commands.group(1).split(","):
        assert f"crewkit-server [--data DIR] {command}" in PROTOCOL
