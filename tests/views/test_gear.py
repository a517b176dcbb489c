"""Gear screen against the sample production in a real store: list, search and filters,
scan-to-cart check-out, check-in, unknown labels, item detail and actions, conflicts,
photo scans and label export."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import flet as ft
import qrcode
from PIL import Image

from app.clock import stamp
from app.custody import add_event, all_custody, conflicts, custody_of, history
from app.equipment import code_for, find_by_code, items, kit_contents
from app.qr.frames import REPEAT_S
from views.capture import PICK_FILE
from views.context import AppContext
from views.gear import gear_screen
from views.gear.rows import ALL, GearFilter, filter_rows, gear_rows, people_names
from views.gear.scan import SCAN_FIELD_LABEL

Ui = Any  # tests/views/conftest.py's harness (conftest modules are not importable)


def _item(ctx: AppContext, name: str) -> dict[str, Any]:
    return next(i for i in items(ctx.store) if i["name"] == name)


def _available_loose_item(ctx: AppContext) -> dict[str, Any]:
    """An available item that is not a case (its check-out takes just itself)."""
    states = all_custody(ctx.store)
    return next(i for i in items(ctx.store) if states[i["id"]].status == "available"
                and not kit_contents(ctx.store, i["id"]))


def _person(ctx: AppContext, name_start: str) -> str:
    names = people_names(ctx.store, ctx.production_id)
    return next(pid for pid, name in names.items() if name.startswith(name_start))


async def _choose(ui: Ui, dropdown: ft.Dropdown, value: str) -> None:
    dropdown.value = value
    await ui.fire(dropdown, "select", value)


async def _scan(ui: Ui, root: ft.Control, code: str) -> None:
    field = ui.find(root, ft.TextField, SCAN_FIELD_LABEL)
    await ui.type_into(field, code, submit=True)
    assert field.value == ""  # cleared for the next scan


def _screen(ctx: AppContext, ui: Ui) -> Any:
    return ui.mount(gear_screen(ctx))


def test_rows_search_and_filters(ctx: AppContext) -> None:
    rows = gear_rows(ctx.store, people_names(ctx.store, ctx.production_id))
    assert len(rows) == len(items(ctx.store))
    found = filter_rows(rows, GearFilter(query="cooke 50mm"))
    assert [r.item["name"] for r in found] == ["Cooke S4/i 50mm T2"]
    out = filter_rows(rows, GearFilter(status="out"))
    assert out and all(r.custody.holder_id and r.holder for r in out)
    lea = _person(ctx, "Lea")
    held = filter_rows(rows, GearFilter(holder=lea))
    assert "ARRI Alexa Mini LF body" in {r.item["name"] for r in held}
    by_holder_name = filter_rows(rows, GearFilter(query=held[0].holder.split()[0]))
    assert {r.id for r in held} <= {r.id for r in by_holder_name}
    assert filter_rows(rows, GearFilter(category="Lenses", status=ALL))
    assert [r.item["name"] for r in filter_rows(rows, GearFilter(status="missing"))]


async def test_list_search_filter_and_paging(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    assert "Cooke S4/i 50mm T2" in ui.texts(root)
    search = ui.find(root, ft.TextField, "Search gear")
    await ui.type_into(search, "codex drive")
    names = [t.title.value for t in ui.find_all(root, ft.ListTile)]
    assert names == ["Codex Compact Drive 1TB #1", "Codex Compact Drive 1TB #2",
                     "Codex Compact Drive reader (USB-C)"]
    await ui.type_into(search, "")
    status = ui.find(root, ft.Dropdown, "Status")
    await _choose(ui, status, "repair")
    assert [t.title.value for t in ui.find_all(root, ft.ListTile)] == ["Aputure Light Dome II"]
    await _choose(ui, status, "nothing-like-this")
    assert "Nothing matches. Clear the search or filters." in ui.texts(root)


async def test_long_lists_draw_one_page_at_a_time(ctx: AppContext, ui: Ui) -> None:
    from app.equipment import create_item
    from views.gear.listing import PAGE_SIZE

    for n in range(120):
        create_item(ctx.store, name=f"Sandbag {n:03}", category="Grip", currency="EUR")
    root = _screen(ctx, ui)
    assert len(ui.find_all(root, ft.ListTile)) == PAGE_SIZE
    await ui.click(ui.find(root, ft.OutlinedButton, f"Show {PAGE_SIZE} more"))
    assert len(ui.find_all(root, ft.ListTile)) == 2 * PAGE_SIZE


async def test_scan_to_cart_checks_out_to_one_person(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    person = ui.find(root, ft.Dropdown, "Check out to")
    item = _available_loose_item(ctx)
    await _scan(ui, root, item["code"])
    assert item["name"] in ui.texts(root)
    confirm = ui.find(root, ft.Button, "Check out 1 item")
    await ui.click(confirm)
    assert "Choose who takes the gear first." in ui.snackbars()
    assert custody_of(ctx.store, item["id"]).status == "available"

    await _choose(ui, person, _person(ctx, "Zo"))
    await ui.click(confirm)
    state = custody_of(ctx.store, item["id"])
    assert state.status == "out" and state.holder_id == _person(ctx, "Zo")
    assert any(s.startswith("Checked out 1 item to Zo") for s in ui.snackbars())
    assert ui.find(root, ft.TextField, "Search gear")  # back on the list
    assert "Out · Zo" in " ".join(ui.texts(root))


async def test_a_new_cart_starts_with_nobody_chosen(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    await _scan(ui, root, _available_loose_item(ctx)["code"])
    await _choose(ui, ui.find(root, ft.Dropdown, "Check out to"), _person(ctx, "Zo"))
    await ui.click(ui.find(root, ft.Button, "Check out 1 item"))
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    assert ui.find(root, ft.Dropdown, "Check out to").value is None


async def test_back_asks_before_dropping_scanned_items(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    await ui.click(ui.find(root, ft.IconButton, "Back to gear"))
    assert ui.dialogs() == [] and ui.find_all(root, ft.Button, "Check out") == []

    await ui.click(ui.find(root, ft.Button, "Scan out"))
    first, second = [i for i in items(ctx.store) if all_custody(ctx.store)[i["id"]].status
                     == "available" and not kit_contents(ctx.store, i["id"])][:2]  # fmt: skip
    await _scan(ui, root, first["code"])
    await _scan(ui, root, second["code"])
    await ui.click(ui.find(root, ft.IconButton, "Back to gear"))
    ask = ui.dialog()
    assert ask.title.value == "Discard 2 scanned items?"
    await ui.click(ui.find(ask, ft.TextButton, "Keep scanning"))
    assert not ask.open and ui.find(root, ft.Button, "Check out 2 items")

    await ui.click(ui.find(root, ft.IconButton, "Back to gear"))
    await ui.click(ui.find(ui.dialog(), ft.FilledButton, "Discard"))
    assert ui.dialogs() == [] and ui.find_all(root, ft.Button, "Check out") == []
    assert custody_of(ctx.store, first["id"]).status == "available"


async def test_cart_warns_and_removes(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    alexa = _item(ctx, "ARRI Alexa Mini LF body")  # out with Lea in the sample
    await _scan(ui, root, alexa["code"])
    assert f"ARRI Alexa Mini LF body is already out with {_name(ctx, 'Lea')}" in ui.texts(root)
    case = _item(ctx, "Video village case")
    village = kit_contents(ctx.store, case["id"])
    # the sample's village case is out: check it in first so it can go again
    from app.custody_actions import check_in

    check_in(ctx.store, case["id"], at=ctx.now())
    await _scan(ui, root, case["code"])
    assert f"Video village case: kit added with {len(village) + 1} items" in ui.texts(root)
    await _scan(ui, root, case["code"])
    assert "Video village case is already in the cart" in ui.texts(root)
    await ui.click(ui.find(root, ft.IconButton, f"Remove {village[0]['name']}"))
    assert ui.find(root, ft.Button, f"Check out {len(village)} items")


def _name(ctx: AppContext, start: str) -> str:
    return people_names(ctx.store, ctx.production_id)[_person(ctx, start)]


async def test_unknown_code_registers_a_new_item_into_the_cart(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    await _scan(ui, root, "RENTAL-0042\n")
    assert "Unknown code RENTAL-0042" in ui.texts(root)
    await ui.click(ui.find(root, ft.TextButton, "Register this label"))
    dialog = ui.dialog()
    await ui.click(ui.find(dialog, ft.Button, "Create item with this label"))
    assert ui.dialog() is dialog  # refused: a name is required
    await ui.type_into(ui.find(dialog, ft.TextField, "New item name"), "Rental monitor")
    await ui.click(ui.find(dialog, ft.Button, "Create item with this label"))
    item = find_by_code(ctx.store, "RENTAL-0042")
    assert item and item["name"] == "Rental monitor"
    assert "Added Rental monitor" in ui.texts(root)
    assert "Unknown code RENTAL-0042" not in ui.texts(root)


async def test_unknown_code_attaches_to_an_existing_item(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.OutlinedButton, "Check in"))
    await _scan(ui, root, "OLD-TAG-7")
    await ui.click(ui.find(root, ft.TextButton, "Register this label"))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField, "Find an existing item"), "alexa")
    await ui.click(ui.find(dialog, ft.ListTile, "ARRI Alexa Mini LF body"))
    assert find_by_code(ctx.store, "OLD-TAG-7")["name"] == "ARRI Alexa Mini LF body"
    assert "Added ARRI Alexa Mini LF body" in ui.texts(root)  # out with Lea: it can come back


async def test_check_in_with_condition(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.OutlinedButton, "Check in"))
    alexa = _item(ctx, "ARRI Alexa Mini LF body")
    await _scan(ui, root, alexa["code"])
    await _choose(ui, ui.find(root, ft.Dropdown, "Condition"), "damaged")
    repair = ui.find(root, ft.Checkbox, "Send for repair")
    repair.value = True
    await ui.fire(repair, "change", True)
    note = ui.find(root, ft.TextField, "Note")
    note.value = "Top handle loose"
    await ui.fire(note, "blur")
    await ui.click(ui.find(root, ft.Button, "Check in 1 item"))
    assert "Checked in 1 item, 1 damaged" in ui.snackbars()
    assert custody_of(ctx.store, alexa["id"]).status == "repair"
    actions = [e["action"] for e in history(ctx.store, alexa["id"])]
    assert actions[-2:] == ["check_in", "damage"]
    assert history(ctx.store, alexa["id"])[-1]["note"] == "Top handle loose"


async def test_item_detail_history_and_actions(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.ListTile, "Aputure Light Dome II"))
    texts = " ".join(ui.texts(root))
    assert "In repair" in texts and "Damage reported by" in texts
    assert "Speed ring cracked" in texts
    await ui.click(ui.find(root, ft.OutlinedButton, "Repair done"))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField, "What was repaired?"), "New speed ring")
    await ui.click(ui.find(dialog, ft.Button, "Save"))
    dome = _item(ctx, "Aputure Light Dome II")
    assert custody_of(ctx.store, dome["id"]).status == "available"
    assert "Available" in ui.texts(root)  # the detail redrew itself
    await ui.click(ui.find(root, ft.Button, "Check out"))
    dialog = ui.dialog()
    await ui.click(ui.find(dialog, ft.Button, "Check out"))
    assert "Choose who takes it." in ui.texts(dialog)  # refusal shown in the form
    await _choose(ui, ui.find(dialog, ft.Dropdown, "Check out to"), _person(ctx, "Sofia"))
    await ui.click(ui.find(dialog, ft.Button, "Check out"))
    assert custody_of(ctx.store, dome["id"]).holder_id == _person(ctx, "Sofia")
    await ui.click(ui.find(root, ft.IconButton, "Back to gear"))
    assert ui.find(root, ft.TextField, "Search gear")


async def test_damage_report_with_a_photo(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.ListTile, "Cooke S4/i 75mm T2"))
    await ui.click(ui.find(root, ft.OutlinedButton, "Report damage"))
    form = ui.dialog()
    ui.results["pick_files"] = [{"id": 1, "name": "d.png", "size": 1, "bytes": _png()}]
    await _click_then_answer(ui, ui.find(form, ft.OutlinedButton, "Add photo"), PICK_FILE)
    assert any(t.startswith("Photo added") for t in ui.texts(form))
    await ui.type_into(ui.find(form, ft.TextField, "What is damaged?"), "Front element scratch")
    await ui.click(ui.find(form, ft.Button, "Report"))
    lens = _item(ctx, "Cooke S4/i 75mm T2")
    damage = history(ctx.store, lens["id"])[-1]
    assert damage["action"] == "damage" and damage["photo"]


async def _click_then_answer(ui: Ui, control: ft.Control, label: str) -> None:
    """Click ``control``, whose handler waits for a dialog, then press ``label`` in it.

    The click is dispatched as its own task (``ui.click`` would wait for every task,
    this test's included, to finish)."""
    clicking = asyncio.create_task(ui.page.session.dispatch_event(control._i, "click", None))
    await _press_when_shown(ui, label)
    await clicking
    ui.assert_no_crash()


async def _press_when_shown(ui: Ui, label: str) -> None:
    for _ in range(200):
        dialogs = [d for d in ui.dialogs() if isinstance(d, ft.AlertDialog)]
        buttons = [b for d in dialogs for b in d.actions if label in str(b.content)]
        if buttons:
            await ui.click(buttons[-1])
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no dialog offered {label!r}")


def _png(payload: str | None = None) -> bytes:
    out = io.BytesIO()
    if payload is None:
        Image.new("RGB", (300, 300), "white").save(out, "PNG")
    else:
        qrcode.make(payload).save(out)
    return out.getvalue()


async def test_scan_a_photo(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    item = _available_loose_item(ctx)
    for image in (_png(code_for(item["id"])), _png()):
        ui.results["pick_files"] = [{"id": 1, "name": "q.png", "size": 1, "bytes": image}]
        await _click_then_answer(ui, ui.find(root, ft.OutlinedButton, "Photo"), PICK_FILE)
    texts = ui.texts(root)
    assert f"Added {item['name']}" in texts
    assert any(t.startswith("No code read: no code found") for t in texts)


async def test_conflicts_are_listed_and_resolved(ctx: AppContext, ui: Ui) -> None:
    walkie = _item(ctx, "Motorola DP1400 radio #1")  # out with Marta in the sample
    other = _person(ctx, "Kenji")
    with ctx.store.transaction() as tx:  # as a merge of two offline devices leaves it
        add_event(tx, walkie["id"], "check_out", person_id=other, at=stamp(ctx.now()))
    assert conflicts(ctx.store)
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.FilledTonalButton, "1 conflicts"))
    await ui.click(ui.find(root, ft.OutlinedButton, f"{_name(ctx, 'Kenji')} has it"))
    assert "Choose who you are (Resolved by) first." in ui.snackbars()
    await _choose(ui, ui.find(root, ft.Dropdown, "Resolved by"), _person(ctx, "Jo"))
    await ui.click(ui.find(root, ft.OutlinedButton, f"{_name(ctx, 'Kenji')} has it"))
    assert conflicts(ctx.store) == []
    assert custody_of(ctx.store, walkie["id"]).holder_id == other
    assert "No custody conflicts. Every item has one holder." in ui.texts(root)


