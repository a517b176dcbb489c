"""Browser tests: serve Crewkit over HTTP and drive it in headless Chromium.

Fixtures
    ``crewkit_url``   starts ``python -m views.main --web --port <free> --data <tmp>`` and
                      yields the URL once the port answers; the server is stopped after.
    ``sample_crewkit_url``  the same over ``sample_data_dir``, a data dir that already
                      holds the sample production (today is its day 2).
    ``serve_app``     ``with serve_app(data_dir) as url:`` serves Crewkit over
                      ``data_dir`` for the block only, so the test can open the store
                      after the app has let go of it.
    ``serve_crewkit`` ``serve_crewkit(name) -> URL``: another app instance (a second
                      device) over its own empty data dir.
    ``sync_server``   ``crewkit-server serve`` on a free loopback port: (URL, data dir).
    ``join_link``     ``join_link(role) -> str``: an invite into the team "Salt Line" of
                      ``sync_server``, as its ``invite`` command prints it.
    ``chromium``      one headless Debian Chromium per test module (never the browser
                      ``playwright install`` downloads: there is no internet on CI).
    ``open_app``      ``open_app(width=412, height=860, color_scheme="light", url=None,
                      timezone_id=None) -> Page``: a fresh browser context of that size,
                      light/dark preference and clock zone (the machine's by default),
                      the app loaded (from ``url``, else ``crewkit_url``) and its
                      semantics tree on.
    ``crewkit_page``  ``open_app()`` at phone size, for tests that need just one page.
    ``app_ready``     ``app_ready(page)``: wait for the app again after ``page.reload()``.
    ``type_text``     ``type_text(field, text)``: type into a Flutter text field as a
                      person does, replacing what it held.
    ``held_tap``      ``held_tap(target)``: a tap whose release comes ``HELD_TAP_MS``
                      after the press, as a loaded machine delivers it (see below).
    ``screenshot``    ``screenshot(page, "label") -> Path``: saves
                      ``tests/artifacts/screenshots/<test name>-<label>.png`` once the
                      frame is painted.

How Flutter web is tested
    Flutter draws everything on a canvas; the DOM holds no text until the semantics
    (accessibility) tree is switched on by clicking the invisible
    ``flt-semantics-placeholder``. Its ``click()`` must go through ``page.evaluate``:
    the element is 1x1 px off-screen, so Playwright's own click refuses it. After that,
    controls appear as ``flt-semantics`` nodes with ARIA roles, so tests use
    ``get_by_role`` / ``get_by_text``. What Flet 1.0.5 controls become:
    ``AppBar`` title → ``heading``; ``NavigationBar`` destination → ``tab`` named by its
    label; ``NavigationRail`` destination → ``button`` named "<label> Tab i of n";
    buttons → ``button`` named by their text; ``Text`` → plain text; a tooltip → the
    ``aria-label`` of a wrapping node (not the button's name); a tappable ``ft.Chip`` →
    ``checkbox``; ``AlertDialog`` → ``alertdialog``.

Timings measured on the 2-core CI machine
    * Server start until the HTTP port answers: 1.5-2 s (importing flet and fastapi).
    * Chromium launch: under 1 s, once per session.
    * Page load until semantics nodes exist: 2-4 s; until the app bar heading is there
      (Python's ``main`` has run): 2.5-5.5 s. The very first load on a fresh machine took
      15 s (cold disk cache; Chromium compiles the 7 MB CanvasKit wasm without a GPU),
      hence the 60 s budget. A whole shell test, server included, takes 5-8 s.
    * The placeholder exists before the Flutter engine listens to it, and a click that
      lands too early is lost, so ``wait_for_app`` (``app_ready``) clicks it every
      250 ms until semantics nodes appear, then waits for the app bar's heading (the
      Python ``main`` has run and its first update has arrived).
    * The semantics tree is updated before the frame is painted: a screenshot taken as
      soon as a label appears can be blank white, and one taken during a transition
      catches the selection indicator half-way. ``screenshot`` moves the pointer away
      (hover shows tooltips), then shoots until two shots in a row are identical and
      not a single colour.
    * With semantics on, Flutter holds a press on a button back (its click debouncer:
      a 0 ms then a 200 ms timer, read from the engine in main.dart.js) to tell a
      pointer tap from a screen reader's click. When the release comes later than
      that, as it does on a busy machine, the held press is replayed to the framework
      and hit-tested against the layout *at replay time*. If the form re-laid out in
      between (an error appearing or going when the field lost the focus to this very
      tap), the press lands beside the button and the tap is lost: the browser then
      reports the release on the dialog, not the button. ``held_tap`` forces that
      path, so a test catches a form that moves under a tap on an idle machine too.
    * The Flet web client asks a CDN for ``rive_native.js`` even with
      ``FLET_WEB_NO_CDN=1``; offline it fails with ``ERR_NAME_NOT_RESOLVED`` in the
      console and the app works regardless.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Literal

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, Playwright, expect, sync_playwright

from app.blobs import BlobStore
from app.sample import load_sample
from app.store import Store
from bench.postgres import free_port
from bench.serving import serving
from views.first_run import sample_today

REPO = Path(__file__).resolve().parents[2]
SYNC_SERVER = [sys.executable, "-m", "sync.server.cli"]
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXPECT_TIMEOUT_MS = 15_000
TYPING_ATTEMPTS = 5
HELD_TAP_MS = 300
"""Press-to-release time of ``held_tap``: past the engine's 200 ms hold."""
APP_LOAD_TIMEOUT_S = 60.0
PHONE = (412, 860)

