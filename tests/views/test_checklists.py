"""Checklists against the sample production on its second day (11:30 in Lisbon)."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flet as ft

from app.checklists import checklists_for_day, items, sign_off, tick
from app.hlc import Stamp
from app.sample import SAMPLE_DIR
from sync.merge import apply_op
from views.capture import PICK_FILE, PICKER_KEY
from views.checklists import build_checklists
from views.checklists.screen import OPEN_KEY
from views.checklists.who import person_key
from views.refresh import COALESCE_S
from views.shell import Shell

DAY = "2025-06-11"
RECEIPT = SAMPLE_DIR / "receipts" / "coffee.jpg"


@dataclass
class FakePicker:
    path: Path
    asked: list[dict[str, Any]] = field(default_factory=list)

    async def pick_files(self, **options: Any) -> list[ft.FilePickerFile]:
        self.asked.append(options)
        data = self.path.read_bytes()
        return [ft.FilePickerFile(id=1, name=self.path.name, size=len(data), bytes=data)]


def _checklist(ctx, title: str) -> dict[str, Any]:
    return next(c for c in checklists_for_day(ctx.store, ctx.production_id, DAY)
                if c["title"] == title)  # fmt: skip


def _person(ctx, name: str) -> str:
    return next(p["id"] for p in ctx.store.all("people") if p["name"] == name)


def _row(ui, screen, text: str) -> ft.Container:
    """The item's row: a container whose row starts with the checkbox."""
    return next(
        c for c in ui.find_all(screen, ft.Container)
        if isinstance(c.content, ft.Row) and isinstance(c.content.controls[0], ft.Checkbox)
        and text in ui.texts(c)
    )  # fmt: skip


def _box(ui, screen, text: str) -> ft.Checkbox:
    return ui.find(_row(ui, screen, text), ft.Checkbox)


async def _set(ui, box: ft.Checkbox, value: bool) -> None:
    """What tapping a box does: the client flips its value, then reports the change."""
    box.value = value
    await ui.fire(box, "change", str(value).lower())


async def _open(ui, screen, title: str) -> None:
    card = next(c for c in ui.find_all(screen, ft.Container)
                if c.on_click and title in ui.texts(c))  # fmt: skip
    await ui.click(card)


async def test_the_days_lists_show_progress(ctx, ui) -> None:
    screen = ui.mount(build_checklists(ctx))
    texts = ui.texts(screen)
    assert "Wed 11 Jun · Day 2 of 3" in texts
    assert "Camera prep" in texts and "Safety walk" in texts
    assert "2 of 7 done · 3 required open" in texts
    assert "3 of 6 done · 2 required open" in texts
    assert [bar.value for bar in ui.find_all(screen, ft.ProgressBar)] == [2 / 7, 3 / 6]


async def test_tick_asks_who_once_then_remembers(ctx, ui) -> None:
    screen = ui.mount(build_checklists(ctx))
    await _open(ui, screen, "Camera prep")
    assert ctx.extras[OPEN_KEY] == _checklist(ctx, "Camera prep")["id"]
    text = "Batteries charged: 3 for each body plus spares"
    await _set(ui, _box(ui, screen, text), True)
    assert not _box(ui, screen, text).value  # nothing ticked until someone is chosen
    await ui.click(ui.find(ui.dialog(), ft.ListTile, "Lea Brandt"))
    assert _box(ui, screen, text).value
    assert "Done by Lea Brandt at 11:30" in ui.texts(_row(ui, screen, text))
    assert "3 of 7 done · 2 required open" in ui.texts(screen)
    assert "Ticking as Lea Brandt" in " ".join(
        b.content for b in ui.find_all(screen, ft.OutlinedButton)
    )
    next_text = "Lenses checked: glass clean, marks collimated"
    await _set(ui, _box(ui, screen, next_text), True)
    assert ui.dialogs() == []  # the person is remembered for the session
    assert ctx.extras[person_key(ctx.extras[OPEN_KEY])] == _person(ctx, "Lea Brandt")
    assert "Done by Lea Brandt at 11:30" in ui.texts(_row(ui, screen, next_text))
    await _set(ui, _box(ui, screen, next_text), False)
    assert not _box(ui, screen, next_text).value
    assert "4 of 7 done" not in " ".join(ui.texts(screen))