async def test_label_sheet_export(ctx: AppContext, ui: Ui) -> None:
    ctx.page.platform, ctx.page.web = ft.PagePlatform.LINUX, True  # as a browser reports
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.OutlinedButton, "Labels"))
    await ui.click(ui.find(root, ft.Button, "Export labels"))
    assert "Select the items to print labels for first." in ui.snackbars()
    await ui.type_into(ui.find(root, ft.TextField, "Search gear"), "cooke")
    await ui.click(ui.find(root, ft.TextButton, "Select shown"))
    await ui.click(ui.find(root, ft.Button, "Export labels"))
    dialog = ui.dialog()
    await _choose(ui, ui.find(dialog, ft.Dropdown, "Label stock"), "avery-5160")
    await ui.click(ui.find(dialog, ft.Button, "Export PDF"))
    pdfs = list((ctx.data_dir / "exports").glob("labels-avery-5160-6-*.pdf"))  # 5 lenses, case
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    saved = ui.invoked("save_file")  # one tap: rendered and downloaded
    assert [s["file_name"] for s in saved] == [pdfs[0].name]
    assert f"Downloaded 6 labels as {pdfs[0].name}." in ui.texts(dialog)
    assert not [t for t in ui.texts(dialog) if str(ctx.data_dir) in t]


