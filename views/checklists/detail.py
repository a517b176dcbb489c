"""One checklist: tick items, add a note or photo, sign it off (or reopen it).

Every change goes through ``app.checklists`` and names the person holding the phone
(see ``who``). A note or photo added to an item already ticked keeps who ticked it and
when: the tick is the record, the note only adds to it. A note on an open item can be
saved without ticking it (a problem seen, not yet fixed). A photo is normalised off the
event loop before it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import flet as ft

from app.checklists import (
    SignOffRefused,
    items,
    note_item,
    progress,
    reopen,
    sign_off,
    signed_off_with_open_items,
    tick,
    untick,
)
from app.photos import store_photo
from app.productions import production_zone
from views.capture import capture_photo
from views.checklists.item_row import Item, RowActions, item_row
from views.checklists.who import as_person, ask_person, chosen_person, person_name
from views.context import AppContext
from views.today.clock import clock
from views.widgets import show_error


def progress_line(done: int, total: int, required_open: int) -> str:
    """ "7 of 10 done · 2 required open" (what the list and the detail both say)."""
    text = f"{done} of {total} done"
    return text + (f" · {required_open} required open" if required_open else "")


class ChecklistDetail:
    """Builds the checklist's controls; ``back`` returns to the day's lists and
    ``redraw`` rebuilds the screen after each change made here."""

    def __init__(
        self,
        ctx: AppContext,
        checklist_id: str,
        back: Callable[[], None],
        redraw: Callable[[], None],
    ) -> None:
        self.ctx, self.checklist_id, self.back, self.redraw = ctx, checklist_id, back, redraw
        self.zone = production_zone(ctx.production() or {})
        self.actions = RowActions(toggle=self.toggle, note=self.ask_note, photo=self.add_photo)

    def build(self) -> list[ft.Control]:
        checklist = self.ctx.store.get("checklists", self.checklist_id)
        if checklist is None:  # deleted on another device
            return [ft.Text("This checklist no longer exists."), self._back_button()]
        p = progress(self.ctx.store, self.checklist_id)
        locked = bool(checklist["signed_off_at"])
        location = self.ctx.store.get("locations", checklist["location_id"] or "")
        rows = [
            item_row(item, done_by=person_name(self.ctx, item["done_by"]), zone=self.zone,
                     blobs=self.ctx.blobs, locked=locked, actions=self.actions)
            for item in items(self.ctx.store, self.checklist_id)
        ]  # fmt: skip
        return [
            self._back_button(),
            ft.Text(checklist["title"], theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
            ft.Text(location["name"] if location else "No location", size=13),
            ft.ProgressBar(value=p.done / p.total if p.total else 1, bar_height=8,
                           border_radius=4),
            ft.Text(progress_line(p.done, p.total, p.required_total - p.required_done)),
            self._who_button(),
            *rows,
            self._sign_off_area(checklist),
        ]  # fmt: skip

    def _back_button(self) -> ft.Control:
        return ft.Row([ft.TextButton("All checklists", icon=ft.Icons.ARROW_BACK,
                                     on_click=lambda _: self.back())])  # fmt: skip

    def _who_button(self) -> ft.Control:
        person = chosen_person(self.ctx, self.checklist_id)
        label = f"Ticking as {person_name(self.ctx, person)}" if person else "Choose who is ticking"
        button = ft.OutlinedButton(
            content=label,
            icon=ft.Icons.PERSON,
            on_click=lambda _: ask_person(self.ctx, self.checklist_id, lambda _: self.redraw()),
        )
        return ft.Row([button])

    def _sign_off_area(self, checklist: dict[str, Any]) -> ft.Control:
        if checklist["signed_off_at"]:
            who = person_name(self.ctx, checklist["signed_off_by"])
            when = clock(checklist["signed_off_at"], self.zone)
            text = f"Signed off by {who} at {when}"
            icon, fill, ink = (
                ft.Icons.VERIFIED, ft.Colors.PRIMARY_CONTAINER, ft.Colors.ON_PRIMARY_CONTAINER
            )
            reopened = signed_off_with_open_items(self.ctx.store, self.checklist_id)
            if reopened:  # two devices disagreed offline: do not let the sign-off vouch
                text += (", but a required item was unticked on another device: "
                         f"{'; '.join(reopened)}. Reopen the list to finish it.")
                icon, fill, ink = (
                    ft.Icons.WARNING, ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER
                )
            return ft.Container(
                padding=12,
                border_radius=12,
                bgcolor=fill,
                content=ft.Row([
                    ft.Icon(icon, color=ink),
                    ft.Text(text, color=ink, expand=True),
                    ft.TextButton("Reopen",
                                  on_click=lambda _: self._guard(reopen, self.checklist_id)),
                ]),
            )  # fmt: skip
        return ft.Container(
            padding=ft.Padding.symmetric(vertical=12),
            content=ft.FilledButton(
                "Sign off", icon=ft.Icons.VERIFIED,
                on_click=lambda _: as_person(self.ctx, self.checklist_id, self.sign_off)),
        )  # fmt: skip

    # -- handlers ------------------------------------------------------------------------

    def _guard(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run a service call, showing a refusal instead of raising; then redraw, so
        a box flipped by a refused tick shows the store's state again."""
        try:
            action(self.ctx.store, *args, **kwargs)
        except ValueError as e:
            show_error(self.ctx.page, str(e))
        self.redraw()

    def toggle(self, item: Item, checked: bool) -> None:
        if checked:
            self._tick(item, {})
        else:
            self._guard(untick, item["id"])

    def _tick(self, item: Item, extra: dict[str, Any]) -> None:
        """Tick with ``extra`` (note, photo); an item already ticked keeps who and when."""
        if item["done"] and item["done_by"] and item["done_at"]:
            ticked_at = datetime.fromisoformat(item["done_at"])
            self._guard(tick, item["id"], person_id=item["done_by"], clock=lambda: ticked_at,
                        **extra)  # fmt: skip
            return

        def as_(person_id: str) -> None:
            self._guard(tick, item["id"], person_id=person_id, clock=self.ctx.now, **extra)

        if chosen_person(self.ctx, self.checklist_id) is None:
            self.redraw()  # the box shows unticked until someone is chosen (or cancels)
        as_person(self.ctx, self.checklist_id, as_)

    def ask_note(self, item: Item) -> None:
        field = ft.TextField(label="Note", value=item.get("note") or "", multiline=True,
                             max_lines=4, autofocus=True)  # fmt: skip

        def save(_: ft.Event[Any]) -> None:
            self.ctx.page.pop_dialog()
            self._guard(note_item, item["id"], field.value or "")

        def save_and_tick(_: ft.Event[ft.FilledButton]) -> None:
            self.ctx.page.pop_dialog()
            self._tick(item, {"note": field.value or ""})

        actions: list[ft.Control] = [
            ft.TextButton("Cancel", on_click=lambda _: self.ctx.page.pop_dialog())]
        if item["done"]:
            actions.append(ft.FilledButton("Save note", on_click=save))
        else:  # a problem seen is noted without ticking; the fix is ticked later
            actions += [ft.OutlinedButton("Save note", on_click=save),
                        ft.FilledButton("Save and tick", on_click=save_and_tick)]
        self.ctx.page.show_dialog(ft.AlertDialog(
            title=ft.Text(item["text"], size=16), content=field, actions=actions,
        ))  # fmt: skip

    async def add_photo(self, item: Item) -> None:
        raw = await capture_photo(self.ctx, title="Photo for this item")
        if raw is None:
            return
        try:
            ref = await self.ctx.off_loop(store_photo, self.ctx.blobs, raw)
        except ValueError as e:
            show_error(self.ctx.page, str(e))
            return
        self._tick(item, {"photo": ref.sha256})

    def sign_off(self, person_id: str) -> None:
        try:
            sign_off(self.ctx.store, self.checklist_id, person_id=person_id, clock=self.ctx.now)
            self.redraw()
        except SignOffRefused as refused:
            self.ctx.page.show_dialog(ft.AlertDialog(
                title=ft.Text("Not ready to sign off"),
                content=ft.Column(
                    [ft.Text("These required items are still open:")]
                    + [ft.Text(f"• {text}") for text in refused.open_items],
                    tight=True,
                ),
                scrollable=True,
                actions=[ft.TextButton("OK", on_click=lambda _: self.ctx.page.pop_dialog())],
            ))  # fmt: skip
        except ValueError as e:
            show_error(self.ctx.page, str(e))