ColorScheme = Literal["light", "dark"]

_ENABLE_SEMANTICS_JS = """() => {
  const placeholder = document.querySelector('flt-semantics-placeholder');
  if (placeholder) placeholder.click();
  return document.querySelectorAll('flt-semantics-host flt-semantics').length;
}"""
_UNEDITED = "crewkit-not-editing-yet"
_MARK_UNEDITED_JS = """(input, marker) => {
  if (document.activeElement === input) return false;
  input.setAttribute('autocorrect', marker);
  return true;
}"""
"""Mark a text field's input as not yet edited through, unless it is the focused one
(the engine already edits through it; it would not write the attribute again)."""
_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the served app in headless Chromium")
    # A round trip to the Python side and a repaint can take seconds on a busy 2-core
    # machine; Playwright's 5 s default fails there on a correct app.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def _server_env() -> dict[str, str]:
    """The test environment minus any display, so ``--web`` never opens a browser window."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONUNBUFFERED"] = "1"
    env["CREWKIT_MDNS_INTERFACES"] = "127.0.0.1"  # looking for hubs: on loopback only
    return env


@contextmanager
def _serve(data_dir: Path, log_path: Path) -> Iterator[str]:
    """Run ``crewkit --web`` on a free loopback port over ``data_dir``; yield its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "views.main", "--web", "--port", str(port)]
    with serving(
        [*command, "--data", str(data_dir)], url, log=log_path, env=_server_env(), cwd=REPO
    ):
        yield url


@pytest.fixture
def crewkit_url(tmp_path: Path) -> Iterator[str]:
    """Serve Crewkit on a free loopback port with an empty data dir; yield its URL."""
    with _serve(tmp_path / "data", tmp_path / "crewkit-server.log") as url:
        yield url


@pytest.fixture
def serve_app(tmp_path: Path) -> Callable[[Path], AbstractContextManager[str]]:
    """``serve_app(data_dir)``: a context serving Crewkit over ``data_dir``; its URL."""
    return lambda data_dir: _serve(data_dir, tmp_path / f"crewkit-{data_dir.name}.log")