def test_no_production_says_what_to_do(empty_ctx: AppContext, empty_ui: Any) -> None:
    screen = empty_ui.mount(gear_screen(empty_ctx))
    assert any("scan gear in and out" in t for t in empty_ui.texts(screen))


async def test_send_for_repair_right_after_typing_the_note(ctx: AppContext, ui: Ui) -> None:
    root = _screen(ctx, ui)
    await ui.click(ui.find(root, ft.OutlinedButton, "Check in"))
    alexa = _item(ctx, "ARRI Alexa Mini LF body")
    await _scan(ui, root, alexa["code"])
    await _choose(ui, ui.find(root, ft.Dropdown, "Condition"), "damaged")
    note = ui.find(root, ft.TextField, "Note")
    repair = ui.find(root, ft.Checkbox, "Send for repair")
    await ui.type_into(note, "Top handle loose")
    await ui.fire(note, "blur")  # the tap on the checkbox takes the focus from the note
    repair.value = True
    await ui.fire(repair, "change", True)
    await ui.click(ui.find(root, ft.Button, "Check in 1 item"))
    assert custody_of(ctx.store, alexa["id"]).status == "repair"
    assert history(ctx.store, alexa["id"])[-1]["note"] == "Top handle loose"


PHOTOS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "qr-photos"
CAMERA = {"get_available_cameras": [{"name": "0", "lens_direction": "back",
                                     "sensor_orientation": 90}],
          "supports_image_streaming": True}  # fmt: skip