async def test_another_checklist_asks_again_who_is_ticking(ctx, ui) -> None:
    screen = ui.mount(build_checklists(ctx))
    await _open(ui, screen, "Camera prep")
    await _set(ui, _box(ui, screen, "Batteries charged: 3 for each body plus spares"), True)
    await ui.click(ui.find(ui.dialog(), ft.ListTile, "Lea Brandt"))
    await ui.click(ui.find(screen, ft.TextButton, "All checklists"))
    await _open(ui, screen, "Safety walk")
    assert "Choose who is ticking" in [b.content for b in ui.find_all(screen, ft.OutlinedButton)]
    text = "Weather and tide times briefed to the crew"
    await _set(ui, _box(ui, screen, text), True)
    assert ui.dialog().title.value == "Who is ticking?"  # the phone may have changed hands
    assert not _box(ui, screen, text).value
    await ui.click(ui.find(ui.dialog(), ft.ListTile, "Marta Sousa"))
    assert "Done by Marta Sousa at 11:30" in ui.texts(_row(ui, screen, text))
    await ui.click(ui.find(screen, ft.TextButton, "All checklists"))
    await _open(ui, screen, "Camera prep")  # back to the first: still Lea's
    assert "Ticking as Lea Brandt" in [b.content for b in ui.find_all(screen, ft.OutlinedButton)]


