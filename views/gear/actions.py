"""The actions on one item, each a short form: check out or in, transfer, damage, flag,
repair, audit. Every form calls one service function; its refusal is shown in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app import custody_actions as acts
from app.custody import CONDITIONS
from app.equipment import FLAGS, set_flag
from app.photos import store_photo
from views.capture import capture_photo
from views.context import AppContext
from views.gear.common import (
    NO_DUE,
    due_choices,
    due_picker,
    form_dialog,
    person_picker,
)
from views.gear.rows import STATUS_LABELS, people_names
from views.widgets import choice, show_error

Done = Callable[[], None]
"""Called after an action succeeded, to redraw the view that offered it."""
FLAG_LABELS = {"none": "In service", **{f: STATUS_LABELS[f] for f in FLAGS if f != "none"}}


def _people(ctx: AppContext) -> dict[str, str]:
    return people_names(ctx.store, ctx.production_id)


def _condition(value: str = "good") -> ft.Dropdown:
    return choice("Condition", value, {c: c.capitalize() for c in CONDITIONS})


def _chosen(picker: ft.Dropdown, what: str) -> str:
    if not picker.value:
        raise ValueError(f"Choose {what}.")
    return picker.value


def check_out(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    names, choices = _people(ctx), due_choices(ctx)
    person, due = person_picker(names, label="Check out to"), due_picker(choices)

    def run() -> str:
        who = _chosen(person, "who takes it")
        count = len(acts.check_out(ctx.store, item["id"], who, at=ctx.now(),
                                   due_at=choices[due.value or NO_DUE][1],
                                   production_id=ctx.production_id))
        return f"Checked out {count} item{'s' * (count != 1)} to {names[who]}"

    form_dialog(ctx, f"Check out {item['name']}", [person, due], "Check out", run, done)


def check_in(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    condition, note = _condition(), ft.TextField(label="Note", multiline=True)
    repair = ft.Checkbox(label="Damaged: send for repair")

    def run() -> str:
        acts.check_in(ctx.store, item["id"], at=ctx.now(), condition=condition.value or "good",
                      note=note.value or "", flag_repair=bool(repair.value))
        return f"Checked in {item['name']}"

    form_dialog(ctx, f"Check in {item['name']}", [condition, note, repair], "Check in", run, done)


def transfer(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    names, choices = _people(ctx), due_choices(ctx)
    person, due = person_picker(names, label="Hand over to"), due_picker(choices)
    note = ft.TextField(label="Note")

    def run() -> str:
        who = _chosen(person, "who takes it over")
        acts.transfer(ctx.store, item["id"], who, at=ctx.now(), note=note.value or "",
                      due_at=choices[due.value or NO_DUE][1])
        return f"{item['name']} handed over to {names[who]}"

    form_dialog(ctx, f"Transfer {item['name']}", [person, due, note], "Transfer", run, done)


def report_damage(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    """Damage found between check-outs, with a photo as evidence for the rental house."""
    note = ft.TextField(label="What is damaged?", multiline=True, autofocus=True)
    repair = ft.Checkbox(label="Send for repair")
    reporter = person_picker(_people(ctx), label="Reported by")
    photo: dict[str, str] = {}
    photo_text = ft.Text("No photo", color=ft.Colors.ON_SURFACE_VARIANT)

    async def add_photo(_: Any) -> None:
        raw = await capture_photo(ctx, title="Photo of the damage")
        if raw is None:
            return
        photo_text.value = "Saving photo…"
        ctx.page.update()
        try:
            ref = await ctx.off_loop(store_photo, ctx.blobs, raw)
        except ValueError as refusal:
            photo_text.value = "No photo"
            show_error(ctx.page, str(refusal))
            ctx.page.update()
            return
        photo["sha"] = ref.sha256
        photo_text.value = f"Photo added ({ref.width} x {ref.height} px)"
        ctx.page.update()  # the dialogs above used up the handler's auto-update

    def run() -> str:
        if not (note.value or "").strip():
            raise ValueError("Say what is damaged.")
        acts.report_damage(ctx.store, item["id"], note=note.value or "", at=ctx.now(),
                           person_id=reporter.value, photo=photo.get("sha"),
                           flag_repair=bool(repair.value))
        return f"Damage recorded for {item['name']}"

    add = ft.OutlinedButton(content="Add photo", icon=ft.Icons.ADD_A_PHOTO, on_click=add_photo)
    form_dialog(ctx, f"Report damage: {item['name']}",
                [note, reporter, ft.Row([add, photo_text], wrap=True), repair], "Report", run, done)


def flag(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    mark = choice("Mark as", item.get("flag") or "none", FLAG_LABELS)

    def run() -> str:
        set_flag(ctx.store, item["id"], mark.value or "none")
        return f"{item['name']}: {FLAG_LABELS[mark.value or 'none'].lower()}"

    form_dialog(ctx, f"Flag {item['name']}", [mark], "Save", run, done)


def repair_done(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    note = ft.TextField(label="What was repaired?", autofocus=True)

    def run() -> str:
        acts.record_repair(ctx.store, item["id"], note=note.value or "Repaired.", at=ctx.now())
        return f"{item['name']} is back in service"

    form_dialog(ctx, f"Repair done: {item['name']}", [note], "Save", run, done)


def audit(ctx: AppContext, item: dict[str, Any], done: Done) -> None:
    """A stocktake sighting: who saw the item and in what state (finds a missing item)."""
    seen_by = person_picker(_people(ctx), label="Seen by")
    condition, note = _condition(), ft.TextField(label="Note")

    def run() -> str:
        acts.audit(ctx.store, item["id"], person_id=_chosen(seen_by, "who saw it"),
                   condition=condition.value or "", note=note.value or "", at=ctx.now())
        return f"Audit recorded for {item['name']}"

    form_dialog(ctx, f"Audit {item['name']}", [seen_by, condition, note], "Record", run, done)