def _frame(photo: str) -> tuple[bytes, str]:
    """A real photo from the test set as the camera streams it (a JPEG), and its payload."""
    path = PHOTOS / photo
    out = io.BytesIO()
    Image.open(path).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue(), path.with_suffix(".txt").read_bytes().decode()


async def _live_cart(ctx: AppContext, ui: Ui) -> tuple[ft.Control, Any]:
    """Scan out on a phone: the live preview opens streaming; returns (root, camera)."""
    import flet_camera as fc

    ctx.page.platform = ft.PagePlatform.ANDROID
    ui.results.update(CAMERA)
    root = _screen(ctx, ui)
    await _open_scan_out(ui, root)
    camera = ui.find(root, fc.Camera)
    assert ui.invoked("start_image_stream") and camera.parent.visible
    assert "Point the camera at a label" in ui.texts(root)
    return root, camera


async def _open_scan_out(ui: Ui, root: ft.Control) -> None:
    """Tap "Scan out" and let the camera start (``page.run_task`` starts it a loop turn
    after the tap's handler)."""
    await ui.click(ui.find(root, ft.Button, "Scan out"))
    await asyncio.sleep(0)
    await ui.settle()


async def _show(ui: Ui, camera: Any, frame: bytes) -> None:
    await ui.fire(camera, "stream_image", {"width": 240, "height": 240, "format": "jpeg",
                                           "encoded_format": "jpeg", "bytes": frame})