async def test_a_problem_note_is_saved_without_ticking(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = checklist_id = _checklist(ctx, "Safety walk")["id"]
    screen = ui.mount(build_checklists(ctx))
    text = "Weather and tide times briefed to the crew"
    await ui.click(ui.find(_row(ui, screen, text), ft.TextButton, "Note"))
    dialog = ui.dialog()
    assert ui.find(dialog, ft.FilledButton, "Save and tick")
    await ui.type_into(ui.find(dialog, ft.TextField), "Loose cable by the catering tent")
    await ui.click(ui.find(dialog, ft.OutlinedButton, "Save note"))
    assert ui.dialogs() == []  # no one asked who is ticking: nothing was ticked
    assert not _box(ui, screen, text).value
    assert "Note: Loose cable by the catering tent" in ui.texts(_row(ui, screen, text))
    item = next(i for i in items(ctx.store, checklist_id) if i["text"] == text)
    assert not item["done"] and item["done_by"] is None
    assert item["note"] == "Loose cable by the catering tent"
    assert "3 of 6 done · 2 required open" in ui.texts(screen)


async def test_note_on_a_ticked_item_keeps_who_and_when(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = checklist_id = _checklist(ctx, "Safety walk")["id"]
    # Lea holds the phone; Marta ticked it.
    ctx.extras[person_key(checklist_id)] = _person(ctx, "Lea Brandt")
    screen = ui.mount(build_checklists(ctx))
    text = "Fire exits and extinguishers located and clear"
    await ui.click(ui.find(_row(ui, screen, text), ft.TextButton, "Note"))
    dialog = ui.dialog()
    await ui.type_into(ui.find(dialog, ft.TextField), "Exit B chained; venue unlocked it")
    await ui.click(ui.find(dialog, ft.FilledButton, "Save note"))
    row_texts = ui.texts(_row(ui, screen, text))
    assert "Note: Exit B chained; venue unlocked it" in row_texts
    assert "Done by Marta Sousa at 06:50" in row_texts


async def test_photo_is_stored_and_shown(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = _checklist(ctx, "Safety walk")["id"]
    ctx.extras[PICKER_KEY] = FakePicker(RECEIPT)
    screen = ui.mount(build_checklists(ctx))
    text = "Cables run flat, taped or ramped on walkways"
    button = ui.find(_row(ui, screen, text), ft.TextButton, "Photo")
    # The handler waits for the source dialog, so it runs beside the test (a ui.click
    # would settle only once the handler ended); the dialog's click then settles both.
    clicking = asyncio.create_task(ui.page.session.dispatch_event(button._i, "click", None))
    for _ in range(100):
        if ui.dialogs():
            break
        await asyncio.sleep(0.01)
    await ui.click(ui.find(ui.dialog(), ft.Button, PICK_FILE))
    await clicking
    ui.assert_no_crash()
    photo = ui.find(_row(ui, screen, text), ft.Image)
    assert isinstance(photo.src, bytes) and photo.src[:2] == b"\xff\xd8"
    item = next(i for i in items(ctx.store, ctx.extras[OPEN_KEY]) if i["text"] == text)
    assert ctx.blobs.has(item["photo"])


async def test_sign_off_refused_lists_open_items_then_succeeds(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = checklist_id = _checklist(ctx, "Safety walk")["id"]
    ctx.extras[person_key(checklist_id)] = _person(ctx, "Marta Sousa")
    screen = ui.mount(build_checklists(ctx))
    await ui.click(ui.find(screen, ft.FilledButton, "Sign off"))
    refusal = ui.texts(ui.dialog())
    assert "• First aid kit and first aider named on the call sheet" in refusal
    assert "• Nearest hospital and route on the call sheet" in refusal
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "OK"))
    for item in items(ctx.store, checklist_id):
        if item["required"] and not item["done"]:
            await _set(ui, _box(ui, screen, item["text"]), True)
    await ui.click(ui.find(screen, ft.FilledButton, "Sign off"))
    assert "Signed off by Marta Sousa at 11:30" in ui.texts(screen)
    assert all(box.disabled for box in ui.find_all(screen, ft.Checkbox))
    await ui.click(ui.find(screen, ft.TextButton, "Reopen"))
    assert ui.find(screen, ft.FilledButton, "Sign off")


async def test_a_sign_off_undone_by_a_merged_untick_is_shown_as_a_warning(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = checklist_id = _checklist(ctx, "Safety walk")["id"]
    ctx.extras[person_key(checklist_id)] = marta = _person(ctx, "Marta Sousa")
    for item in items(ctx.store, checklist_id):
        if not item["done"]:
            tick(ctx.store, item["id"], person_id=marta)
    sign_off(ctx.store, checklist_id, person_id=marta)
    first = next(i for i in items(ctx.store, checklist_id) if i["required"])
    # Another device, offline, unticked it before it heard of the sign-off.
    later = Stamp.parse(ctx.store.clock.now())
    remote = str(Stamp(later.physical_ms + 1, 0, "otherphone"))
    state, _ = apply_op(ctx.store.state("checklist_items", first["id"]),
                        {"done": False, "done_by": None, "done_at": None}, remote)
    ctx.store.merge_remote([("checklist_items", first["id"], state)])
    screen = ui.mount(build_checklists(ctx))
    warning = next(t for t in ui.texts(screen) if t.startswith("Signed off by Marta Sousa"))
    assert "unticked on another device" in warning and first["text"] in warning
    await ui.click(ui.find(screen, ft.TextButton, "Reopen"))
    assert ui.find(screen, ft.FilledButton, "Sign off")


async def test_start_from_a_template_for_a_location(ctx, ui) -> None:
    screen = ui.mount(build_checklists(ctx))
    await ui.click(ui.find(screen, ft.TextButton, "Start from template"))
    dialog = ui.dialog()
    template, location = ui.find_all(dialog, ft.Dropdown)
    await ui.click(ui.find(dialog, ft.FilledButton, "Start"))
    assert template.error_text == "Choose a template."
    options = {o.text: o.key for o in template.options}
    assert "Camera prep (7 items, this production)" in options
    assert "Stage setup (10 items, built-in)" in options
    template.value = options["Load-out (8 items, built-in)"]
    location.value = next(o.key for o in location.options if o.text == "Praia da Adraga")
    await ui.click(ui.find(dialog, ft.FilledButton, "Start"))
    texts = ui.texts(screen)
    assert "Load-out" in texts and "Praia da Adraga" in texts
    assert "0 of 8 done · 4 required open" in texts
    await ui.click(ui.find(screen, ft.TextButton, "All checklists"))
    assert len([t for t in ui.texts(screen) if t == "Load-out"]) == 1


async def test_an_empty_day_offers_a_template(ctx, ui) -> None:
    screen = ui.mount(build_checklists(ctx))
    await ui.click(ui.find(screen, ft.Semantics, "Next day").content)
    await ui.click(ui.find(screen, ft.Semantics, "Next day").content)
    assert "No checklists for this day." in ui.texts(screen)
    await ui.click(ui.find(screen, ft.Button, "Start a checklist from a template"))
    assert ui.dialog().title.value == "Start a checklist"


def test_without_a_production_says_what_to_do(empty_ctx, empty_ui) -> None:
    screen = empty_ui.mount(build_checklists(empty_ctx))
    assert empty_ui.texts(screen) == [
        "No production yet: load the sample production or create one to tick off its checklists."
    ]


async def test_a_tick_from_elsewhere_redraws_the_open_list(ctx, ui) -> None:
    ctx.extras[OPEN_KEY] = checklist_id = _checklist(ctx, "Camera prep")["id"]
    shell = Shell(ctx)
    shell.mount()
    shell.select(1)
    screen = shell.body.content
    batteries = items(ctx.store, checklist_id)[2]
    lea = _person(ctx, "Lea Brandt")
    # As the sync engine commits: outside any session's handler.
    contextvars.Context().run(lambda: tick(ctx.store, batteries["id"], person_id=lea))
    await asyncio.sleep(COALESCE_S * 2)
    await ui.settle()
    assert shell.body.content is screen
    assert _box(ui, screen, batteries["text"]).value
    assert "3 of 7 done · 2 required open" in ui.texts(screen)
