"""The sync status chip shown in the app bar on every screen.

Until the sync client exists the device is always offline, so the chip says so and
its dialog explains that nothing is lost: every entry stays on this device. The sync
issue replaces the fixed status with the client's live one (syncing, synced N min ago,
N pending, N rejected) and the dialog with the sync details screen.
"""

from __future__ import annotations

import flet as ft

OFFLINE_TOOLTIP = "Sync status: not paired with a sync server; changes stay on this device"


def sync_chip(page: ft.Page) -> ft.OutlinedButton:
    """A chip-shaped button reading "Offline" that explains the sync state.

    An outlined button shaped like a Material assist chip rather than ``ft.Chip``:
    Flutter exposes a tappable ``Chip`` as a checkbox, while this is an action, and
    screen readers and browser tests should meet it as the button "Offline".
    """

    def close(_: ft.Event[ft.TextButton]) -> None:
        page.pop_dialog()

    def open_details(_: ft.Event[ft.OutlinedButton]) -> None:
        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Sync"),
                content=ft.Text(
                    "This device is not paired with a sync server yet. "
                    "Everything you enter is saved on this device."
                ),
                actions=[ft.TextButton("Close", on_click=close)],
            )
        )

    return ft.OutlinedButton(
        content="Offline",
        icon=ft.Icons.CLOUD_OFF,
        tooltip=OFFLINE_TOOLTIP,
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=8)),
        on_click=open_details,
    )