async def test_live_camera_puts_label_after_label_in_the_cart_once(
    ctx: AppContext, ui: Ui
) -> None:
    from app.equipment import claim_label

    first, second = [i for i in items(ctx.store) if all_custody(ctx.store)[i["id"]].status
                     == "available" and not kit_contents(ctx.store, i["id"])][:2]  # fmt: skip
    url, url_code = _frame("qrcode-4/15.webp")
    card, card_code = _frame("qrcode-5/01.webp")
    claim_label(ctx.store, url_code, first["id"])  # pre-printed labels, claimed
    claim_label(ctx.store, card_code, second["id"])
    root, camera = await _live_cart(ctx, ui)

    await _show(ui, camera, url)
    assert f"Added {first['name']}" in ui.texts(root)
    assert ui.find(root, ft.Button, "Check out 1 item")
    await _show(ui, camera, url)  # still in view: counts once, says nothing new
    await _show(ui, camera, card)
    assert ui.find(root, ft.Button, "Check out 2 items")
    assert f"{first['name']} is already in the cart" not in ui.texts(root)
    assert len(ui.invoked("medium_impact")) == 2  # one tap per label read
    assert ui.invoked("heavy_impact") == []

    start = ctx.now()
    ctx.now = lambda: start + timedelta(seconds=REPEAT_S + 1)  # out of sight, back again
    await _show(ui, camera, url)
    assert f"{first['name']} is already in the cart" in ui.texts(root)


