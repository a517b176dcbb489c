"""More → Crew directory and Locations on a production made in the app: add, edit,
import, remove, and the empty states that say how."""

from __future__ import annotations

import flet as ft
import pytest

from app.custody import all_custody
from app.custody_actions import check_in, check_out
from app.equipment import create_item
from app.productions import create_production, list_locations, list_people
from app.removal import remove_person
from views.capture import PICKER_KEY
from views.expenses.listing import production_names
from views.more.crew import CREW_DEVICE_NOTE
from views.more.screen import more_screen

from .conftest import NOW

CREW_CSV = (
    b"Name,Role,Department,Phone,Email\n"
    b"Rita Moreno,Gaffer,Lighting,+351 912 000 111,rita@example.com\n"
    b"Tom Baker,Sound mixer,Sound,,tom@@example\n"
    b",Runner,Production,,\n"
)


class FakePicker:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    async def pick_files(self, **_: object) -> list[ft.FilePickerFile]:
        return [ft.FilePickerFile(id=1, name=self.name, size=len(self.data), bytes=self.data)]


@pytest.fixture
def fresh(empty_ctx):
    empty_ctx.production_id = create_production(
        empty_ctx.store, name="Night Market Promo", starts_on="2025-06-10",
        ends_on="2025-06-12", timezone="Europe/Lisbon", currency="EUR",
    )  # fmt: skip
    return empty_ctx


async def open_section(ui, ctx, title: str) -> ft.Control:
    root = ui.mount(more_screen(ctx))
    await ui.click(ui.find(root, ft.ListTile, title))
    return root


async def fill_form(ui, values: dict[str, str], button: str = "Save") -> None:
    dialog = ui.dialog()
    for label, text in values.items():
        await ui.type_into(ui.find(dialog, ft.TextField, label), text)
    await ui.click(ui.find(dialog, ft.Button, button))


async def test_an_empty_crew_says_how_to_fill_it_and_a_person_is_added(fresh, empty_ui) -> None:
    ui = empty_ui
    root = await open_section(ui, fresh, "Crew directory")
    assert any("import a crew list" in t for t in ui.texts(root))
    assert not any("Data export" in t for t in ui.texts(root))

    await ui.click(ui.find(root, ft.FilledButton, "Add person"))
    await fill_form(ui, {"Name": "Ana Silva", "Role": "Gaffer", "Email": "ana@"})
    email = ui.find(ui.dialog(), ft.TextField, "Email")
    assert "does not look like an email address" in email.error
    assert list_people(fresh.store, fresh.production_id) == []

    await fill_form(ui, {"Email": "ana@example.com"})
    assert ui.dialogs() == [] or not any(isinstance(d, ft.AlertDialog) for d in ui.dialogs())
    [ana] = list_people(fresh.store, fresh.production_id)
    assert (ana["name"], ana["role"], ana["email"]) == ("Ana Silva", "Gaffer", "ana@example.com")
    assert "Ana Silva" in [t.title.value for t in ui.find_all(root, ft.ListTile)]
    assert "Added to the crew." in ui.snackbars()


async def test_a_crew_list_with_a_bad_row_stores_nothing_and_says_which_lines(
    fresh, empty_ui
) -> None:
    ui = empty_ui
    root = await open_section(ui, fresh, "Crew directory")
    fresh.extras[PICKER_KEY] = FakePicker("crew.csv", CREW_CSV)
    await ui.click(ui.find(root, ft.OutlinedButton, "Import crew list"))
    report = ui.texts(ui.dialog())
    assert "Nothing was imported: 2 lines need fixing first." in report
    assert any(t.startswith("Line 3:") and "email address" in t for t in report)
    assert any(t.startswith("Line 4:") and "name is required" in t for t in report)
    assert list_people(fresh.store, fresh.production_id) == []

    fixed = b"Name,Role,Department,Phone,Email\nRita Moreno,Gaffer,Lighting,,\nTom Baker,,,,\n"
    fresh.extras[PICKER_KEY] = FakePicker("crew.csv", fixed)
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "OK"))
    await ui.click(ui.find(root, ft.OutlinedButton, "Import crew list"))
    assert "Crew list imported: 2 added." in ui.texts(ui.dialog())
    names = [t.title.value for t in ui.find_all(root, ft.ListTile)]
    assert sorted(names) == ["Rita Moreno", "Tom Baker"]


