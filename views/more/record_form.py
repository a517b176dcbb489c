"""One dialog for adding, editing and removing a person or a location.

The checks are the services' own: a ``ValidationError`` is shown under the field it
names, and a refusal to remove (``app.removal.StillNeeded``) is shown in the dialog,
which stays open with everything typed. Removing asks once more, naming the record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.models import ValidationError
from app.removal import Removal, StillNeeded
from app.store import Store
from views.context import AppContext


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    hint: str = ""
    keyboard: ft.KeyboardType = ft.KeyboardType.TEXT
    multiline: bool = False


@dataclass(frozen=True)
class RecordKind:
    """A kind of record the form adds, edits and removes (a person, a location)."""
    noun: str
    fields: Sequence[FormField]
    add: Callable[..., Any]
    """``add(store, production_id, **typed)``"""
    update: Callable[..., Any]
    """``update(store, record_id, **typed)``"""
    remove: Callable[[Store, str], Removal]
    added: str
    """The message after an add, e.g. "Added to the crew."."""


def open_add_form(ctx: AppContext, kind: RecordKind, on_done: Callable[[str], None]) -> None:
    production_id, store = ctx.production_id, ctx.store
    assert production_id is not None
    open_record_form(
        ctx, title=f"Add {kind.noun}", fields=kind.fields, values={},
        save=lambda typed: kind.add(store, production_id, **typed),
        on_done=on_done, saved=kind.added,
    )  # fmt: skip


def open_edit_form(
    ctx: AppContext, kind: RecordKind, record: Mapping[str, Any], on_done: Callable[[str], None]
) -> None:
    store, record_id = ctx.store, record["id"]
    open_record_form(
        ctx, title=f"Edit {kind.noun}", fields=kind.fields, values=record,
        save=lambda typed: kind.update(store, record_id, **typed),
        remove=lambda: kind.remove(store, record_id).message,
        on_done=on_done, saved="Saved.",
    )  # fmt: skip


Save = Callable[[dict[str, str]], Any]
"""Store the typed values (raises ``ValidationError`` for a bad one)."""
Remove = Callable[[], str]
"""Remove the record; returns what happened (raises ``StillNeeded`` when it cannot)."""


def open_record_form(
    ctx: AppContext,
    *,
    title: str,
    fields: Sequence[FormField],
    values: Mapping[str, Any],
    save: Save,
    on_done: Callable[[str], None],
    saved: str,
    remove: Remove | None = None,
) -> None:
    """Show the form; ``on_done(message)`` after a save (``saved`` is its message) or a
    removal, once the dialog has closed."""
    inputs = {
        f.name: ft.TextField(
            label=f.label,
            value=str(values.get(f.name) or ""),
            hint_text=f.hint or None,
            keyboard_type=f.keyboard,
            multiline=f.multiline,
            min_lines=1,
            max_lines=4 if f.multiline else 1,
            error_max_lines=3,
        )
        for f in fields
    }
    problem = ft.Text(color=ft.Colors.ERROR, visible=False)

    def finish(message: str) -> None:
        ctx.page.pop_dialog()
        on_done(message)
        ctx.page.update()  # closing the dialog sent only the dialog

    def on_save(_: ft.Event[ft.Button]) -> None:
        for field in inputs.values():
            field.error = None
        typed = {name: (field.value or "").strip() for name, field in inputs.items()}
        try:
            save(typed)
        except ValidationError as exc:
            inputs.get(exc.field, next(iter(inputs.values()))).error = str(exc)
            return
        finish(saved)

    def on_remove(_: ft.Event[ft.TextButton]) -> None:
        assert remove is not None
        try:
            message = remove()
        except StillNeeded as exc:
            problem.value, problem.visible = str(exc), True
            dialog.actions = editing
            return
        finish(message)

    def confirm(_: ft.Event[ft.TextButton]) -> None:
        problem.value = f"Remove {values.get('name') or 'this'}?"
        problem.visible = True
        dialog.actions = [
            ft.TextButton("Keep", on_click=lambda _: back()),
            ft.Button(content="Yes, remove", icon=ft.Icons.DELETE_OUTLINE, on_click=on_remove),
        ]

    def back() -> None:
        problem.visible = False
        dialog.actions = editing

    editing: list[ft.Control] = [
        ft.TextButton("Cancel", on_click=lambda _: ctx.page.pop_dialog()),
        ft.Button(content="Save", on_click=on_save),
    ]
    if remove is not None:
        editing.insert(0, ft.TextButton("Remove", icon=ft.Icons.DELETE_OUTLINE, on_click=confirm))
    dialog = ft.AlertDialog(
        modal=True,
        title=ft.Text(title),
        scrollable=True,  # the keyboard leaves little room on a phone
        content=ft.Column([problem, *inputs.values()], tight=True, width=360, spacing=12),
        actions=editing,
        actions_overflow_button_spacing=4,
    )
    ctx.page.show_dialog(dialog)
