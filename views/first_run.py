"""What a device with no production shows: load the sample, create a production, or
join the crew's.

A newcomer taps "Load sample production" once and lands in a working app (a three-day
shoot under way today); a crew starting a real job taps "Create production" and fills
in the production form. Both then hand the new production's id to ``on_ready``. A crew
member whose coordinator sent an invite taps "Join your crew's production" and pairs;
the shell opens the production as soon as the first sync brings it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import flet as ft

from app.sample import SAMPLE_DIR, SampleError, load_sample
from views.context import AppContext
from views.more.pairing import open_pairing
from views.production_form import open_production_form
from views.widgets import full_screen_panel, show_error

LOAD_SAMPLE = "Load sample production"
CREATE = "Create production"
JOIN = "Join your crew's production"


def sample_today(now: datetime) -> date:
    """Today's date where the sample production is shot, so "today" is its day 2."""
    spec = json.loads((SAMPLE_DIR / "production.json").read_text(encoding="utf-8"))
    return now.astimezone(ZoneInfo(spec["production"]["timezone"])).date()


def load_sample_production(ctx: AppContext) -> str:
    """Load the sample into the store (blocking: it stores receipt photos)."""
    return load_sample(ctx.store, ctx.blobs, sample_today(ctx.now()))


def first_run(ctx: AppContext, on_ready: Callable[[str], None]) -> ft.Control:
    """The welcome screen with both ways to start; ``on_ready(production_id)`` after."""
    progress = ft.ProgressRing(visible=False, width=28, height=28)

    async def load(_: ft.Event[ft.FilledButton]) -> None:
        sample_button.disabled = create_button.disabled = True
        progress.visible = True
        ctx.page.update()
        try:
            production_id = await ctx.off_loop(load_sample_production, ctx)
        except (SampleError, ValueError, OSError) as exc:
            show_error(ctx.page, str(exc))
            sample_button.disabled = create_button.disabled = False
            progress.visible = False
            return
        on_ready(production_id)

    def create(_: ft.Event[ft.OutlinedButton]) -> None:
        open_production_form(ctx, on_created=on_ready)

    sample_button = ft.FilledButton(
        content=LOAD_SAMPLE, icon=ft.Icons.MOVIE_FILTER, on_click=load, height=52
    )
    create_button = ft.OutlinedButton(content=CREATE, icon=ft.Icons.ADD, on_click=create, height=52)
    join_button = ft.TextButton(
        content=JOIN, icon=ft.Icons.GROUP_ADD_OUTLINED, on_click=lambda _: open_pairing(ctx),
        height=52,
    )
    return full_screen_panel(
        ft.Icons.MOVIE_CREATION_OUTLINED, ft.Colors.PRIMARY, "Welcome to Crewkit",
        "Schedule, checklists, gear and expenses for your crew, on this device and offline. "
        "Try it with a sample short-film shoot, set up your own production, or join your "
        "crew's with the invite link your coordinator sent.",
        body_color=ft.Colors.ON_SURFACE_VARIANT,
        actions=[sample_button, create_button, join_button,
                 ft.Row([progress], alignment=ft.MainAxisAlignment.CENTER)],
    )  # fmt: skip
