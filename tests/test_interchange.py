from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.csv_rows import RowError, read_csv
from app.custody_actions import check_out
from app.equipment import ItemScan, KitScan, create_item, find_by_code, resolve_code
from app.interchange import (
    EQUIPMENT_COLUMNS,
    export_equipment_csv,
    import_crew_csv,
    import_equipment_csv,
)
from app.models import insert_record
from app.store import Store

SNIPE_IT = (
    "Asset Tag,Name,Model,Model No.,Category,Manufacturer,Serial,Purchased,Purchase Cost,"
    "Order Number,Supplier,Location,Default Location,Status,Checked Out To,Notes\r\n"
    'A-0001,FX6 body A,ILME-FX6V,FX6,Cameras,Sony,S-991,2024-03-01,"6,499.00",PO-7,'
    "CVP,Stage 2,Cage,Ready to Deploy,,Main body\r\n"
    'A-0002,,SM58,SM58,Microphones,Shure,SN-58,2022-01-10,"99.50",,Thomann,,,Broken,,\r\n'
    "A-0003,Old monitor,PVM,,Monitors,Sony,,,0,,,,,Archived,,\r\n"
    "A-0004,Lav 3,ME2,,Audio,Sennheiser,,,120,,,,,Lost/Stolen,Ana,\r\n"
    "A-0005,Haze,MDG,,FX,MDG,,,1200,,,,,In Calibration,,\r\n"
)


def snapshot(store: Store) -> dict[str, list[dict[str, object]]]:
    return {coll: store.all(coll) for coll in ("equipment", "people", "custody_events")}


def by_name(store: Store) -> dict[str, dict[str, object]]:
    return {str(item["name"]): item for item in store.all("equipment")}


def test_snipe_it_asset_export_maps_to_items_with_claimed_tags(store: Store) -> None:
    report = import_equipment_csv(store, b"\xef\xbb\xbf" + SNIPE_IT.encode(), currency="EUR")

    assert report.ok and (report.created, report.updated) == (5, 0)
    items = by_name(store)
    fx6 = items["FX6 body A"]
    assert (fx6["code"], fx6["category"], fx6["serial"]) == ("A-0001", "Cameras", "S-991")
    assert (fx6["value_minor"], fx6["currency"], fx6["flag"]) == (649_900, "EUR", "none")
    assert fx6["notes"] == "Main body\nLocation: Stage 2"
    assert items["Shure SM58"]["flag"] == "repair"  # unnamed asset: manufacturer + model
    assert items["Shure SM58"]["value_minor"] == 9_950
    assert items["Old monitor"]["flag"] == "retired"
    assert items["Lav 3"]["flag"] == "missing"
    assert (items["Haze"]["flag"], items["Haze"]["notes"]) == ("none", "Status: In Calibration")
    scan = resolve_code(store, "A-0002")
    assert isinstance(scan, ItemScan) and scan.item["name"] == "Shure SM58"


def test_semicolon_file_with_our_columns_european_amounts_and_kits(store: Store) -> None:
    text = (
        "Code;Name;Category;Value;Currency;Kit;Flag\n"
        'L-1;35mm prime;Lenses;"1.234,50";EUR;C-1;none\n'
        "C-1;Lens case;Cases;80;EUR;CART;\n"
        "CART;Camera cart;Carts;1 500,00;EUR;;\n"
        "K-1;Dimmer;Lighting;12.345;KWD;;repair\n"
    )
    report = import_equipment_csv(store, text, currency="GBP")

    assert report.ok, report.errors
    items = by_name(store)
    assert items["35mm prime"]["value_minor"] == 123_450
    assert items["Camera cart"]["value_minor"] == 150_000
    assert (items["Dimmer"]["value_minor"], items["Dimmer"]["currency"]) == (12_345, "KWD")
    assert items["Dimmer"]["flag"] == "repair"
    scan = resolve_code(store, "CART")
    assert isinstance(scan, KitScan)
    assert {i["name"] for i in scan.contents} == {"Lens case", "35mm prime"}


def test_export_then_import_round_trips_and_shows_custody(tmp_path: Path, store: Store) -> None:
    case = create_item(store, name="Audio case", currency="USD", value_minor=12_000)
    mixer = create_item(store, name="Mixer, 8ch", currency="USD", value_minor=123_456, kit_id=case)
    create_item(store, name='Cable "XLR"', currency="JPY", value_minor=1200, flag="missing")
    ana = insert_ana(store)
    check_out(store, mixer, ana, at=datetime(2026, 5, 1, 9, tzinfo=UTC))

    exported = export_equipment_csv(store)
    header, *lines = exported.splitlines()
    assert header == ",".join(EQUIPMENT_COLUMNS)
    mixer_line = next(line for line in lines if "Mixer" in line)
    assert '"Mixer, 8ch"' in mixer_line and "1234.56" in mixer_line
    assert ",out,Ana Ribeiro," in mixer_line
    assert "1200,JPY" in exported

    copy = Store.open(tmp_path / "copy")
    report = import_equipment_csv(copy, exported, currency="EUR")

    assert report.ok and report.created == 3
    fields = ("code", "category", "serial", "value_minor", "currency", "flag", "notes")
    originals, copies = by_name(store), by_name(copy)
    assert originals.keys() == copies.keys()
    for name, item in originals.items():
        assert {f: item[f] for f in fields} == {f: copies[name][f] for f in fields}
    assert copies["Mixer, 8ch"]["kit_id"] == copies["Audio case"]["id"]
    assert copy.all("custody_events") == []  # custody is history, not importable state


