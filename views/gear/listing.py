"""The Gear list: search, filters, a page of matching items, and the ways into scanning.

Gear is one pool shared by every production (the company's kit travels from job to
job; equipment records belong to no production, custody events do), so the list is the
same in each production and says so once there is more than one.

Search-first and paged: every keystroke filters the rows in memory, but only the first
``PAGE_SIZE`` matches are drawn, with "Show more" below them, so a store of thousands of
items never sends thousands of tiles to the phone. Selecting items (for a label sheet)
is a mode of the same list.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import flet as ft

from app.custody import conflicts, count_out
from views.gear.cart import CheckoutView
from views.gear.checkin import CheckinView
from views.gear.common import status_icon
from views.gear.conflicts import ConflictsView
from views.gear.detail import ItemDetail
from views.gear.labels import export_labels
from views.gear.rows import (
    ALL,
    STATUS_LABELS,
    GearFilter,
    GearRow,
    categories,
    filter_rows,
    gear_rows,
    holder_names,
    summary,
    zone_of,
)
from views.widgets import choice, empty_state

if TYPE_CHECKING:
    from views.gear.screen import GearScreen

SHARED_NOTE = "Gear is shared by all productions; an item out on another one names it."
PAGE_SIZE = 50
ALL_HOLDERS = "All"
"""The "Held by" filter's no-filter choice, worded as Status and Category word theirs (and
short enough for a third of a phone's width): items in store are listed too."""
SUMMARY_LINES = 2
"""Status, holder and due time wrap onto a second line at phone width, never cut off."""


def _filter_dropdown(label: str, options: dict[str, str], on_select: Any) -> ft.Dropdown:
    return choice(label, ALL, options, expand=True, dense=True, on_select=on_select)


