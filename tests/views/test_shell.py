"""The shell, its shared widgets, and the view-test harness they are tested with."""

from __future__ import annotations

import asyncio
import contextvars
import gc
from dataclasses import replace
from datetime import UTC, datetime

import flet as ft
import pytest

from app.productions import add_location, archive_production, create_production
from app.store import Store
from app.store.transaction import OUTBOX
from sync import Endpoint, RejectedOp, SyncProgress, SyncState, SyncStatus
from views import refresh
from views.context import AppContext
from views.first_run import CREATE, JOIN, LOAD_SAMPLE, sample_today
from views.main import has_display
from views.refresh import COALESCE_S
from views.screen import Destination
from views.shell import Shell
from views.sync_chip import SyncChip, chip_label
from views.widgets import empty_state, section_header, show_error, show_message


async def test_widgets_show_errors_and_messages_as_snackbars(ctx, ui) -> None:
    async def call(_: ft.Event[ft.Button]) -> None:
        await ft.UrlLauncher().launch_url("tel:+351912345101")
        show_message(ctx.page, "Called")
        show_error(ctx.page, "Amount must be positive")

    button = ui.mount(ft.Button(content="Call", on_click=call))
    await ui.click(ui.find(button, ft.Button, "Call"))
    assert ui.invoked("launch_url")[0]["url"] == "tel:+351912345101"
    assert ui.snackbars() == ["Called", "Amount must be positive"]


async def test_a_handler_that_raises_fails_the_test(empty_ui) -> None:
    def boom(_: ft.Event[ft.Button]) -> None:
        raise RuntimeError("handler broke")

    button = empty_ui.mount(ft.Button(content="Break", on_click=boom))
    with pytest.raises(AssertionError, match="handler broke"):
        await empty_ui.click(button)


def test_empty_state_and_section_header_show_their_text(ui) -> None:
    state = ui.mount(empty_state(ft.Icons.ADD, "Nothing yet", ft.Button(content="Add one")))
    assert ui.texts(state) == ["Nothing yet"]
    ui.find(state, ft.Button, "Add one")
    header = ui.mount(section_header("Crew", ft.TextButton("All")))
    assert ui.texts(header) == ["Crew"]


def test_fixtures_hold_the_sample_or_nothing(ctx, empty_ctx) -> None:
    assert ctx.production()["name"] == "Salt Line (short film)"
    assert empty_ctx.production() is None


# -- the shell ------------------------------------------------------------------------


class FakeEngine:
    """The part of ``SyncEngine`` the views use, with a status the test sets."""

    def __init__(self, status: SyncStatus) -> None:
        self.status = status
        self.listeners: list = []
        self.rejected = [RejectedOp("op1", "expenses", "e1", "forbidden", "Viewers cannot edit")]
        self.sync_requests = 0
        self.retries = 0
        self.hub_address: str | None = None

    def subscribe(self, listener):
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def set(self, **changes) -> None:
        self.status = replace(self.status, **changes)
        for listener in list(self.listeners):
            listener(self.status)

    def rejected_ops(self) -> list[RejectedOp]:
        return self.rejected

    def retry_rejected(self) -> int:
        self.retries += 1
        return len(self.rejected)

    def sync_now(self) -> None:
        self.sync_requests += 1

    def set_hub_address(self, text: str | None) -> str | None:
        self.hub_address = text or None
        return self.hub_address


def counting(label: str = "Today") -> tuple[Destination, list[int]]:
    """A destination whose builder counts its builds."""
    builds: list[int] = []

    def build(ctx: AppContext) -> ft.Control:
        builds.append(1)
        return ft.Text(f"{label} screen")

    return Destination(label, ft.Icons.TODAY, ft.Icons.TODAY, build), builds


def shell_with(ctx: AppContext, destination: Destination) -> Shell:
    """A shell whose first destination is ``destination`` (a bar needs two)."""
    more = Destination("More", ft.Icons.MORE_HORIZ, ft.Icons.MORE_HORIZ, lambda _: ft.Text("more"))
    return Shell(ctx, [destination, more])