async def test_editing_and_removing_someone_who_holds_gear(fresh, empty_ui) -> None:
    ui = empty_ui
    store, production = fresh.store, fresh.production_id
    root = await open_section(ui, fresh, "Crew directory")
    await ui.click(ui.find(root, ft.FilledButton, "Add person"))
    await fill_form(ui, {"Name": "Ben Okafor"})
    [ben] = list_people(store, production)
    camera = create_item(store, name="Camera A", currency="EUR")
    check_out(store, camera, ben["id"], at=NOW, production_id=production)

    await ui.click(ui.find(root, ft.ListTile, "Ben Okafor"))
    await fill_form(ui, {"Role": "1st AC"})
    assert list_people(store, production)[0]["role"] == "1st AC"

    await ui.click(ui.find(root, ft.ListTile, "Ben Okafor"))
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "Remove"))
    assert "Remove Ben Okafor?" in ui.texts(ui.dialog())
    await ui.click(ui.find(ui.dialog(), ft.Button, "Yes, remove"))
    assert any("still has 1 item (Camera A)" in t for t in ui.texts(ui.dialog()))
    assert len(list_people(store, production)) == 1

    check_in(store, camera, at=NOW)
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "Remove"))
    await ui.click(ui.find(ui.dialog(), ft.Button, "Yes, remove"))
    assert list_people(store, production) == []
    assert "Ben Okafor is off the crew list, and still named in 2 gear records." in ui.snackbars()
    assert any("No crew yet" in t for t in ui.texts(root))


async def test_locations_are_added_edited_and_removed(fresh, empty_ui) -> None:
    ui = empty_ui
    store, production = fresh.store, fresh.production_id
    root = await open_section(ui, fresh, "Locations")
    assert any("Add the stages" in t for t in ui.texts(root))
    assert not any("Add them to schedule items" in t for t in ui.texts(root))

    await ui.click(ui.find(root, ft.FilledButton, "Add location"))
    await fill_form(ui, {"Name": "Stage 2", "Address": "Rua da Fábrica 12, Lisboa"})
    assert [loc["name"] for loc in list_locations(store, production)] == ["Stage 2"]
    assert "Rua da Fábrica 12, Lisboa" in ui.texts(root)
    assert ui.find_all(root, ft.TextButton, "Open map")

    await ui.click(ui.find(root, ft.TextButton, "Edit"))
    await fill_form(ui, {"Notes": "Parking behind the loading dock"})
    assert list_locations(store, production)[0]["notes"] == "Parking behind the loading dock"

    await ui.click(ui.find(root, ft.TextButton, "Edit"))
    await ui.click(ui.find(ui.dialog(), ft.TextButton, "Remove"))
    await ui.click(ui.find(ui.dialog(), ft.Button, "Yes, remove"))
    assert list_locations(store, production, include_removed=True) == []
    assert "Removed Stage 2." in ui.snackbars()


def test_expenses_still_name_a_payer_taken_off_the_crew(ctx) -> None:
    held = {s.holder_id for s in all_custody(ctx.store).values() if s.holder_id}
    expense = next(
        e for e in ctx.store.all("expenses") if e["paid_by"] and e["paid_by"] not in held
    )
    payer = ctx.store.get("people", expense["paid_by"])
    assert remove_person(ctx.store, payer["id"]).kept
    names = production_names(ctx.store, ctx.production_id)
    assert names.person(payer["id"]) == payer["name"]
    assert payer["id"] not in names.people  # not offered as "Paid by" any more


async def test_a_crew_device_sees_the_crew_but_does_not_change_it(ctx, ui) -> None:
    with ctx.store.transaction() as tx:  # what pairing with a crew invite stores
        for key, value in (("sync.server", "http://hub.local"), ("sync.token", "t"),
                           ("sync.team_id", "team"), ("sync.role", "crew")):  # fmt: skip
            tx.set_meta(key, value)
    root = await open_section(ui, ctx, "Crew directory")
    assert CREW_DEVICE_NOTE in ui.texts(root)
    assert not ui.find_all(root, ft.FilledButton, "Add person")
    assert not ui.find_all(root, ft.OutlinedButton, "Import crew list")
    assert all(tile.on_click is None for tile in ui.find_all(root, ft.ListTile))
