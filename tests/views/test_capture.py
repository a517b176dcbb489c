"""capture_photo: the source dialog, picking a file, cancelling, and when the camera shows."""

from __future__ import annotations

import asyncio
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flet as ft

from views.capture import PICK_FILE, PICKER_KEY, TAKE_PHOTO, camera_available, capture_photo
from views.context import AppContext


@dataclass
class StubPage:
    """Records dialogs; enough of a page for a flow that only shows and closes dialogs."""

    platform: ft.PagePlatform = ft.PagePlatform.LINUX
    web: bool = True
    dialogs: list[Any] = field(default_factory=list)

    def show_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog)

    def pop_dialog(self) -> None:
        self.dialogs.pop()

    def update(self) -> None:
        pass


@dataclass
class FakePicker:
    files: list[ft.FilePickerFile]
    asked: list[dict[str, Any]] = field(default_factory=list)

    async def pick_files(self, **options: Any) -> list[ft.FilePickerFile]:
        self.asked.append(options)
        return self.files


def _ctx(page: StubPage, picker: FakePicker) -> AppContext:
    ctx = AppContext(page=page, data_dir=Path("."), store=None, blobs=None)  # type: ignore[arg-type]
    ctx.extras[PICKER_KEY] = picker
    return ctx


async def _press(page: StubPage, label: str) -> None:
    """Wait for the dialog to appear, then press its button labelled ``label``."""
    for _ in range(100):
        if page.dialogs:
            break
        await asyncio.sleep(0)
    dialog = page.dialogs[-1]
    labels = {_label(b): b for b in dialog.actions}
    await labels[label].on_click(None)


def _label(button: Any) -> str:
    return button.content if isinstance(button.content, str) else button.content.value


async def test_picking_a_file_returns_its_bytes() -> None:
    page = StubPage()
    picker = FakePicker([ft.FilePickerFile(id=1, name="a.png", size=3, bytes=b"png")])
    task = asyncio.create_task(capture_photo(_ctx(page, picker), title="Receipt"))
    await _press(page, PICK_FILE)
    assert await task == b"png"
    assert picker.asked[0]["with_data"] is True
    assert "jpg" in picker.asked[0]["allowed_extensions"]
    assert page.dialogs == []


async def test_cancel_and_an_empty_pick_return_none() -> None:
    page = StubPage()
    ctx = _ctx(page, FakePicker([]))
    task = asyncio.create_task(capture_photo(ctx))
    await _press(page, "Cancel")
    assert await task is None

    task = asyncio.create_task(capture_photo(ctx))
    await _press(page, PICK_FILE)
    assert await task is None


async def test_dismissing_the_dialog_returns_none() -> None:
    page = StubPage()
    task = asyncio.create_task(capture_photo(_ctx(page, FakePicker([]))))
    await asyncio.sleep(0)
    page.dialogs[-1].on_dismiss(None)
    assert await task is None


async def test_the_browser_is_offered_files_only() -> None:
    page = StubPage()
    task = asyncio.create_task(capture_photo(_ctx(page, FakePicker([]))))
    await asyncio.sleep(0)
    assert [_label(b) for b in page.dialogs[-1].actions] == ["Cancel", PICK_FILE]
    await _press(page, "Cancel")
    await task


def test_camera_only_in_the_phone_app() -> None:
    assert not camera_available(StubPage())  # type: ignore[arg-type]
    assert not camera_available(StubPage(platform=ft.PagePlatform.ANDROID, web=True))  # type: ignore[arg-type]
    phone = StubPage(platform=ft.PagePlatform.ANDROID, web=False)
    assert camera_available(phone) is (importlib.util.find_spec("flet_camera") is not None)  # type: ignore[arg-type]


async def test_the_phone_app_is_offered_the_camera_first() -> None:
    page = StubPage(platform=ft.PagePlatform.IOS, web=False)
    if not camera_available(page):  # type: ignore[arg-type]
        return  # flet-camera not installed: the file picker alone is the documented fallback
    task = asyncio.create_task(capture_photo(_ctx(page, FakePicker([]))))
    await asyncio.sleep(0)
    assert [_label(b) for b in page.dialogs[-1].actions] == ["Cancel", TAKE_PHOTO, PICK_FILE]
    await _press(page, "Cancel")
    assert await task is None
