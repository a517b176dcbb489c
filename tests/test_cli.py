"""The ``crewkit`` command line: options, where data lives, and when to serve over web."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import flet as ft
import pytest

from views.main import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    has_display,
    main,
    parse_args,
    resolve_data_dir,
    web_url,
)


def never() -> Path:
    raise AssertionError("the platform default must not be consulted")


def test_defaults() -> None:
    args = parse_args([])
    assert (args.data, args.web, args.host, args.port) == (None, False, DEFAULT_HOST, DEFAULT_PORT)
    assert (DEFAULT_HOST, DEFAULT_PORT) == ("127.0.0.1", 8550)


def test_all_options() -> None:
    args = parse_args(["--data", "/srv/ck", "--web", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.data, args.web, args.host, args.port) == ("/srv/ck", True, "0.0.0.0", 9000)


def test_port_must_be_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--port", "http"])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = capsys.readouterr().out
    for option in ("--data", "--web", "--host", "--port"):
        assert option in out


@pytest.mark.parametrize(
    ("cli", "env", "expected"),
    [
        ("/cli", {"CREWKIT_DATA_DIR": "/env", "FLET_APP_STORAGE_DATA": "/flet"}, "/cli"),
        (None, {"CREWKIT_DATA_DIR": "/env", "FLET_APP_STORAGE_DATA": "/flet"}, "/env"),
        (None, {"FLET_APP_STORAGE_DATA": "/flet"}, "/flet"),
        (None, {"CREWKIT_DATA_DIR": "", "FLET_APP_STORAGE_DATA": "/flet"}, "/flet"),
    ],
)
def test_data_dir_precedence(cli: str | None, env: dict[str, str], expected: str) -> None:
    assert resolve_data_dir(cli, env, fallback=never) == Path(expected)


def test_data_dir_falls_back_to_platform_default(tmp_path: Path) -> None:
    assert resolve_data_dir(None, {}, fallback=lambda: tmp_path) == tmp_path


def test_platform_default_is_named_for_crewkit() -> None:
    assert resolve_data_dir(None, {}).name == "crewkit"


def test_data_dir_is_absolute_and_expands_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/grip")
    assert resolve_data_dir("~/crewkit", {}, fallback=never) == Path("/home/grip/crewkit")
    assert resolve_data_dir("rel", {}, fallback=never) == Path.cwd() / "rel"


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_has_display(env: dict[str, str], platform: str, expected: bool) -> None:
    assert has_display(env, platform) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8550/"),
        ("0.0.0.0", "http://127.0.0.1:8550/"),
        ("crew-laptop.local", "http://crew-laptop.local:8550/"),
        ("::1", "http://[::1]:8550/"),
    ],
)
def test_web_url(host: str, expected: str) -> None:
    assert web_url(host, 8550) == expected


class FakeRun:
    """Stands in for ``flet.run`` so ``main`` can be checked without starting a server."""

    def __init__(self) -> None:
        self.kwargs: dict[str, object] | None = None

    def __call__(self, target: object, **kwargs: object) -> None:
        assert callable(target)
        self.kwargs = kwargs


@pytest.fixture
def fake_run(monkeypatch: pytest.MonkeyPatch) -> FakeRun:
    fake = FakeRun()
    monkeypatch.setattr(ft, "run", fake)
    # setenv first so monkeypatch restores the variable's absence after main() sets it.
    monkeypatch.setenv("FLET_WEB_NO_CDN", "")
    monkeypatch.delenv("FLET_WEB_NO_CDN")
    return fake


def test_main_serves_web_offline_and_prints_url(
    fake_run: FakeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "new" / "data"
    main(["--web", "--port", "8601", "--data", str(data)])
    assert fake_run.kwargs == {
        "view": ft.AppView.WEB_BROWSER,
        "host": "127.0.0.1",
        "port": 8601,
        "no_cdn": True,
    }
    assert os.environ["FLET_WEB_NO_CDN"] == "1"
    assert data.is_dir()
    assert "http://127.0.0.1:8601/" in capsys.readouterr().out


def test_main_without_display_always_serves_web(
    fake_run: FakeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    main(["--data", str(tmp_path)])
    assert fake_run.kwargs is not None
    assert fake_run.kwargs["view"] == ft.AppView.WEB_BROWSER


def test_main_with_display_opens_a_window(
    fake_run: FakeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    main(["--data", str(tmp_path)])
    assert fake_run.kwargs == {}
    assert "FLET_WEB_NO_CDN" not in os.environ