async def test_live_camera_says_when_a_code_is_not_ours(ctx: AppContext, ui: Ui) -> None:
    root, camera = await _live_cart(ctx, ui)
    nothing, _ = _frame("qrcode-4/30.webp")  # a code no pass reads: no cue, no line
    await _show(ui, camera, nothing)
    assert ui.invoked("heavy_impact") == [] and ui.invoked("medium_impact") == []
    foreign, payload = _frame("qrcode-4/15.webp")
    await _show(ui, camera, foreign)
    assert f"Not a Crewkit label: {payload}" in ui.texts(root)
    assert f"Unknown code {payload}" in ui.texts(root)
    assert ui.find(root, ft.TextButton, "Register this label")
    assert len(ui.invoked("heavy_impact")) == 1
    assert ui.find(root, ft.Button, "Check out 0 items").disabled


async def test_live_camera_stops_when_the_cart_closes_and_the_field_still_works(
    ctx: AppContext, ui: Ui
) -> None:
    root, _ = await _live_cart(ctx, ui)
    item = _available_loose_item(ctx)
    await _scan(ui, root, item["code"])  # a hardware scanner beside the camera
    assert f"Added {item['name']}" in ui.texts(root)
    await ui.click(ui.find(root, ft.IconButton, "Stop camera"))
    assert len(ui.invoked("stop_image_stream")) == 1
    await ui.click(ui.find(root, ft.IconButton, "Live camera"))
    assert len(ui.invoked("start_image_stream")) == 2
    await ui.click(ui.find(root, ft.IconButton, "Back to gear"))
    await ui.click(ui.find(ui.dialog(), ft.FilledButton, "Discard"))
    await asyncio.sleep(0)  # the camera stops in a task the tap starts
    await ui.settle()
    assert len(ui.invoked("stop_image_stream")) == 2
    ui.assert_all_sent()


async def test_a_phone_without_a_camera_says_so_and_keeps_the_field(
    ctx: AppContext, ui: Ui
) -> None:
    ctx.page.platform = ft.PagePlatform.ANDROID
    ui.results["get_available_cameras"] = []
    root = _screen(ctx, ui)
    await _open_scan_out(ui, root)
    assert ("Live camera unavailable (this device reports no camera): use Photo or the field."
            in ui.texts(root))
    assert ui.find(root, ft.OutlinedButton, "Photo") and ui.find(root, ft.TextField,
                                                                 SCAN_FIELD_LABEL)
