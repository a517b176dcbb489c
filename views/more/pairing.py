"""Pairing with a sync server: paste the join link, or read it from the invite's QR code.

The invite shows a ``crewkit://join?server=…&code=…`` link and its QR code. On a laptop
the link is pasted; on a phone a photo or screenshot of the QR code is picked and
decoded here (off the event loop: decoding tries several passes over the image).

A failed attempt (server refused, unreachable, or silent for too long) is said in the
dialog under the fields; the link stays, so fixing the network and tapping Pair again
is all a retry takes.
"""

from __future__ import annotations

import socket

import flet as ft

from sync import PairingFailed, parse_join_link
from views.context import AppContext
from views.qr_photo import read_qr_photo, unreadable
from views.widgets import show_message

JOIN_PREFIX = "crewkit://join"


def open_pairing(ctx: AppContext) -> None:
    """Show the pairing dialog."""
    Pairing(ctx).show()


class Pairing:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.link = ft.TextField(
            label="Join link", hint_text="crewkit://join?server=…&code=…", multiline=True
        )
        self.name = ft.TextField(label="Device name", value=socket.gethostname()[:40])
        self.progress = ft.ProgressBar(visible=False)
        self.failure = ft.Text(color=ft.Colors.ERROR, visible=False)
        self.picker = ft.FilePicker()  # kept referenced: Flet drops unreferenced services
        self.pair_button = ft.Button(content="Pair", icon=ft.Icons.LINK, on_click=self._pair)
        self.dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text("Pair with a sync server"),
            content=ft.Column(
                tight=True,
                width=380,
                spacing=12,
                controls=[
                    ft.Text(
                        "Paste the join link from the invite, or pick a photo or "
                        "screenshot of its QR code."
                    ),
                    self.link,
                    ft.OutlinedButton(
                        content="Read QR code from image",
                        icon=ft.Icons.QR_CODE_SCANNER,
                        on_click=self._scan,
                    ),
                    self.name,
                    self.progress,
                    self.failure,
                ],
            ),
            actions=[ft.TextButton("Cancel", on_click=self._cancel), self.pair_button],
        )

    def show(self) -> None:
        self.ctx.page.show_dialog(self.dialog)

    async def _scan(self, _: ft.Event[ft.OutlinedButton]) -> None:
        result = await read_qr_photo(self.ctx, self.picker, "Photo of the invite QR code",
                                     self._decoding)
        if result is None:
            return
        self.progress.visible = False
        links = [p for p in result.payloads if p.startswith(JOIN_PREFIX)]
        if links:
            self.link.value, self.link.error = links[0], None
        elif result.payloads:
            self.link.error = "That QR code is not a Crewkit invite."
        else:
            self.link.error = unreadable(result)
        self.dialog.update()

    def _decoding(self) -> None:
        self.progress.visible = True
        self.dialog.update()

    async def _pair(self, _: ft.Event[ft.Button]) -> None:
        text = (self.link.value or "").strip()
        self.link.error = self.name.error = None
        try:
            parse_join_link(text)
        except PairingFailed as exc:
            self.link.error = str(exc)
            return
        name = (self.name.value or "").strip()
        if not name:
            self.name.error = "Give this device a name the crew will recognise."
            return
        if self.ctx.sync is None:
            self.link.error = "Sync is not available in this app session."
            return
        self.progress.visible, self.pair_button.disabled = True, True
        self.failure.visible = False
        self.dialog.update()
        try:
            pairing = await self.ctx.sync.pair(text, name=name)
        except PairingFailed as exc:
            self.failure.value, self.failure.visible = str(exc), True
            return
        finally:
            self.progress.visible, self.pair_button.disabled = False, False
            self.dialog.update()
        self.ctx.page.pop_dialog()
        show_message(self.ctx.page, f"Paired with {pairing.server}; syncing now")

    def _cancel(self, _: ft.Event[ft.TextButton]) -> None:
        self.ctx.page.pop_dialog()