def commit_elsewhere(ctx: AppContext) -> None:
    """A commit made outside any session (as the sync engine's task makes them)."""

    def commit() -> None:
        add_location(ctx.store, ctx.production_id, name="Somewhere else")

    contextvars.Context().run(commit)


async def test_first_run_loads_the_sample_in_one_tap(empty_ctx, empty_ui) -> None:
    shell = Shell(empty_ctx)
    shell.mount()
    page = empty_ctx.page
    assert shell.title.value == "Crewkit"
    assert not shell.bar.visible and not shell.rail.visible
    await empty_ui.click(empty_ui.find(page, ft.FilledButton, LOAD_SAMPLE))
    assert empty_ctx.production()["name"] == "Salt Line (short film)"
    assert shell.title.value == "Today" and shell.bar.visible
    assert shell.switcher.name.value == "Salt Line (short film)"


async def test_create_production_shows_the_error_under_its_field(empty_ctx, empty_ui) -> None:
    Shell(empty_ctx).mount()
    await empty_ui.click(empty_ui.find(empty_ctx.page, ft.OutlinedButton, CREATE))
    dialog = empty_ui.dialog()
    await empty_ui.type_into(empty_ui.find(dialog, ft.TextField, "Production name"), "Promo")
    zone = empty_ui.find(dialog, ft.TextField, "Time zone")
    await empty_ui.type_into(zone, "Mars/Olympus")
    await empty_ui.click(empty_ui.find(dialog, ft.Button, "Create"))
    assert "IANA time zone" in zone.error
    assert empty_ctx.production_id is None
    await empty_ui.type_into(zone, "Europe/Lisbon")
    await empty_ui.click(empty_ui.find(dialog, ft.Button, "Create"))
    assert empty_ctx.production()["name"] == "Promo"
    assert empty_ui.dialogs() == []


