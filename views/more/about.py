"""About: which Crewkit this is, where its data lives, and what recovery had to do."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import flet as ft

from sync import current_pairing
from views.context import AppContext
from views.widgets import section_header


def app_version() -> str:
    try:
        return version("crewkit")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "development"


def about(ctx: AppContext) -> ft.Control:
    pairing = current_pairing(ctx.store)
    facts = [
        ("Version", app_version()),
        ("Data folder", str(ctx.data_dir)),
        ("Device id", ctx.store.device_id),
        ("Sync server", pairing.server if pairing else "not paired"),
    ]
    controls: list[ft.Control] = [section_header("Crewkit")]
    controls += [
        ft.ListTile(title=ft.Text(label), subtitle=ft.Text(value), dense=True)
        for label, value in facts
    ]
    controls.append(section_header("Recovery"))
    notes = ctx.store.recovery_notes
    if notes:
        controls += [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ERROR),
                title=ft.Text(note),
            )
            for note in notes
        ]
    else:
        controls.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=ft.Colors.PRIMARY),
                title=ft.Text("The data opened cleanly: nothing needed recovering."),
            )
        )
    return ft.ListView(controls, expand=True)
