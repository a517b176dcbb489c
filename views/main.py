"""The ``crewkit`` command: open the app in a window, or serve it to a browser.

``crewkit [--data DIR] [--web] [--host 127.0.0.1] [--port 8550]``. A machine with no
display cannot open a window, so it always serves over HTTP and prints the URL.
"""

from __future__ import annotations

import argparse
import contextvars
import os
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path

import flet as ft
import platformdirs

from app.store import Store, StoreUnavailable
from sync import HubBrowser, SyncEngine
from views.context import AppContext
from views.shell import Shell
from views.unavailable import unavailable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8550


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (``sys.argv[1:]`` when ``argv`` is None)."""
    parser = argparse.ArgumentParser(
        prog="crewkit",
        description="Crewkit: schedule, checklists, gear and expenses for production crews.",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="where this device keeps its data "
        "(default: $CREWKIT_DATA_DIR, $FLET_APP_STORAGE_DATA, or the user data dir)",
    )
    parser.add_argument(
        "--web",
        action="store_true",
        help="serve the app to a browser instead of opening a window "
        "(always on when there is no display)",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to serve on with --web (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port to serve on with --web (default: %(default)s)",
    )
    return parser.parse_args(argv)


def platform_data_dir() -> Path:
    """The per-user data directory the operating system expects for Crewkit."""
    return Path(platformdirs.user_data_dir("crewkit", appauthor=False))


def resolve_data_dir(
    cli_value: str | None,
    env: Mapping[str, str],
    fallback: Callable[[], Path] = platform_data_dir,
) -> Path:
    """Pick the data directory: ``--data``, then ``CREWKIT_DATA_DIR``, then Flet's, then the OS's.

    ``FLET_APP_STORAGE_DATA`` is set by Flet in packaged apps (phones, desktop builds)
    and points at the app's sandboxed storage, which is the only writable place there.
    Pure apart from ``fallback``, which is only called when nothing else is set.
    """
    for value in (cli_value, env.get("CREWKIT_DATA_DIR"), env.get("FLET_APP_STORAGE_DATA")):
        if value:
            return Path(value).expanduser().resolve()
    return fallback()


def has_display(env: Mapping[str, str], platform: str) -> bool:
    """Whether the app can show its own window; only a bare Linux can lack a display.

    A packaged app (``flet build``) runs inside Flet's client, which sets
    ``FLET_PLATFORM``: on Android ``sys.platform`` is "linux" with no ``DISPLAY``, and
    the app must still open natively rather than serve a web page.
    """
    if env.get("FLET_PLATFORM") or not platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def web_url(host: str, port: int) -> str:
    """The address to open in a browser; a wildcard bind is reached via loopback."""
    shown = DEFAULT_HOST if host in ("", "0.0.0.0", "::", "*") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


MDNS_INTERFACES = "CREWKIT_MDNS_INTERFACES"


def hub_browser(env: Mapping[str, str]) -> HubBrowser:
    """What finds hubs of the device's team on the local network (mDNS) while sync runs:
    on every interface, or only on the addresses listed (comma-separated) in
    ``CREWKIT_MDNS_INTERFACES`` (tests keep it to ``127.0.0.1``)."""
    listed = [a.strip() for a in env.get(MDNS_INTERFACES, "").split(",") if a.strip()]
    return HubBrowser(listed or None)


def start_sync(engine: SyncEngine) -> None:
    """Start the process's one sync engine on Flet's loop (idempotent).

    It runs in an empty ``contextvars`` context: the task would otherwise inherit the
    first session's current page, and that session would take every sync commit for
    its own edit and never refresh after a pull (see ``views.refresh``). An unpaired
    engine just waits for pairing or "Sync now".
    """
    contextvars.Context().run(engine.start)


def open_app(data_dir: Path) -> Callable[[ft.Page], Awaitable[None]]:
    """Open the store and return what each session shows: the app over it, or, when it
    cannot be opened, the one sentence that says why (printed to stderr as well)."""
    try:
        store = Store.open(data_dir)
    except StoreUnavailable as error:
        reason = str(error)
        print(f"crewkit: {reason}", file=sys.stderr)

        async def explain(page: ft.Page) -> None:
            page.title = "Crewkit"
            page.appbar = ft.AppBar(title=ft.Text("Crewkit"))
            page.add(unavailable(reason))

        return explain
    for note in store.recovery_notes:
        print(f"crewkit: {note}", file=sys.stderr)
    engine = SyncEngine(store, hub_finder=hub_browser(os.environ))

    async def start(page: ft.Page) -> None:
        start_sync(engine)
        Shell(AppContext.for_page(page, store, sync=engine)).mount()

    return start


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``crewkit`` console script."""
    args = parse_args(argv)
    data_dir = resolve_data_dir(args.data, os.environ)
    start = open_app(data_dir)
    if args.web or not has_display(os.environ, sys.platform):
        # The browser must load CanvasKit and fonts from this server, not a CDN:
        # crews work where there is no signal. flet_web's FletStaticFiles reads this
        # variable and it overrides the no_cdn argument.
        os.environ["FLET_WEB_NO_CDN"] = "1"
        print(f"Crewkit is serving {web_url(args.host, args.port)} (data: {data_dir})", flush=True)
        ft.run(
            start,
            view=ft.AppView.WEB_BROWSER,
            host=args.host,
            port=args.port,
            no_cdn=True,
        )
    else:
        ft.run(start)


if __name__ == "__main__":
    main()
