"""View tests: build screens against a real store and drive their handlers through Flet.

Fixtures
    ``ctx``        ``AppContext`` over a real ``Store`` in ``tmp_path`` holding the sample
                   production (loaded with "today" = ``TODAY``; ``ctx.now()`` is ``NOW``),
                   on a real ``ft.Page``.
    ``empty_ctx``  the same with an empty store: a first run.
    ``ui``         the ``Ui`` harness over ``ctx``'s page (``empty_ui`` for ``empty_ctx``).

Why a real page
    The page is Flet's own ``ft.Page`` inside a real ``Session``; only the connection to
    the Flutter client is replaced by ``RecordingConnection``, which records what would
    be sent. So ``control.update()``, ``page.show_dialog()``, services (``ft.FilePicker``,
    ``ft.UrlLauncher``) and event dispatch behave as in the app, a misspelt attribute or
    an invalid property value fails the test as it would fail the app, and an exception
    in a handler (which Flet turns into a "session crashed" message) fails the test.

Driving a screen (tests that fire events are ``async``)::

    async def test_load(empty_ctx, empty_ui):
        screen = empty_ui.mount(build(empty_ctx))
        await empty_ui.click(empty_ui.find(screen, ft.Button, "Load sample production"))
        assert empty_ui.snackbars() == []

Client method calls (``launch_url``, ``pick_files``, ``save_file``…) are answered at
once with ``ui.results[name]`` (a value, or a function of the call's arguments;
``None`` by default, like a cancelled picker) and listed in ``ui.invoked(name)``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import flet as ft
import msgpack
import pytest
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page
from flet.controls.object_patch import ObjectPatch
from flet.messaging.connection import Connection
from flet.messaging.protocol import Message, MessageAction, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.blobs import BlobStore
from app.sample import load_sample
from app.store import Store
from views.context import AppContext

NOW = datetime(2025, 6, 11, 10, 30, tzinfo=UTC)
"""11:30 in Lisbon on the sample's second (today's) shooting day."""
TODAY = date(2025, 6, 11)
PHONE = (412, 860)

C = TypeVar("C", bound=BaseControl)
_ENCODE = configure_encode_object_for_msgpack(BaseControl)


class RecordingConnection(Connection):
    """A Flet connection with no client: records messages and answers method calls."""

    def __init__(self) -> None:
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.session: Session | None = None
        self.messages: list[Message] = []
        self.crashes: list[str] = []
        self.results: dict[str, Any] = {}

    @property  # type: ignore[override]
    def loop(self) -> asyncio.AbstractEventLoop:
        """The test's own loop: ``page.run_task`` schedules onto the running test."""
        return asyncio.get_running_loop()

    def send_message(self, message: Message) -> None:
        # Encoding is what marks controls as sent (Flet diffs against the snapshot the
        # encoder takes), and it rejects property values the client could not read.
        msgpack.packb([message.action, message.body], default=_ENCODE)
        self.messages.append(message)
        if message.action == MessageAction.SESSION_CRASHED:
            self.crashes.append(message.body.message)
        elif message.action == MessageAction.INVOKE_METHOD:
            body = message.body
            answer = self.results.get(body.name)
            result = answer(body.args) if callable(answer) else answer
            assert self.session is not None
            self.session.handle_invoke_method_results(body.control_id, body.call_id, result, None)