def insert_ana(store: Store) -> str:
    with store.transaction() as tx:
        return insert_record(tx, "people", {"name": "Ana Ribeiro", "production_id": "p1"})


def test_importing_the_same_file_again_changes_nothing(store: Store) -> None:
    assert import_equipment_csv(store, SNIPE_IT, currency="EUR").ok
    before = snapshot(store)

    again = import_equipment_csv(store, SNIPE_IT, currency="EUR")

    assert (again.created, again.updated) == (0, 5)
    assert snapshot(store) == before


def test_any_bad_row_imports_nothing_and_every_problem_is_reported(store: Store) -> None:
    existing = create_item(store, name="Keep me", currency="EUR", code="X-1")
    before = snapshot(store)
    text = (
        "code,name,value,currency,kit\n"
        "OK-1,Fine item,10,EUR,\n"
        "BAD-1,Bad money,12.3.4,EUR,\n"
        "BAD-2,Bad currency,10,EURO,\n"
        "BAD-3,   ,10,EUR,\n"
        "OK-1,Repeated code,10,EUR,\n"
        "BAD-4,Lost kit,10,EUR,NOWHERE\n"
        "CY-1,Cycle one,1,EUR,CY-2\n"
        "CY-2,Cycle two,1,EUR,CY-1\n"
        "X-1,Keep me renamed,-5,EUR,\n"
    )

    report = import_equipment_csv(store, text, currency="EUR")

    assert not report.ok and report.created == report.updated == 0
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "value"),
        (4, "currency"),
        (5, "name"),
        (6, "code"),
        (7, "kit"),
        (9, "kit_id"),
        (10, "value"),
    ]
    assert "12.3.4" in report.errors[0].message
    assert snapshot(store) == before
    assert find_by_code(store, "X-1")["id"] == existing  # type: ignore[index]


def test_a_file_without_a_name_column_is_refused(store: Store) -> None:
    report = import_equipment_csv(store, "code,serial\nA,B\n", currency="EUR")
    assert report.errors == [RowError(1, "name", "No Name or Model column found.")]


def test_windows_encoding_quoted_newlines_and_blank_lines() -> None:
    data = '\r\nName;Notes;Other\r\n\r\nCaf\xe9 cart;"two\nlines";x\r\nTripod;\r\n'
    aliases = {"name": "name", "notes": "notes"}
    columns, rows = read_csv(data.encode("cp1252"), aliases)
    assert columns == {"name", "notes"}
    assert rows == [(5, {"name": "Café cart", "notes": "two\nlines"}), (6, {"name": "Tripod"})]


CREW = (
    "\ufeffFull Name;Position;Dept;Mobile;E-mail\n"
    "Ana Ribeiro;Gaffer;Lighting;+351 912 000 001;ana@example.pt\n"
    "Ben Okafor;Sound mixer;Sound;;ben@example.com\n"
    "Cat Lee;Runner;Production;;\n"
)


def test_crew_list_import_with_aliases_and_update_on_reimport(store: Store) -> None:
    with store.transaction() as tx:
        insert_record(tx, "people", {"name": "Ana Ribeiro", "production_id": "other"})

    report = import_crew_csv(store, CREW, production_id="p1")

    assert report.ok and report.created == 3
    crew = {p["name"]: p for p in store.all("people") if p["production_id"] == "p1"}
    assert crew["Ana Ribeiro"]["role"] == "Gaffer"
    assert crew["Ana Ribeiro"]["phone"] == "+351 912 000 001"
    assert (crew["Ben Okafor"]["department"], crew["Ben Okafor"]["email"]) == (
        "Sound",
        "ben@example.com",
    )

    revised = CREW.replace("Runner", "2nd AD").replace("Ben Okafor", "Benjamin Okafor")
    again = import_crew_csv(store, revised, production_id="p1")

    assert (again.created, again.updated) == (0, 3)
    crew = {p["name"]: p for p in store.all("people") if p["production_id"] == "p1"}
    assert crew["Cat Lee"]["role"] == "2nd AD"
    assert "Benjamin Okafor" in crew and len(crew) == 3  # matched by email
    assert len(store.all("people")) == 4


def test_crew_list_with_errors_imports_nothing(store: Store) -> None:
    text = "name,email\nAna,ana@example.pt\n,nobody@example.com\nBen,not-an-email\nana,\n"

    report = import_crew_csv(store, text, production_id="p1")

    assert [(e.line, e.field) for e in report.errors] == [(3, "name"), (4, "email"), (5, "name")]
    assert store.all("people") == []
    missing = import_crew_csv(store, "role,email\nGaffer,a@b.co\n", production_id="p1")
    assert missing.errors[0].line == 1 and store.all("people") == []
