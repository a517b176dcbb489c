"""Label sheet PDF export for the items selected in the Gear list.

The PDF is rendered off the event loop (hundreds of labels take a moment) and kept in
the data directory's ``exports`` folder through :mod:`views.export`, then offered as a
download: in a browser that is the only way a file reaches the person, and on a laptop
or phone it opens the system's save dialog.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.equipment import label_sheet
from app.labels import FORMATS
from views.context import AppContext
from views.export import generate, offer
from views.widgets import choice, show_error

DEFAULT_SHEET = "avery-l7160"


def export_name(ctx: AppContext, count: int, sheet: str) -> str:
    stamp = ctx.now().strftime("%Y%m%d-%H%M%S")
    return f"labels-{sheet}-{count}-{stamp}.pdf"


async def export_labels(ctx: AppContext, item_ids: list[str]) -> None:
    """Ask for the sheet format, render, save, and offer the PDF for download."""
    if not item_ids:
        show_error(ctx.page, "Select the items to print labels for first.")
        return
    sheet = choice("Label stock", DEFAULT_SHEET, {k: f.name for k, f in FORMATS.items()},
                   width=360)
    progress = ft.ProgressBar(visible=False)
    status = ft.Text(f"{len(item_ids)} labels, one per selected item.")
    export = ft.Button(content="Export PDF", icon=ft.Icons.PICTURE_AS_PDF)
    close = ft.TextButton("Close", on_click=lambda _: ctx.page.pop_dialog())

    async def run(_: Any) -> None:
        chosen = sheet.value or DEFAULT_SHEET

        def make() -> tuple[str, bytes]:
            pdf = label_sheet(ctx.store, item_ids, chosen)
            return export_name(ctx, len(item_ids), chosen), pdf

        progress.visible, export.disabled = True, True
        status.value = "Rendering labels…"
        ctx.page.update()
        try:
            path, pdf = await generate(ctx, make)
        except (ValueError, OSError) as failure:
            status.value = f"Could not export: {failure}"
        else:
            offered = await offer(ctx, path, pdf)
            verb = "Downloaded" if offered else "Saved"
            status.value = f"{verb} {len(item_ids)} labels as {path.name}."
        progress.visible, export.disabled = False, False
        ctx.page.update()  # the progress update above used up the handler's auto-update

    export.on_click = run
    ctx.page.show_dialog(ft.AlertDialog(
        title=ft.Text("Label sheet"),
        content=ft.Column([sheet, progress, status], tight=True, width=360, spacing=12),
        actions=[close, export],
    ))
