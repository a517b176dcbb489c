from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.cart import CheckoutCart, ReturnCart
from app.custody import CustodyError, custody_of, history
from app.custody_actions import check_out
from app.equipment import code_for, create_item, set_flag
from app.store import Store

T0 = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)


def add(store: Store, name: str, **fields: Any) -> str:
    return create_item(store, name=name, currency="GBP", **fields)


def test_scanning_builds_a_cart_and_one_confirm_checks_it_all_out(store: Store) -> None:
    case = add(store, "Sound bag")
    mixer, mic = add(store, "Mixer", kit_id=case), add(store, "Boom mic", kit_id=case)
    taken = add(store, "Lav kit", kit_id=case)
    check_out(store, taken, "ana", at=T0)
    loose = add(store, "Timecode box", code="TC-01")
    commits: list[object] = []
    store.subscribe(commits.append)
    cart = CheckoutCart(store, "ben", due_at=T0 + timedelta(hours=12), production_id="p1")

    first = cart.scan(code_for(case))
    again = cart.scan(code_for(mixer) + "\n")
    label = cart.scan("TC-01")
    unknown = cart.scan("NOT-OURS-99")

    assert first.added == [case, mixer, mic]
    assert [(c.item_id, c.status, c.holder_id) for c in first.refused] == [(taken, "out", "ana")]
    assert again.added == [] and again.duplicates == [mixer]
    assert label.added == [loose]
    assert unknown.unknown and unknown.code == "NOT-OURS-99" and not unknown.added
    assert commits == []  # scanning writes nothing

    events = cart.confirm(at=T0 + timedelta(minutes=1))

    assert len(events) == 4 and len(commits) == 1
    for item_id in (case, mixer, mic, loose):
        state = custody_of(store, item_id)
        assert state.holder_id == "ben" and state.due_at is not None
        assert datetime.fromisoformat(state.due_at) == T0 + timedelta(hours=12)
        assert history(store, item_id)[-1]["production_id"] == "p1"
    assert custody_of(store, taken).holder_id == "ana"
    assert cart.item_ids == []


def test_flagged_items_are_refused_with_their_status(store: Store) -> None:
    broken = add(store, "Broken light")
    set_flag(store, broken, "repair")
    cart = CheckoutCart(store, "ben")
    result = cart.scan(code_for(broken))
    assert [c.status for c in result.refused] == ["repair"] and cart.item_ids == []


def test_confirm_refuses_everything_if_an_item_was_taken_meanwhile(store: Store) -> None:
    a, b = add(store, "Camera A"), add(store, "Camera B")
    cart = CheckoutCart(store, "ben")
    cart.scan(code_for(a))
    cart.scan(code_for(b))
    check_out(store, b, "ana", at=T0)  # e.g. merged in from another device

    with pytest.raises(CustodyError, match="Camera B"):
        cart.confirm(at=T0)

    assert custody_of(store, a).status == "available"
    assert cart.item_ids == [a, b]
    cart.remove(b)
    cart.confirm(at=T0)
    assert custody_of(store, a).holder_id == "ben"


def test_an_empty_cart_cannot_be_confirmed(store: Store) -> None:
    with pytest.raises(CustodyError, match="empty"):
        CheckoutCart(store, "ben").confirm(at=T0)
    with pytest.raises(CustodyError, match="empty"):
        ReturnCart(store).confirm(at=T0)


def test_return_cart_records_condition_per_item_and_damage(store: Store) -> None:
    case = add(store, "Grip case")
    clamp, arm = add(store, "Clamp", kit_id=case), add(store, "Magic arm", kit_id=case)
    never_out = add(store, "Sandbag")
    check_out(store, case, "cat", at=T0)
    cart = ReturnCart(store)

    scanned = cart.scan(code_for(case))
    stray = cart.scan(code_for(never_out))
    cart.set_condition(clamp, "damaged", note="thread stripped", flag_repair=True)
    cart.set_condition(arm, "worn", note="stiff knuckle")
    cart.set_condition(arm, "worn", note="stiff knuckle, oiled")

    assert scanned.added == [case, clamp, arm]
    assert [c.item_id for c in stray.refused] == [never_out]
    with pytest.raises(CustodyError, match="Scan the item"):
        cart.set_condition(never_out, "good")

    cart.confirm(at=T0 + timedelta(hours=9))

    assert custody_of(store, case).status == "available"
    assert custody_of(store, arm).status == "available"
    assert custody_of(store, clamp).status == "repair"
    clamp_log = history(store, clamp)
    assert [e["action"] for e in clamp_log] == ["check_out", "check_in", "damage"]
    assert clamp_log[-1]["note"] == "thread stripped"
    arm_in = history(store, arm)[-1]
    assert (arm_in["condition"], arm_in["note"], arm_in["person_id"]) == (
        "worn",
        "stiff knuckle, oiled",
        "cat",
    )
    assert history(store, case)[-1]["condition"] == "good"


def test_a_bad_condition_stores_nothing(store: Store) -> None:
    item = add(store, "Slider")
    check_out(store, item, "dan", at=T0)
    cart = ReturnCart(store)
    cart.scan(code_for(item))
    cart.set_condition(item, "shattered")
    with pytest.raises(CustodyError, match="not a condition"):
        cart.confirm(at=T0)
    assert custody_of(store, item).holder_id == "dan"
    assert cart.item_ids == [item]