@pytest.fixture
def serve_crewkit(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``serve_crewkit(name) -> URL``: one more app instance (another device) over its own
    empty data dir ``tmp_path/name``; every instance is stopped after the test."""
    with ExitStack() as stack:

        def serve(name: str) -> str:
            return stack.enter_context(_serve(tmp_path / name, tmp_path / f"{name}.log"))

        yield serve


@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``crewkit-server serve`` on a free loopback port; yields its URL and data dir."""
    data, port = tmp_path / "sync-server-data", free_port()
    url = f"http://127.0.0.1:{port}"
    command = [*SYNC_SERVER, "--data", data, "serve", "--port", str(port)]
    with serving(command, f"{url}/v1/health", log=tmp_path / "sync-server.log"):
        yield url, data


@pytest.fixture
def join_link(sync_server: tuple[str, Path]) -> Callable[[str], str]:
    """``join_link(role)``: what the coordinator's ``crewkit-server invite`` prints."""
    url, data = sync_server

    def invite(role: str) -> str:
        result = subprocess.run(
            [*SYNC_SERVER, "--data", data, "invite", "--team", "Salt Line", "--role", role,
             "--json", "--server-url", url],
            capture_output=True, text=True, check=True,
        )
        return str(json.loads(result.stdout)["uri"])

    return invite


@pytest.fixture
def sample_data_dir(tmp_path: Path) -> Path:
    """A data dir holding the sample production, loaded as the first-run button does."""
    data_dir = tmp_path / "sample-data"
    store = Store.open(data_dir)
    try:
        load_sample(store, BlobStore(data_dir / "blobs"), sample_today(datetime.now(UTC)))
    finally:
        store.close()
    return data_dir


@pytest.fixture
def sample_crewkit_url(sample_data_dir: Path, tmp_path: Path) -> Iterator[str]:
    """Serve Crewkit over ``sample_data_dir``: the app opens on the sample production."""
    with _serve(sample_data_dir, tmp_path / "crewkit-sample-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Per module, not per session: while Playwright's sync API is open it keeps an
    event loop running in the main thread, and every async test collected after the
    browser tests (``tests/views``) would fail with "another loop is running"."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; missing Chromium fails the run rather than skipping."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's Chromium "
            "(run `apt-get install chromium` as root; never `playwright install`)"
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def wait_for_app(page: Page, timeout_s: float = APP_LOAD_TIMEOUT_S) -> None:
    """Switch Flutter's semantics tree on and wait until the shell has been drawn."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(_ENABLE_SEMANTICS_JS):
        if time.monotonic() > deadline:
            pytest.fail(f"Flutter semantics did not appear within {timeout_s:.0f} s")
        page.wait_for_timeout(250)
    remaining_ms = max(deadline - time.monotonic(), 1) * 1000
    page.get_by_role("heading").first.wait_for(timeout=remaining_ms)


@pytest.fixture
def app_ready() -> Callable[[Page], None]:
    return wait_for_app


@pytest.fixture
def open_app(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Open the served app in a new browser context of the given size and colour scheme.

    ``url`` defaults to ``crewkit_url`` (an empty data dir, started on first use); pass
    ``sample_crewkit_url`` to open the app on the sample production.
    """
    contexts = []

    def open_(
        width: int = PHONE[0],
        height: int = PHONE[1],
        color_scheme: ColorScheme = "light",
        url: str | None = None,
        timezone_id: str | None = None,
    ) -> Page:
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            timezone_id=timezone_id,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(url or request.getfixturevalue("crewkit_url"))
        wait_for_app(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def crewkit_page(open_app: Callable[..., Page]) -> Page:
    return open_app()


def type_into(field: Locator, text: str) -> None:
    """Type into a Flutter text field as a person does, replacing what it held.

    Focus, wait until Flutter edits through the field, then key by key; the field must
    then show exactly ``text``. Focusing a semantics text field only asks the framework
    to focus it: the engine starts editing through the DOM input a frame or more later
    (seconds on a busy machine, e.g. while the previous field still repaints), and keys
    sent before that land in the bare DOM input and are overwritten when the engine
    writes the field's own value in (a currency typed right after the name went back to
    "EUR" while the DOM had shown the typed "USD" for a moment). The engine always
    writes the input's ``autocorrect`` attribute when it starts editing, so a marker put
    there before focusing says when it has. A field that still does not show ``text`` is
    typed over again, as a person would. ``fill`` sets the DOM value in one go and, on a
    filled field, only selects the text. Focus, not click: once the field shows an
    error, its decoration's node lies over the input and takes the click.
    """
    page = field.page
    for _ in range(TYPING_ATTEMPTS):
        if field.evaluate(_MARK_UNEDITED_JS, _UNEDITED):
            field.focus()
            try:
                expect(field).not_to_have_attribute("autocorrect", _UNEDITED, timeout=5_000)
            except AssertionError:
                continue
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        try:
            expect(field).to_have_value(text, timeout=2_000)
            return
        except AssertionError:
            continue
    expect(field).to_have_value(text)


@pytest.fixture
def type_text() -> Callable[[Locator, str], None]:
    return type_into


def hold_tap(target: Locator) -> None:
    """Tap ``target`` with its release ``HELD_TAP_MS`` after the press."""
    target.click(delay=HELD_TAP_MS)


@pytest.fixture
def held_tap() -> Callable[[Locator], None]:
    return hold_tap


def _is_blank(png: bytes) -> bool:
    with Image.open(BytesIO(png)) as image:
        return image.convert("RGB").getcolors(maxcolors=1) is not None


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a painted, settled screenshot named after the test; fail if it stays blank.

    The pointer is moved off the controls first (a hovered navigation destination shows
    its tooltip), then shots are taken until two in a row are identical, so Material's
    transitions (the selection indicator moving, a dialog fading in) have finished.
    """

    def save(page: Page, label: str) -> Path:
        page.mouse.move(0, 0)
        deadline = time.monotonic() + 10
        previous = b""
        while True:
            page.evaluate(_TWO_FRAMES_JS)
            png = page.screenshot()
            if png == previous and not _is_blank(png):
                break
            if time.monotonic() > deadline:
                state = "blank" if _is_blank(png) else "still changing"
                pytest.fail(f"screenshot {label!r}: the page is {state} after 10 s")
            previous = png
            page.wait_for_timeout(200)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{label}")
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(png)
        return path

    return save