class Ui:
    """Find controls in a built tree and fire their events as the Flutter client would."""

    def __init__(self, page: ft.Page, connection: RecordingConnection) -> None:
        self.page = page
        self.connection = connection
        self.results = connection.results

    def mount(self, control: C) -> C:
        """Add ``control`` to the page (as the shell does) so its events can fire."""
        self.page.controls.clear()
        self.page.add(control)
        return control

    async def fire(self, control: BaseControl, event: str, data: Any = None) -> None:
        """Dispatch ``on_<event>`` through the session; fail on a handler's exception."""
        session = self.page.session
        await session.dispatch_event(control._i, event, data)
        await self.settle()
        self.assert_no_crash()
        self.assert_all_sent()

    async def click(self, control: BaseControl) -> None:
        await self.fire(control, "click")

    async def type_into(self, field: ft.TextField, text: str, *, submit: bool = False) -> None:
        """Set a field's value and fire ``change`` (and ``submit``), as typing does."""
        field.value = text
        await self.fire(field, "change", text)
        if submit:
            await self.fire(field, "submit", text)

    async def pick_date(self, tapped: datetime) -> ft.DatePicker:
        """Confirm the open date picker on ``tapped``, as the client reports a tap: the
        value arrives from the device, then ``change`` fires."""
        picker = next(d for d in self.dialogs() if isinstance(d, ft.DatePicker))
        self.page.session.apply_patch(picker._i, {"value": tapped})
        await self.fire(picker, "change", tapped)
        return picker

    async def settle(self) -> None:
        """Let tasks started with ``page.run_task`` or ``asyncio.create_task`` finish.

        Loops meant to run for the whole session (the sync engine, the chip's clock) are
        named ``crewkit-…`` and are not waited for.
        """
        for _ in range(200):
            current = asyncio.current_task()
            pending = [
                t
                for t in asyncio.all_tasks()
                if t is not current and not t.done() and not t.get_name().startswith("crewkit-")
            ]
            if not pending:
                return
            await asyncio.wait(pending, timeout=0.05)
        raise AssertionError(f"tasks still running: {pending}")

    def assert_no_crash(self) -> None:
        crashes, self.connection.crashes[:] = list(self.connection.crashes), []
        assert not crashes, crashes[0]

    def assert_all_sent(self) -> None:
        """Fail if controls changed without reaching the client.

        Flet sends a handler's changes by itself only when the handler called no
        ``update()``: one that calls ``page.pop_dialog()`` (which updates the dialog) and
        then changes the screen must call ``page.update()``, or the screen stays stale.
        """
        patch, _, _ = ObjectPatch.from_diff(self.page, self.page, control_cls=BaseControl)
        # Buttons rebuild their effective ButtonStyle on every diff (a fresh copy in
        # ``before_update``), so a "style" replacement is Flet's churn, not ours.
        unsent = [op for op in patch.to_message()[1:] if not (len(op) > 2 and op[2] == "style")]
        assert not unsent, f"changed but never sent to the client: {unsent[:3]}"

    def invoked(self, name: str) -> list[dict[str, Any]]:
        """Arguments of every client method ``name`` called so far (e.g. "launch_url")."""
        return [
            m.body.args
            for m in self.connection.messages
            if m.action == MessageAction.INVOKE_METHOD and m.body.name == name
        ]

    def dialogs(self) -> list[ft.DialogControl]:
        """Dialogs, sheets and snackbars open now, oldest first."""
        return [d for d in self.page._dialogs.controls if d.open]

    def dialog(self) -> ft.AlertDialog:
        """The open alert dialog on top; fails if there is none."""
        alerts = [d for d in self.dialogs() if isinstance(d, ft.AlertDialog)]
        assert alerts, "no dialog is open"
        return alerts[-1]

    def snackbars(self) -> list[str]:
        """The text of every snackbar shown so far (open or closed)."""
        return [
            text_of(d.content) for d in self.page._dialogs.controls if isinstance(d, ft.SnackBar)
        ]

    def find_all(
        self, root: BaseControl, kind: type[C] = BaseControl, text: str | None = None
    ) -> list[C]:  # type: ignore[assignment]
        """Every control of ``kind`` under ``root`` whose visible text contains ``text``."""
        return [
            c for c in walk(root) if isinstance(c, kind) and (text is None or text in text_of(c))
        ]

    def find(self, root: BaseControl, kind: type[C] = BaseControl, text: str | None = None) -> C:  # type: ignore[assignment]
        """The first control of ``kind`` with ``text`` under ``root``; fails if none."""
        found = self.find_all(root, kind, text)
        assert found, f"no {kind.__name__} with text {text!r}; texts: {texts(root)}"
        return found[0]

    def texts(self, root: BaseControl) -> list[str]:
        return texts(root)


def walk(root: BaseControl) -> Iterator[BaseControl]:
    """``root`` and every control below it, through any field holding controls."""
    yield root
    for f in dataclasses.fields(root):
        if f.name.startswith("_") or f.name in ("parent", "page"):
            continue
        value = getattr(root, f.name, None)
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, BaseControl):
                yield from walk(child)


def text_of(control: BaseControl | str | None) -> str:
    """What a person reads on ``control``: its value, text, label or tooltip."""
    if control is None:
        return ""
    if isinstance(control, str):
        return control
    parts = []
    for name in ("value", "text", "label", "content", "title", "tooltip", "hint_text"):
        value = getattr(control, name, None)
        if isinstance(value, str):
            parts.append(value)
        elif name in ("content", "label", "title") and isinstance(value, ft.Text):
            parts.append(value.value or "")
    return " ".join(parts)


def texts(root: BaseControl) -> list[str]:
    """Every ``ft.Text`` value under ``root``: handy in assertion messages."""
    return [c.value for c in walk(root) if isinstance(c, ft.Text) and c.value]


def _page() -> tuple[ft.Page, RecordingConnection]:
    connection = RecordingConnection()
    session = Session(connection)
    connection.session = session
    page = session.page
    page.width, page.height = PHONE
    page.platform = ft.PagePlatform.LINUX  # a client always reports one (desktop here)
    # What registering a client does: the whole page goes out and its tree goes live.
    msgpack.packb(session.get_page_patch(), default=_ENCODE)
    _context_page.set(page)  # services (FilePicker, UrlLauncher) register with this page
    return page, connection


def _context(data_dir: Path, *, sample: bool) -> tuple[AppContext, RecordingConnection]:
    store = Store.open(data_dir)
    blobs = BlobStore(data_dir / "blobs")
    if sample:
        load_sample(store, blobs, TODAY)
    page, connection = _page()
    ctx = AppContext.for_page(page, store, now=lambda: NOW)
    return ctx, connection


@pytest.fixture
def _sample(tmp_path: Path) -> Iterator[tuple[AppContext, RecordingConnection]]:
    ctx, connection = _context(tmp_path / "data", sample=True)
    yield ctx, connection
    ctx.store.close()


@pytest.fixture
def _empty(tmp_path: Path) -> Iterator[tuple[AppContext, RecordingConnection]]:
    ctx, connection = _context(tmp_path / "empty", sample=False)
    yield ctx, connection
    ctx.store.close()


@pytest.fixture
def ctx(_sample: tuple[AppContext, RecordingConnection]) -> AppContext:
    return _sample[0]


@pytest.fixture
def ui(_sample: tuple[AppContext, RecordingConnection]) -> Ui:
    return Ui(*_page_of(_sample))


@pytest.fixture
def empty_ctx(_empty: tuple[AppContext, RecordingConnection]) -> AppContext:
    return _empty[0]


@pytest.fixture
def empty_ui(_empty: tuple[AppContext, RecordingConnection]) -> Ui:
    return Ui(*_page_of(_empty))


def _page_of(pair: tuple[AppContext, RecordingConnection]) -> tuple[ft.Page, RecordingConnection]:
    return pair[0].page, pair[1]
