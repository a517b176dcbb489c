from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.equipment import (
    ItemScan,
    KitScan,
    UnknownCode,
    claim_label,
    code_for,
    create_item,
    find_by_code,
    items,
    kit_contents,
    label_sheet,
    resolve_code,
    set_flag,
    short_code,
    update_item,
    with_contents,
)
from app.models import ValidationError
from app.store import Store


def add(store: Store, name: str, **fields: object) -> str:
    return create_item(store, name=name, currency="EUR", **fields)


def test_new_item_gets_a_payload_naming_its_record_that_survives_a_rename(store: Store) -> None:
    item_id = add(store, "Sony FX6", category="Camera", serial="S01", value_minor=650_000)
    item = store.get("equipment", item_id)
    assert item is not None
    assert item["code"] == f"crewkit:eq:{item_id}" == code_for(item_id)
    assert item["flag"] == "none"

    update_item(store, item_id, name="FX6 body A")

    renamed = store.get("equipment", item_id)
    assert renamed is not None and renamed["code"] == item["code"]
    scan = resolve_code(store, f"  {item['code']}\r\n")
    assert isinstance(scan, ItemScan)
    assert scan.item["name"] == "FX6 body A"


def test_a_case_resolves_to_its_kit_with_nested_contents(store: Store) -> None:
    cart = add(store, "Camera cart")
    lens_case = add(store, "Lens case", kit_id=cart)
    lens = add(store, "35mm prime", kit_id=lens_case)
    monitor = add(store, "Monitor", kit_id=cart)
    add(store, "Unrelated tripod")

    scan = resolve_code(store, code_for(cart))

    assert isinstance(scan, KitScan)
    assert scan.case["id"] == cart
    assert {item["id"] for item in scan.contents} == {lens_case, lens, monitor}
    assert with_contents(store, lens_case) == [lens_case, lens]
    assert isinstance(resolve_code(store, code_for(lens)), ItemScan)


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_a_kit_cannot_contain_itself_at_any_depth(store: Store, depth: int) -> None:
    top = add(store, "Top case")
    chain = [top]
    for level in range(depth):
        chain.append(add(store, f"Level {level}", kit_id=chain[-1]))
    before = store.get("equipment", top)

    with pytest.raises(ValidationError) as error:
        update_item(store, top, kit_id=chain[-1])

    assert error.value.field == "kit_id"
    assert store.get("equipment", top) == before


def test_a_kit_must_exist(store: Store) -> None:
    with pytest.raises(ValidationError, match="no case"):
        add(store, "Orphan", kit_id="0190f0f0-0000-7000-8000-000000000000")
    assert store.all("equipment") == []


def test_merged_kit_cycle_does_not_hang_contents(store: Store) -> None:
    a, b = add(store, "A"), add(store, "B")
    with store.transaction() as tx:  # what two devices' merged edits can produce
        tx.update("equipment", a, {"kit_id": b})
        tx.update("equipment", b, {"kit_id": a})
    assert [item["id"] for item in kit_contents(store, a)] == [b]


def test_unknown_code_can_be_claimed_for_a_new_item(store: Store) -> None:
    scan = resolve_code(store, "ASSET-0042\n")
    assert scan == UnknownCode("ASSET-0042")

    item_id = add(store, "Wireless kit", code="ASSET-0042")

    found = resolve_code(store, "ASSET-0042")
    assert isinstance(found, ItemScan) and found.item["id"] == item_id
    assert find_by_code(store, code_for(item_id)) == found.item


def test_unknown_code_can_be_claimed_for_an_existing_item(store: Store) -> None:
    item_id = add(store, "Boom pole")
    claim_label(store, "LBL-7", item_id)

    assert find_by_code(store, "LBL-7")["id"] == item_id  # type: ignore[index]
    assert find_by_code(store, code_for(item_id))["id"] == item_id  # type: ignore[index]
    claim_label(store, "LBL-8", item_id)
    assert find_by_code(store, "LBL-7") is None
    assert find_by_code(store, "LBL-8")["id"] == item_id  # type: ignore[index]


@pytest.mark.parametrize("taken", ["own-label", "own-payload"])
def test_a_code_already_in_use_cannot_be_claimed(store: Store, taken: str) -> None:
    first = add(store, "First", code="TAG-1")
    second = add(store, "Second")
    code = "TAG-1" if taken == "own-label" else code_for(first)

    with pytest.raises(ValidationError, match="already on 'First'"):
        claim_label(store, code, second)
    with pytest.raises(ValidationError, match="already on 'First'"):
        add(store, "Third", code=code)

    assert [i["name"] for i in items(store)] == ["First", "Second"]
    assert store.get("equipment", second)["code"] == code_for(second)  # type: ignore[index]


def test_blank_labels_and_unknown_items_are_refused(store: Store) -> None:
    item_id = add(store, "Slate")
    with pytest.raises(ValidationError):
        claim_label(store, "   ", item_id)
    with pytest.raises(ValidationError, match="no equipment item"):
        claim_label(store, "TAG", "missing-id")
    assert resolve_code(store, "") == UnknownCode("")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"currency": "EURO"}, "currency"),
        ({"value_minor": -1}, "value_minor"),
        ({"flag": "stolen"}, "flag"),
        ({"code": "NEW"}, "code"),
    ],
)
def test_bad_edits_store_nothing(store: Store, changes: dict[str, object], field: str) -> None:
    item_id = add(store, "Dolly", value_minor=100)
    before = store.get("equipment", item_id)

    with pytest.raises(ValidationError) as error:
        update_item(store, item_id, **changes)

    assert error.value.field == field
    assert store.get("equipment", item_id) == before


def test_flags(store: Store) -> None:
    item_id = add(store, "Haze machine")
    set_flag(store, item_id, "retired")
    assert store.get("equipment", item_id)["flag"] == "retired"  # type: ignore[index]


def test_short_code_is_printed_and_can_be_typed_instead_of_scanned(store: Store) -> None:
    own = add(store, "Follow focus")
    claimed = add(store, "Wireless TX", code="SNIPE-0042")
    own_short = short_code(store.get("equipment", own))  # type: ignore[arg-type]

    assert own_short == own.replace("-", "")[-6:].upper()
    assert short_code(store.get("equipment", claimed)) == "SNIPE-0042"  # type: ignore[arg-type]
    assert find_by_code(store, own_short.lower())["id"] == own  # type: ignore[index]


def test_label_sheet_prints_name_and_short_code_of_each_item(store: Store) -> None:
    ids = [add(store, f"Stand {n}") for n in range(3)]
    ids.append(add(store, "Tagged", code="T-9"))

    pdf = PdfReader(io.BytesIO(label_sheet(store, ids, "avery-5160")))

    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for item_id in ids:
        item = store.get("equipment", item_id)
        assert item is not None
        assert item["name"] in text and short_code(item) in text