class GearList:
    """The list view of the Gear screen (the bottom of its stack)."""

    def __init__(self, screen: GearScreen) -> None:
        self.screen = screen
        self.ctx = screen.ctx
        self.filter = GearFilter()
        self.rows: list[GearRow] = []
        self.names: dict[str, str] = {}
        self.shown = PAGE_SIZE
        self.selecting = False
        self.selected: set[str] = set()
        self.search = ft.TextField(
            label="Search gear", prefix_icon=ft.Icons.SEARCH, dense=True,
            hint_text="Name, serial, code or holder", on_change=self._searched,
        )
        self.status = _filter_dropdown("Status", {ALL: "All", **STATUS_LABELS}, self._filtered)
        self.category = _filter_dropdown("Category", {ALL: "All"}, self._filtered)
        self.holder = _filter_dropdown("Held by", {ALL: ALL_HOLDERS}, self._filtered)
        self.count = ft.Text(theme_style=ft.TextThemeStyle.LABEL_LARGE,
                             color=ft.Colors.ON_SURFACE_VARIANT)
        self.shared = ft.Row(visible=False, spacing=6, controls=[
            ft.Icon(ft.Icons.INFO_OUTLINE, size=16, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Text(SHARED_NOTE, size=13, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
        ])
        self.tiles = ft.ListView(expand=True)
        self.conflicts_button = ft.FilledTonalButton(
            icon=ft.Icons.WARNING_AMBER, on_click=self._open_conflicts,
            style=ft.ButtonStyle(color=ft.Colors.ERROR))
        self.actions = ft.Row(wrap=True, spacing=8, run_spacing=8, controls=[
            ft.FilledButton(content="Scan out", icon=ft.Icons.QR_CODE_SCANNER,
                            on_click=self._scan_out),
            ft.OutlinedButton(content="Check in", icon=ft.Icons.ASSIGNMENT_RETURN,
                              on_click=self._check_in),
            ft.OutlinedButton(content="Labels", icon=ft.Icons.PRINT, on_click=self._select),
            self.conflicts_button,
        ])
        # A wrapping row lays out its children unbounded: an expanding child there
        # fails the whole list's layout, so the count takes its natural width.
        self.picked = ft.Text(theme_style=ft.TextThemeStyle.LABEL_LARGE)
        self.selection_bar = ft.Row(visible=False, spacing=8, run_spacing=4,
                                    vertical_alignment=ft.CrossAxisAlignment.CENTER, controls=[
            self.picked,
            ft.TextButton("Select shown", on_click=self._select_shown),
            ft.TextButton("Cancel", on_click=self._end_selection),
            ft.Button(content="Export labels", icon=ft.Icons.PICTURE_AS_PDF,
                      on_click=self._export),
        ], wrap=True)
        self.control = ft.Container(
            padding=ft.Padding.symmetric(horizontal=12, vertical=8), expand=True,
            content=ft.Column(expand=True, spacing=8,
                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=[
                self.actions, self.search,
                ft.Row([self.status, self.category, self.holder], spacing=8),
                self.selection_bar, self.shared, self.count, self.tiles,
            ]))
        self.refresh()

    def refresh(self) -> None:
        """Reload rows from the store and redraw (after any change, here or synced)."""
        self.names = holder_names(self.ctx.store, self.ctx.production_id)
        self.shared.visible = len(self.ctx.store.all("productions")) > 1
        self.rows = gear_rows(self.ctx.store, self.names)
        self.category.options = [ft.DropdownOption(key=ALL, text="All"), *(
            ft.DropdownOption(key=c, text=c) for c in categories(self.rows))]
        holders = sorted({r.custody.holder_id for r in self.rows if r.custody.holder_id},
                         key=lambda pid: self.names.get(pid, pid).casefold())
        self.holder.options = [ft.DropdownOption(key=ALL, text=ALL_HOLDERS), *(
            ft.DropdownOption(key=pid, text=self.names.get(pid, "Someone else"))
            for pid in holders)]
        open_conflicts = len(conflicts(self.ctx.store))
        self.conflicts_button.content = f"{open_conflicts} conflicts"
        self.conflicts_button.visible = open_conflicts > 0
        self._draw()

    def _draw(self) -> None:
        matches = filter_rows(self.rows, self.filter)
        zone, now = zone_of(self.ctx.store, self.ctx.production_id), self.ctx.now()
        tiles: list[ft.Control] = [self._tile(row, zone, now) for row in matches[: self.shown]]
        if len(matches) > self.shown:
            tiles.append(ft.Container(alignment=ft.Alignment.CENTER, content=ft.OutlinedButton(
                content=f"Show {min(PAGE_SIZE, len(matches) - self.shown)} more",
                on_click=self._more)))
        self.tiles.controls = tiles
        out = count_out((row.custody for row in self.rows), now, holders=self.names)
        self.count.value = (
            f"{len(matches)} of {len(self.rows)} items · {out.out_words} · {out.overdue_words}"
        )
        self.picked.value = f"{len(self.selected)} selected"
        self.count.visible = bool(self.rows)
        if not self.rows:
            self.tiles.controls = [empty_state(
                ft.Icons.INVENTORY_2, "No gear yet. Scan a label (or type its code) to "
                "register your first item.")]
        elif not matches:
            self.tiles.controls = [ft.Text("Nothing matches. Clear the search or filters.",
                                           text_align=ft.TextAlign.CENTER)]

    def _tile(self, row: GearRow, zone: Any, now: Any) -> ft.Control:
        overdue = row.custody.is_overdue(now)
        leading: ft.Control = status_icon(row.custody.status)
        if self.selecting:
            leading = ft.Checkbox(value=row.id in self.selected,
                                  on_change=lambda _, r=row: self._toggle(r.id))
        return ft.ListTile(
            leading=leading,
            title=ft.Text(row.item["name"], max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            subtitle=ft.Text(summary(row, zone, now), max_lines=SUMMARY_LINES,
                             overflow=ft.TextOverflow.ELLIPSIS,
                             color=ft.Colors.ERROR if overdue else None),
            on_click=lambda _, r=row: self._toggle(r.id) if self.selecting else self._open(r),
        )

    def _searched(self, e: ft.Event[ft.TextField]) -> None:
        self._set_filter(replace(self.filter, query=self.search.value or ""))

    def _filtered(self, e: ft.Event[ft.Dropdown]) -> None:
        self._set_filter(replace(self.filter, status=self.status.value or ALL,
                                 category=self.category.value or ALL,
                                 holder=self.holder.value or ALL))

    def _set_filter(self, chosen: GearFilter) -> None:
        self.filter, self.shown = chosen, PAGE_SIZE
        self._draw()

    def _more(self, _: Any) -> None:
        self.shown += PAGE_SIZE
        self._draw()

    def _open(self, row: GearRow) -> None:
        self.screen.open(ItemDetail(self.screen, row.id))

    def _scan_out(self, _: Any) -> None:
        self.screen.open(CheckoutView(self.screen))

    def _check_in(self, _: Any) -> None:
        self.screen.open(CheckinView(self.screen))

    def _open_conflicts(self, _: Any) -> None:
        self.screen.open(ConflictsView(self.screen))

    def _select(self, _: Any) -> None:
        self.selected.clear()
        self.selecting, self.selection_bar.visible = True, True
        self._draw()

    def _end_selection(self, _: Any) -> None:
        self.selecting, self.selection_bar.visible = False, False
        self.selected.clear()
        self._draw()

    def _toggle(self, item_id: str) -> None:
        self.selected.symmetric_difference_update({item_id})
        self._draw()

    def _select_shown(self, _: Any) -> None:
        self.selected.update(r.id for r in filter_rows(self.rows, self.filter)[: self.shown])
        self._draw()

    async def _export(self, _: Any) -> None:
        await export_labels(self.ctx, [r.id for r in self.rows if r.id in self.selected])
