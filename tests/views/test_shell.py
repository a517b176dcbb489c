"""The shell, its shared widgets, and the view-test harness they are tested with."""

from __future__ import annotations

import flet as ft
import pytest

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
