"""Sync details: what the chip summarises, in full, with the actions that fix it.

Last sync, pending changes, progress of a running round, the last error, where the
device syncs (the server or a base-camp hub, see ``views.sync_hubs``), and every
change the server rejected with its reason; "Sync now", "Retry rejected" and pairing.
The dialog follows the engine's status while it is open, so a tap on "Sync now" shows
the round progress and its outcome in place.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from sync import RejectedOp, SyncState, SyncStatus, current_pairing
from views.context import AppContext
from views.more.pairing import open_pairing
from views.sync_hubs import HubSection, endpoint_words, local_time
from views.widgets import show_message

UNPAIRED_TEXT = (
    "This device is not paired with a sync server. Everything you enter is saved on "
    "this device; pair it to share the production with your crew."
)


def open_sync_details(ctx: AppContext) -> None:
    """Show the sync details dialog over the current screen."""
    SyncDetails(ctx).show()


class SyncDetails:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.body = ft.Column(tight=True, spacing=8, width=380)
        self.dialog = ft.AlertDialog(
            title=ft.Text("Sync"), content=self.body, scrollable=True, on_dismiss=self._closed
        )
        self.dialog.actions = [
            ft.TextButton("Pair with a server", on_click=self._pair),
            ft.TextButton("Retry rejected", on_click=self._retry),
            ft.TextButton("Sync now", on_click=self._sync_now),
            ft.TextButton("Close", on_click=self._close),
        ]
        self.hubs = HubSection(ctx, self._rerender)
        self._unsubscribe: Callable[[], None] | None = None

    def show(self) -> None:
        self.render()
        if self.ctx.sync is not None:
            self._unsubscribe = self.ctx.sync.subscribe(self._on_status)
        self.ctx.page.show_dialog(self.dialog)

    def render(self) -> None:
        engine = self.ctx.sync
        status: SyncStatus | None = engine.status if engine is not None else None
        paired = status is not None and status.state is not SyncState.UNPAIRED
        self.body.controls = self._facts(status) if paired else [ft.Text(UNPAIRED_TEXT)]
        # The same buttons every time: a tap must not land on one replaced mid-press.
        pair, retry, sync_now, _ = self.dialog.actions
        pair.visible = status is None or status.state in (SyncState.UNPAIRED,
                                                         SyncState.PAIR_AGAIN)
        retry.visible = status is not None and bool(status.rejected)
        sync_now.visible = paired

    def _facts(self, status: SyncStatus) -> list[ft.Control]:
        pairing = current_pairing(self.ctx.store)
        facts: list[ft.Control] = [
            _fact("Paired server", pairing.server if pairing else "—"),
            _fact("State", _STATE_WORDS[status.state]),
            _fact("Syncs with", _syncs_with(status)),
            _fact("Last sync", local_time(status.synced_at_ms)),
            _fact("Changes waiting to upload", str(status.pending)),
        ]
        if status.progress is not None:
            done, total = status.progress.done, status.progress.total
            facts.append(ft.ProgressBar(value=done / total if total else None))
            facts.append(
                ft.Text(f"{status.progress.phase}: {done}" + (f" of {total}" if total else ""))
            )
        if status.state is SyncState.PAIR_AGAIN:
            facts.append(
                ft.Text(
                    "The server no longer accepts this device: pair it again.",
                    color=ft.Colors.ERROR,
                )
            )
        if status.last_error:
            facts.append(ft.Text(f"Last problem: {status.last_error}", color=ft.Colors.ERROR))
        rejected = self.ctx.sync.rejected_ops() if status.rejected and self.ctx.sync else []
        if rejected:
            facts.append(
                ft.Text(
                    f"Rejected by the server ({len(rejected)})",
                    theme_style=ft.TextThemeStyle.TITLE_SMALL,
                )
            )
            facts.extend(
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.ERROR_OUTLINE, color=ft.Colors.ERROR),
                    title=ft.Text(f"{op.coll} · {op.code}"),
                    subtitle=ft.Text(rejection_words(op)),
                    dense=True,
                )
                for op in rejected
            )
        return facts + self.hubs.controls(status)

    def _rerender(self) -> None:
        self.render()
        self.dialog.update()

    def _on_status(self, _: SyncStatus) -> None:
        self.render()
        try:
            self.dialog.update()
        except RuntimeError:  # closed meanwhile
            self._stop_following()

    def _sync_now(self, _: ft.Event[ft.TextButton]) -> None:
        if self.ctx.sync is not None:
            self.ctx.sync.sync_now()

    def _retry(self, _: ft.Event[ft.TextButton]) -> None:
        if self.ctx.sync is not None:
            count = self.ctx.sync.retry_rejected()
            show_message(self.ctx.page, f"Queued {count} rejected change(s) again")
            self.render()
            self.dialog.update()  # showing the message was an update: no auto-update now

    def _pair(self, _: ft.Event[ft.TextButton]) -> None:
        self._close(None)
        open_pairing(self.ctx)

    def _close(self, _: ft.Event[ft.TextButton] | None) -> None:
        self._stop_following()
        self.ctx.page.pop_dialog()

    def _closed(self, _: ft.Event[ft.AlertDialog]) -> None:
        self._stop_following()

    def _stop_following(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


_STATE_WORDS = {
    SyncState.UNPAIRED: "Not paired",
    SyncState.PAIR_AGAIN: "Refused by the server",
    SyncState.OFFLINE: "Offline: will retry when the server answers",
    SyncState.SYNCING: "Syncing",
    SyncState.SYNCED: "Up to date",
    SyncState.ERROR: "Sync failed: will retry",
}


def _fact(label: str, value: str) -> ft.Control:
    return ft.Row(
        [
            ft.Text(label, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
            ft.Text(value, weight=ft.FontWeight.W_500),
        ],
        spacing=12,
    )


def rejection_words(op: RejectedOp) -> str:
    """Why the change was refused; one a hub took and the company server refused says so."""
    if op.upstream:
        return f"The company server refused this change (a hub had taken it): {op.message}"
    return op.message


def _syncs_with(status: SyncStatus) -> str:
    return endpoint_words(status.endpoint) if status.endpoint is not None else "—"
