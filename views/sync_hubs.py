"""The endpoints part of sync details: where the device syncs, the hubs it knows, and a hub
address to type or scan.

A base-camp hub is a ``crewkit-server`` on the location's network; the device finds it
by itself where mDNS works, and otherwise is told its address (typed, or read from the
QR code of its URL). The field and its error live across re-renders of the dialog, so
a status arriving while the person types loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from sync import BadHubAddress, Endpoint, HubSeen, SyncStatus
from views.context import AppContext
from views.qr_photo import read_qr_photo, unreadable

KIND_WORDS = {"hub": "Base camp hub", "server": "Server"}
UPSTREAM_WORDS = {
    "linked": "linked to the company server",
    "unreachable": "cannot reach the company server now",
    "revoked": "refused by the company server: relay stopped",
    "none": "not linked to a company server",
}
NO_MDNS = "Hubs cannot be found on this device: type or scan the hub's address."
NONE_FOUND = "No hub of this team found on this network."


def kind_words(endpoint: Endpoint | None) -> str:
    """ "Base camp hub" or "Server" (what the sync chip says)."""
    return KIND_WORDS.get(endpoint.kind, "Server") if endpoint else "Server"


def endpoint_words(endpoint: Endpoint) -> str:
    """ "Base camp hub · Base camp laptop", or the server's name ("Company server")."""
    return f"{KIND_WORDS['hub']} · {endpoint.name}" if endpoint.kind == "hub" else endpoint.name


class HubSection:
    """Controls for the endpoints and hubs; ``controls(status)`` is called on each render."""

    def __init__(self, ctx: AppContext, rerender: Callable[[], None]) -> None:
        self.ctx = ctx
        self.rerender = rerender
        engine = ctx.sync
        self.address = ft.TextField(
            label="Hub address",
            hint_text="http://192.168.1.20:8765",
            value=(engine.hub_address or "") if engine is not None else "",
            dense=True,
            error_max_lines=3,
            on_submit=self._save,
        )
        self.picker = ft.FilePicker()  # kept referenced: Flet drops unreferenced services
        self.buttons = ft.Row(
            wrap=True,
            controls=[
                ft.TextButton("Use this hub", icon=ft.Icons.ROUTER, on_click=self._save),
                ft.TextButton("Scan hub QR code", icon=ft.Icons.QR_CODE_SCANNER,
                              on_click=self._scan),
            ],
        )

    def controls(self, status: SyncStatus) -> list[ft.Control]:
        shown: list[ft.Control] = [_heading("Where this device syncs")]
        shown += [_endpoint_tile(e, status.endpoint) for e in status.endpoints]
        shown.append(_heading("Base camp hubs"))
        if status.hub_search == "unavailable":
            shown.append(ft.Text(NO_MDNS, color=ft.Colors.ON_SURFACE_VARIANT))
        elif not status.hubs and status.hub_search == "on":
            shown.append(ft.Text(NONE_FOUND, color=ft.Colors.ON_SURFACE_VARIANT))
        shown += [_hub_tile(hub, status.endpoint) for hub in status.hubs]
        shown += [self.address, self.buttons]
        return shown

    def _save(self, _: ft.Event[ft.TextButton] | ft.Event[ft.TextField] | None) -> None:
        engine = self.ctx.sync
        if engine is None:
            self.address.error = "Sync is not available in this app session."
            return self.rerender()
        try:
            stored = engine.set_hub_address(self.address.value or "")
        except BadHubAddress as error:
            self.address.error = str(error)
            return self.rerender()
        self.address.value, self.address.error = stored or "", None
        self.rerender()

    async def _scan(self, _: ft.Event[ft.TextButton]) -> None:
        result = await read_qr_photo(self.ctx, self.picker, "Photo of the hub's QR code",
                                     lambda: None)
        if result is None:
            return
        if not result.payloads:
            self.address.error = unreadable(result)
            return self.rerender()
        self.address.value = result.payloads[0]
        self._save(None)


_SOURCE_WORDS = {"typed": "typed address", "found": "found on this network",
                 "paired": "paired with this hub"}


def _heading(text: str) -> ft.Control:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_SMALL)


def _endpoint_tile(endpoint: Endpoint, current: Endpoint | None) -> ft.Control:
    in_use = current is not None and current.url == endpoint.url
    when = local_time(endpoint.last_sync_ms)
    title = endpoint_words(endpoint)
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.ROUTER if endpoint.kind == "hub" else ft.Icons.CLOUD_OUTLINED),
        title=ft.Text(title + (" (in use)" if in_use else "")),
        subtitle=ft.Text(f"{endpoint.url}\nLast sync: {when}"),
        dense=True,
    )


def _hub_tile(hub: HubSeen, current: Endpoint | None) -> ft.Control:
    how = _SOURCE_WORDS.get(hub.source, hub.source)
    lines = [f"{hub.url} · {how}"]
    if hub.usable:
        if current is not None and current.url == hub.url:
            lines.append("Syncing with this hub")
        if hub.upstream:
            lines.append("Hub " + UPSTREAM_WORDS.get(hub.upstream, hub.upstream))
        if hub.relay_waiting is not None:
            lines.append(f"{hub.relay_waiting} change(s) waiting to be relayed upstream")
        if hub.last_upstream_ms is not None:
            lines.append(f"Last reached the company server: {local_time(hub.last_upstream_ms)}")
    else:
        lines.append(f"Not used: {hub.note}")
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.ROUTER if hub.usable else ft.Icons.PORTABLE_WIFI_OFF),
        title=ft.Text(hub.name),
        subtitle=ft.Text("\n".join(lines)),
        dense=True,
    )


def local_time(at_ms: int | None) -> str:
    if at_ms is None:
        return "never"
    return datetime.fromtimestamp(at_ms / 1000, UTC).astimezone().strftime("%a %d %b, %H:%M")