async def test_switcher_opens_another_production(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    other = create_production(
        ctx.store,
        name="Harbour Lights",
        starts_on="2025-07-01",
        ends_on="2025-07-03",
        timezone="Europe/Lisbon",
        currency="EUR",
    )
    shell.switcher.refresh()
    item = next(i for i in shell.switcher.menu.items if i.content == "Harbour Lights")
    await ui.click(item)
    assert ctx.production_id == other
    assert shell.switcher.name.value == "Harbour Lights"
    checked = [i.content for i in shell.switcher.menu.items if i.checked]
    assert checked == ["Harbour Lights"]


def harbour_lights(ctx: AppContext) -> str:
    """A second production that starts after the sample, so it is listed first."""
    return create_production(
        ctx.store, name="Harbour Lights", starts_on="2025-07-01", ends_on="2025-07-03",
        timezone="Europe/Lisbon", currency="EUR",
    )


def restarted(ctx: AppContext) -> AppContext:
    """The context a new start of the app builds over the same device data."""
    ctx.store.close()
    ctx.store = Store.open(ctx.data_dir)
    return AppContext.for_page(ctx.page, ctx.store)


async def test_a_restart_reopens_the_production_in_use(ctx, ui) -> None:
    shell = Shell(ctx)
    shell.mount()
    sample = ctx.production_id
    harbour_lights(ctx)
    shell.switcher.refresh()
    outbox = len(ctx.store.private(OUTBOX))
    for name in ("Harbour Lights", "Salt Line (short film)"):
        await ui.click(next(i for i in shell.switcher.menu.items if i.content == name))
    assert ctx.production_id == sample
    assert len(ctx.store.private(OUTBOX)) == outbox  # a device's choice: nothing to sync
    assert restarted(ctx).production_id == sample  # not Harbour Lights, listed first


def test_a_restart_opens_the_first_production_once_the_remembered_one_is_gone(ctx) -> None:
    other = harbour_lights(ctx)
    ctx.open_production(other)
    archive_production(ctx.store, other)
    assert restarted(ctx).production()["name"] == "Salt Line (short film)"


async def test_the_first_sync_after_pairing_opens_the_production_it_brings(
    empty_ctx, empty_ui, tmp_path
) -> None:
    shell = Shell(empty_ctx)
    shell.mount()
    await empty_ui.click(empty_ui.find(empty_ctx.page, ft.TextButton, JOIN))
    assert empty_ui.find(empty_ui.dialog(), ft.TextField, "Join link")
    coordinator = Store.open(tmp_path / "coordinator")
    production = create_production(
        coordinator, name="Harbour Lights", starts_on="2025-07-01", ends_on="2025-07-03",
        timezone="Europe/Lisbon", currency="EUR",
    )
    pulled = [("productions", production, coordinator.state("productions", production))]
    coordinator.close()

    def pull() -> None:  # what the sync engine's task does, outside any session
        empty_ctx.store.merge_remote(pulled)

    contextvars.Context().run(pull)
    await asyncio.sleep(COALESCE_S * 2)
    await empty_ui.settle()
    assert empty_ctx.production_id == production
    assert shell.title.value == "Today" and shell.bar.visible
    assert shell.switcher.name.value == "Harbour Lights"
    assert not empty_ui.find_all(shell.body, ft.FilledButton, LOAD_SAMPLE)
    assert restarted(empty_ctx).production_id == production  # and on the next start


async def test_foreign_changes_rebuild_the_screen_and_own_edits_do_not(ctx, ui) -> None:
    destination, builds = counting()
    shell_with(ctx, destination).mount()
    assert len(builds) == 1

    commit_elsewhere(ctx)
    commit_elsewhere(ctx)  # a burst: one rebuild
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()
    assert len(builds) == 2

    def edit(_: ft.Event[ft.Button]) -> None:
        add_location(ctx.store, ctx.production_id, name="Our own")

    button = ft.Button(content="Edit", on_click=edit)
    ctx.page.add(button)
    await ui.click(button)
    await asyncio.sleep(COALESCE_S * 2)
    assert len(builds) == 2


def watching_shell(ctx: AppContext, seen: list[frozenset[str]]) -> Shell:
    """A mounted shell whose one screen watches for changes, noting each in ``seen``."""

    def build(c: AppContext) -> ft.Control:
        refresh.watch(c, seen.append)
        return ft.Text("watching")

    shell = shell_with(ctx, Destination("Gear", ft.Icons.ABC, ft.Icons.ABC, build))
    shell.mount()
    return shell


async def test_a_screen_that_watches_is_told_instead_of_rebuilt(ctx, ui) -> None:
    seen: list[frozenset[str]] = []
    shell = watching_shell(ctx, seen)
    commit_elsewhere(ctx)
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()
    assert seen == [frozenset({"locations"})]
    shell.refresher.close()
    commit_elsewhere(ctx)
    await asyncio.sleep(COALESCE_S * 2)
    assert len(seen) == 1


async def test_a_broken_screen_shows_an_error_instead_of_crashing(ctx, ui) -> None:
    def broken(_: AppContext) -> ft.Control:
        raise KeyError("missing field")

    shell = shell_with(ctx, Destination("Gear", ft.Icons.ABC, ft.Icons.ABC, broken))
    shell.mount()
    assert any("Gear could not be shown" in t for t in ui.texts(shell.body))


# -- the sync chip and details --------------------------------------------------------

NOW = datetime(2025, 6, 11, 10, 30, tzinfo=UTC)
MS = int(NOW.timestamp() * 1000)
HUB = Endpoint("hub", "http://10.0.0.2:8765", "Base camp laptop")
SERVER = Endpoint("server", "https://sync.example", "Company server")


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (None, "Not paired"),
        (SyncStatus(SyncState.UNPAIRED), "Not paired"),
        (SyncStatus(SyncState.SYNCING, progress=SyncProgress("push", 40, 200)), "Syncing 20%"),
        (SyncStatus(SyncState.SYNCING, progress=SyncProgress("pull", 40)), "Syncing…"),
        (SyncStatus(SyncState.SYNCED, rejected=2, pending=1), "2 rejected"),
        (SyncStatus(SyncState.PAIR_AGAIN), "Pair again"),
        (SyncStatus(SyncState.OFFLINE, pending=3), "Offline · 3 pending"),
        (SyncStatus(SyncState.OFFLINE), "Offline"),
        (SyncStatus(SyncState.ERROR), "Sync error"),
        (SyncStatus(SyncState.SYNCED, pending=4, synced_at_ms=MS), "4 pending"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS - 20_000), "Synced just now"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS - 12 * 60_000), "Synced 12 min ago"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS - 5 * 3600_000), "Synced 5 h ago"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS - 3 * 86400_000), "Synced 3 d ago"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS, endpoint=HUB),
         "Synced just now · Base camp hub"),
        (SyncStatus(SyncState.SYNCED, synced_at_ms=MS, endpoint=SERVER),
         "Synced just now · Server"),
        (SyncStatus(SyncState.OFFLINE, pending=2, endpoint=HUB), "Offline · 2 pending"),
    ],
)
def test_chip_label(status: SyncStatus | None, label: str) -> None:
    assert chip_label(status, NOW)[0] == label


