"""Handing a generated file (report, export) to the user, on every platform.

``FilePicker.save_file`` with the bytes does the right thing everywhere Flet runs: a
download in the browser, a save dialog on the desktop, the share/save sheet on phones.
A copy always goes to ``<data dir>/exports`` first, so the file is never lost when the
dialog is unavailable (a Linux desktop without zenity) or cancelled, and the message
says where that copy is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.blobs import write_atomically
from views.context import AppContext
from views.widgets import show_error, show_message

EXPORTS = "exports"


def write_export(data_dir: Path, name: str, data: bytes) -> Path:
    """Keep a copy of ``data`` as ``<data_dir>/exports/<name>`` (blocking)."""
    target = data_dir / EXPORTS / name
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, data)
    return target


async def hand_over(ctx: AppContext, picker: ft.FilePicker, name: str, data: bytes) -> Path:
    """Save ``data`` as ``name`` for the user; returns the kept copy's path."""
    copy = await ctx.off_loop(write_export, ctx.data_dir, name, data)
    try:
        await picker.save_file(dialog_title=f"Save {name}", file_name=name, src_bytes=data)
    except (RuntimeError, TimeoutError):  # the client has no save dialog (e.g. no zenity)
        show_message(ctx.page, f"Saved {name} to {copy}")
        return copy
    show_message(ctx.page, f"Exported {name} (a copy is in {copy.parent})")
    return copy


Producer = Callable[[], tuple[str, bytes]]
"""Blocking work that returns a file's name and bytes (a PDF render, a CSV dump)."""


def export_tile(
    ctx: AppContext, picker: ft.FilePicker, label: str, icon: ft.IconData, make: Producer
) -> ft.Control:
    """A row that generates a file off the loop, shows progress, then hands it over."""
    busy = ft.ProgressRing(width=20, height=20, visible=False)

    async def run(e: ft.Event[ft.OutlinedButton]) -> None:
        e.control.disabled, busy.visible = True, True
        e.control.update()
        busy.update()
        try:
            name, data = await ctx.off_loop(make)
            await hand_over(ctx, picker, name, data)
        except (ValueError, OSError) as exc:
            show_error(ctx.page, f"{label} failed: {exc}")
        finally:
            e.control.disabled, busy.visible = False, False
            ctx.page.update()  # this handler updated before, so Flet will not auto-update

    return ft.Row(
        [ft.OutlinedButton(content=label, icon=icon, on_click=run, expand=True), busy],
        spacing=12,
    )


def slug(text: str) -> str:
    """A file-name-safe production name: "Salt Line (short film)" -> "salt-line-short-film"."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words) or "production"
