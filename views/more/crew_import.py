"""Importing a crew list: pick a CSV file, import it all or nothing, say what happened.

The import itself is ``app.interchange.import_crew_csv`` (columns by name, every bad
row reported with its line, nothing stored when any row fails). This module picks the
file (bytes in the browser, a path on desktop), runs the import off Flet's loop, and
shows the report: how many people were added or updated, or each bad line and why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.csv_rows import ImportReport
from app.interchange import import_crew_csv
from views.capture import file_picker
from views.context import AppContext

COLUMNS_HINT = "Columns by name: Name (required), Role, Department, Phone, Email."
MAX_LISTED_ERRORS = 50


async def import_crew_list(ctx: AppContext, on_imported: Callable[[], None]) -> None:
    """Ask for a CSV file and import it into the open production."""
    assert ctx.production_id is not None
    files = await file_picker(ctx).pick_files(
        dialog_title="Import a crew list (CSV)",
        file_type=ft.FilePickerFileType.CUSTOM,
        allowed_extensions=["csv", "txt"],
        with_data=True,
    )
    if not files:
        return
    chosen = files[0]
    data = chosen.bytes
    if data is None and chosen.path:
        data = await ctx.off_loop(Path(chosen.path).read_bytes)
    if data is None:
        show_report(ctx, chosen.name, None)
        return
    report = await ctx.off_loop(_run, ctx, data)
    if report.ok:
        on_imported()
        ctx.page.update()
    show_report(ctx, chosen.name, report)


def _run(ctx: AppContext, data: bytes) -> ImportReport:
    assert ctx.production_id is not None
    return import_crew_csv(ctx.store, data, production_id=ctx.production_id)


def report_lines(report: ImportReport) -> list[str]:
    """The report as a crew member reads it: the counts, or every bad line and why."""
    if report.ok:
        added = f"{report.created} added" if report.created else ""
        updated = f"{report.updated} updated" if report.updated else ""
        done = " and ".join(x for x in (added, updated) if x) or "nobody new"
        return [f"Crew list imported: {done}."]
    lines = [
        f"Nothing was imported: {len(report.errors)} "
        f"{'line needs' if len(report.errors) == 1 else 'lines need'} fixing first.",
    ]
    lines += [f"Line {e.line}: {e.message}" for e in report.errors[:MAX_LISTED_ERRORS]]
    if len(report.errors) > MAX_LISTED_ERRORS:
        lines.append(f"…and {len(report.errors) - MAX_LISTED_ERRORS} more.")
    return lines


def show_report(ctx: AppContext, file_name: str, report: ImportReport | None) -> None:
    lines = report_lines(report) if report else [f"{file_name} could not be read."]
    failed = report is None or not report.ok
    texts: list[ft.Control] = [
        ft.Text(line, color=ft.Colors.ERROR if failed and n == 0 else None)
        for n, line in enumerate(lines)
    ]
    if failed:
        texts.append(ft.Text(COLUMNS_HINT, color=ft.Colors.ON_SURFACE_VARIANT, size=13))
    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(f"Import {file_name}"),
            scrollable=True,
            content=ft.Column(texts, tight=True, width=360, spacing=8),
            actions=[ft.TextButton("OK", on_click=lambda _: ctx.page.pop_dialog())],
        )
    )
