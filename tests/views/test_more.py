"""The More destination against the sample production: each section and its actions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import flet as ft
import httpx

from sync import SyncEngine, SyncSettings, current_pairing
from views.capture import PICKER_KEY
from views.export import slug
from views.more.crew import person_tile, tel_url
from views.more.screen import SECTIONS, more_screen


async def open_section(ui, ctx, title: str) -> ft.Control:
    """Mount the More screen and tap ``title`` in its menu, as a person would."""
    root = ui.mount(more_screen(ctx))
    await ui.click(ui.find(root, ft.ListTile, title))
    return root


async def _pick_severity(ui, dialog: ft.AlertDialog, severity: str) -> None:
    group = ui.find(dialog, ft.RadioGroup)
    group.value = severity
    await ui.fire(group, "change", severity)


async def test_menu_lists_every_section_and_back_returns_to_it(ctx, ui) -> None:
    root = ui.mount(more_screen(ctx))
    for section in SECTIONS:
        ui.find(root, ft.Text, section.title)
    await ui.click(ui.find(root, ft.ListTile, "Crew directory"))
    await ui.click(ui.find(root, ft.TextButton, "More"))
    ui.find(root, ft.Text, "About")


async def test_crew_directory_calls_emails_and_searches(ctx, ui) -> None:
    root = await open_section(ui, ctx, "Crew directory")
    assert "Zoë Whitfield" in ui.texts(root)
    call = ui.find_all(root, ft.TextButton, "Call")[0]
    assert call.url is not None and call.url.startswith("tel:+")
    assert ui.find_all(root, ft.TextButton, "Email")[0].url.startswith("mailto:")
    search = ui.find(root, ft.TextField, "Search crew")
    await ui.type_into(search, "camera")
    names = [t.title.value for t in ui.find_all(root, ft.ListTile)]
    assert "Daniel Okafor" in names and "Zoë Whitfield" not in names


def test_tel_url_keeps_only_what_a_dialler_reads() -> None:
    assert tel_url("+351 912 345 101") == "tel:+351912345101"
    assert tel_url("(0) 20 7946 0018") == "tel:0207946 0018".replace(" ", "")
    tile = person_tile({"name": "No Contact"})
    assert tile.trailing.controls == []


async def test_locations_show_addresses_and_map_links(ctx, ui) -> None:
    root = await open_section(ui, ctx, "Locations")
    assert any("Praia da Adraga" in t for t in ui.texts(root))
    maps = ui.find_all(root, ft.TextButton, "Open map")
    assert maps and all(m.url.startswith("https://") for m in maps)


async def test_notes_add_with_inline_error_then_resolve(ctx, ui) -> None:
    root = await open_section(ui, ctx, "Notes and incidents")
    assert "Light Dome speed ring cracked" in ui.texts(root)
    await ui.click(ui.find(root, ft.FilledButton, "Add note"))
    dialog = ui.dialog()
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    assert ui.find(dialog, ft.TextField, "Title").error  # blank title: said under the field
    await ui.type_into(ui.find(dialog, ft.TextField, "Title"), "Generator smoking")
    await _pick_severity(ui, dialog, "critical")
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    assert ui.dialogs() == []
    assert "Generator smoking" in ui.texts(root)
    assert "CRITICAL" in ui.texts(root)
    before = len(ui.find_all(root, ft.TextButton, "Reopen"))
    await ui.click(ui.find_all(root, ft.TextButton, "Mark resolved")[0])
    assert len(ui.find_all(root, ft.TextButton, "Reopen")) == before + 1


async def test_a_note_is_stamped_now_and_its_time_can_be_moved_to_when_it_happened(
    ctx, ui
) -> None:
    root = await open_section(ui, ctx, "Notes and incidents")
    await ui.click(ui.find(root, ft.FilledButton, "Add note"))
    dialog = ui.dialog()
    assert ui.find(dialog, ft.TextField, "Day").value == "2025-06-11"
    assert ui.find(dialog, ft.TextField, "Time").value == "11:30"  # NOW on Lisbon's clock
    await ui.type_into(ui.find(dialog, ft.TextField, "Title"), "Rigging fall")
    await _pick_severity(ui, dialog, "critical")  # first in the log
    await ui.type_into(ui.find(dialog, ft.TextField, "Time"), "quarter past")
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    assert "HH:MM" in (ui.find(dialog, ft.TextField, "Time").error or "")
    await ui.type_into(ui.find(dialog, ft.TextField, "Day"), "2025-06-10")
    await ui.type_into(ui.find(dialog, ft.TextField, "Time"), "18:40")
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    assert ui.dialogs() == []
    note = next(n for n in ctx.store.all("notes") if n["title"] == "Rigging fall")
    assert note["at"] == "2025-06-10T18:40:00.000+01:00"
    assert any("Tue 10 Jun 18:40" in t for t in ui.texts(root))

    await ui.click(ui.find_all(root, ft.TextButton, "Edit")[0])
    dialog = ui.dialog()
    assert ui.find(dialog, ft.TextField, "Title").value == "Rigging fall"
    await ui.type_into(ui.find(dialog, ft.TextField, "Time"), "07:05")
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    note = ctx.store.get("notes", note["id"])
    assert note is not None and note["at"] == "2025-06-10T07:05:00.000+01:00"


async def test_reports_render_off_the_loop_and_are_handed_over(ctx, ui) -> None:
    root = await open_section(ui, ctx, "Reports")
    day = ui.find(root, ft.Dropdown, "Day")
    assert day.value == "2025-06-11"  # the sample's today
    await ui.click(ui.find(root, ft.OutlinedButton, "Daily report PDF"))
    await ui.click(ui.find(root, ft.OutlinedButton, "Expense report CSV"))
    saved = ui.invoked("save_file")
    assert [s["file_name"] for s in saved] == [
        "salt-line-short-film-daily-report-2025-06-11.pdf",
        "salt-line-short-film-expenses.csv",
    ]
    assert saved[0]["src_bytes"].startswith(b"%PDF")
    kept = Path(ctx.data_dir) / "exports" / saved[0]["file_name"]
    assert kept.read_bytes() == saved[0]["src_bytes"]
    assert ui.snackbars()[-1] == "Exported salt-line-short-film-expenses.csv"  # no server path


async def test_data_export_writes_equipment_csv_and_calendar(ctx, ui) -> None:
    root = await open_section(ui, ctx, "Data export")
    await ui.click(ui.find(root, ft.OutlinedButton, "Equipment CSV"))
    await ui.click(ui.find(root, ft.OutlinedButton, "Calendar (.ics)"))
    csv, ics = ui.invoked("save_file")
    assert csv["src_bytes"].startswith(b"code,name")
    assert ics["src_bytes"].startswith(b"BEGIN:VCALENDAR")
    assert not [t for t in ui.texts(root) if str(ctx.data_dir) in t]


class NoSaveDialog:
    """A client without a save dialog (a Linux desktop without zenity)."""

    async def save_file(self, **_: object) -> None:
        raise RuntimeError("zenity not found")


async def test_without_a_save_dialog_the_kept_copy_is_named(ctx, ui) -> None:
    ctx.extras[PICKER_KEY] = NoSaveDialog()
    root = await open_section(ui, ctx, "Data export")
    await ui.click(ui.find(root, ft.OutlinedButton, "Equipment CSV"))
    kept = Path(ctx.data_dir) / "exports" / "equipment.csv"
    assert kept.read_bytes().startswith(b"code,name")
    assert ui.snackbars()[-1] == f"Saved equipment.csv to {kept}"


async def test_about_shows_the_data_folder_and_a_clean_recovery(ctx, ui) -> None:
    root = await open_section(ui, ctx, "About")
    texts = ui.texts(root)
    assert str(ctx.data_dir) in texts
    assert "not paired" in texts
    assert any("nothing needed recovering" in t for t in texts)


async def test_pairing_rejects_a_bad_link_inline(ctx, ui) -> None:
    root = ui.mount(more_screen(ctx))
    await ui.click(ui.find(root, ft.ListTile, "Pair with a sync server"))
    dialog = ui.dialog()
    link = ui.find(dialog, ft.TextField, "Join link")
    await ui.type_into(link, "https://example.invalid/join")
    await ui.click(ui.find(dialog, ft.Button, "Pair"))
    assert "not a Crewkit join link" in link.error
    await ui.type_into(link, "crewkit://join?server=http://127.0.0.1:9&code=abc")
    await ui.click(ui.find(dialog, ft.Button, "Pair"))
    assert link.error == "Sync is not available in this app session."  # no engine in tests


async def never_answers(request: httpx.Request) -> httpx.Response:
    """A server that takes the connection and then says nothing, ever."""
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


def pairs(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"token": "t0k", "team_id": "team-film", "role": "crew"})


async def test_pairing_with_a_silent_server_says_so_and_pairs_on_retry(ctx, ui) -> None:
    ctx.sync = SyncEngine(ctx.store, transport=httpx.MockTransport(never_answers),
                          settings=SyncSettings(pair_timeout_s=0.2))
    root = ui.mount(more_screen(ctx))
    await ui.click(ui.find(root, ft.ListTile, "Pair with a sync server"))
    dialog = ui.dialog()
    link = ui.find(dialog, ft.TextField, "Join link")
    join = "crewkit://join?server=http://10.0.0.9:8765&code=abc"
    await ui.type_into(link, join)
    pair = ui.find(dialog, ft.Button, "Pair")
    await ui.click(pair)  # settling fails the test on a handler still running after 10 s
    assert ui.dialogs() == [dialog]
    said = [t for t in ui.texts(dialog) if "did not answer" in t]
    assert said == ["The server at http://10.0.0.9:8765 did not answer within 0.2 seconds. "
                    "Check that the server is running and that this device is on its "
                    "network, then tap Pair to try again."]
    assert link.value == join and link.error is None
    assert not pair.disabled and not ui.find(dialog, ft.ProgressBar).visible
    ctx.sync._transport = httpx.MockTransport(pairs)
    await ui.click(pair)
    assert dialog not in ui.dialogs()
    assert ui.snackbars()[-1] == "Paired with http://10.0.0.9:8765; syncing now"
    assert current_pairing(ctx.store).team_id == "team-film"


def test_slug() -> None:
    assert slug("Salt Line (short film)") == "salt-line-short-film"
    assert slug("!!!") == "production"
