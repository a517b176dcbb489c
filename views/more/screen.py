"""The More destination: a menu of the less frequent places, each opened in place.

Sections open inside the destination with a back row (the bottom bar stays, so the
other destinations are one tap away); pairing and sync details are dialogs, as they
are from the sync chip.

A change from elsewhere (a sync, another tab) keeps the page on show: a section that
watches the store redraws itself in place (so an open form keeps what was typed), any
other section is built afresh where it is, and the menu, which shows nothing from the
store, stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from views.context import AppContext
from views.more.about import about
from views.more.crew import crew_directory
from views.more.data_export import data_export
from views.more.locations import locations_list
from views.more.notes import notes_log
from views.more.pairing import open_pairing
from views.more.reports import reports
from views.refresh import is_watched, restart_watching, watch
from views.sync_details import open_sync_details
from views.widgets import no_production


@dataclass(frozen=True)
class Section:
    title: str
    subtitle: str
    icon: ft.IconData
    build: Callable[[AppContext], ft.Control] | None = None
    """Builds the section's page; None for a dialog (see ``dialog``)."""
    dialog: Callable[[AppContext], None] | None = None


SECTIONS = (
    Section(
        "Crew directory",
        "Add or import the crew; call or email anyone",
        ft.Icons.PEOPLE,
        build=crew_directory,
    ),
    Section(
        "Locations",
        "Add stages and venues; addresses and maps",
        ft.Icons.PLACE,
        build=locations_list,
    ),
    Section(
        "Notes and incidents",
        "Log what happened; mark it resolved",
        ft.Icons.STICKY_NOTE_2,
        build=notes_log,
    ),
    Section(
        "Reports", "Daily production report, wrap, expenses", ft.Icons.DESCRIPTION, build=reports
    ),
    Section("Data export", "Equipment CSV, calendar file", ft.Icons.IOS_SHARE, build=data_export),
    Section(
        "Pair with a sync server",
        "Share this production with the crew",
        ft.Icons.QR_CODE_2,
        dialog=open_pairing,
    ),
    Section(
        "Sync details",
        "Last sync, hubs, pending and rejected changes",
        ft.Icons.SYNC,
        dialog=open_sync_details,
    ),
    Section("About", "Version, data folder, recovery", ft.Icons.INFO_OUTLINE, build=about),
)


def more_screen(ctx: AppContext) -> ft.Control:
    """The destination's builder (see ``views.destinations``)."""
    if ctx.production_id is None:
        return no_production(ft.Icons.MORE_HORIZ, "see crew, locations and reports")
    return MoreScreen(ctx).control


class MoreScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.control = ft.Container(expand=True)
        self.show_menu()

    def show_menu(self) -> None:
        restart_watching(self.ctx)
        watch(self.ctx, _leave_be)
        self.control.content = ft.ListView(
            expand=True,
            controls=[
                ft.ListTile(
                    leading=ft.Icon(s.icon, color=ft.Colors.PRIMARY),
                    title=ft.Text(s.title),
                    subtitle=ft.Text(s.subtitle),
                    trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT) if s.build else None,
                    on_click=self._opener(s),
                )
                for s in SECTIONS
            ],
        )

    def open(self, section: Section) -> None:
        if section.dialog is not None:
            section.dialog(self.ctx)
            return
        self._show_page(section)

    def _show_page(self, section: Section) -> None:
        """The section's page under a back row; it keeps itself in step with the store,
        or is built afresh on a change from elsewhere."""
        assert section.build is not None
        restart_watching(self.ctx)
        back = ft.TextButton("More", icon=ft.Icons.ARROW_BACK, on_click=self._back)
        page = section.build(self.ctx)
        if not is_watched(self.ctx):
            watch(self.ctx, lambda _: self._show_page(section))
        self.control.content = ft.Column(
            expand=True,
            spacing=0,
            controls=[
                ft.Row(
                    [back, ft.Text(section.title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM)],
                    spacing=4,
                ),
                ft.Divider(height=1),
                page,
            ],
        )

    def _opener(self, section: Section) -> Callable[[ft.Event[ft.ListTile]], None]:
        def handler(_: ft.Event[ft.ListTile]) -> None:
            self.open(section)

        return handler

    def _back(self, _: ft.Event[ft.TextButton]) -> None:
        self.show_menu()


def _leave_be(_: frozenset[str]) -> None:
    """The menu's watcher: it shows nothing from the store, so a change leaves it be
    (without a watcher, the shell would rebuild the destination)."""