async def test_chip_follows_the_engine_and_opens_details_with_actions(ctx, ui) -> None:
    engine = FakeEngine(SyncStatus(SyncState.SYNCED, synced_at_ms=MS))
    ctx.sync = engine
    chip = SyncChip(ctx)
    ui.mount(chip.button)
    chip.start()
    assert chip.button.content == "Synced just now"
    engine.set(state=SyncState.SYNCING, progress=SyncProgress("push", 1, 4))
    assert chip.button.content == "Syncing 25%"
    engine.set(state=SyncState.SYNCED, progress=None, rejected=1)
    assert chip.button.content == "1 rejected"

    await ui.click(chip.button)
    dialog = ui.dialog()
    assert "Viewers cannot edit" in ui.texts(dialog)
    await ui.click(ui.find(dialog, ft.TextButton, "Retry rejected"))
    await ui.click(ui.find(dialog, ft.TextButton, "Sync now"))
    assert (engine.retries, engine.sync_requests) == (1, 1)
    assert ui.snackbars() == ["Queued 1 rejected change(s) again"]
    engine.set(pending=7)  # the open dialog follows the status
    assert "7" in ui.texts(dialog)
    await ui.click(ui.find(dialog, ft.TextButton, "Close"))
    assert engine.listeners == [chip._on_status]
    chip.close()
    assert engine.listeners == []


async def test_unpaired_details_offer_pairing(ctx, ui) -> None:
    chip = SyncChip(ctx)
    ui.mount(chip.button)
    await ui.click(chip.button)
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "Pair with a server"))
    assert ui.dialog().title.value == "Pair with a sync server"


def test_sample_today_is_the_date_in_lisbon() -> None:
    late = datetime(2025, 6, 11, 23, 30, tzinfo=UTC)  # already the 12th in Lisbon
    assert sample_today(late).isoformat() == "2025-06-12"


def test_a_packaged_app_opens_natively_even_without_a_display() -> None:
    assert has_display({"FLET_PLATFORM": "android"}, "linux")
    assert not has_display({}, "linux")


async def test_a_commit_after_the_tab_disconnected_schedules_nothing(
    ctx, ui, recwarn, caplog
) -> None:
    """Closing a browser tab drops the session's connection; a sync commit arriving
    then must neither raise in the store's listener nor leave a coroutine unawaited."""
    seen: list[frozenset[str]] = []
    watching_shell(ctx, seen)
    await ctx.page.session.disconnect(0)
    commit_elsewhere(ctx)
    await asyncio.sleep(COALESCE_S * 2)

    gc.collect()
    assert seen == []
    assert not [w for w in recwarn if "never awaited" in str(w.message)]
    assert "store listener failed" not in caplog.text
