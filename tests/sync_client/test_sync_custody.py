"""Two offline phones check the same camera out to two people: after sync, every device
(including a third that never saw either check-out happen) shows one custody conflict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.custody import conflicts, custody_of
from app.custody_actions import check_out
from app.equipment import create_item

from .conftest import World


async def test_competing_offline_check_outs_surface_a_conflict_everywhere(world: World) -> None:
    gear_room, ana, ben = [await world.paired_device() for _ in range(3)]
    camera = create_item(gear_room.store, name="Arri Alexa Mini", category="camera",
                         value_minor=4_500_000, currency="EUR")
    await gear_room.engine.sync_once()
    for phone in (ana, ben):
        await phone.engine.sync_once()
        assert custody_of(phone.store, camera).status == "available"

    morning = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    for phone in (ana, ben):
        phone.network.choose = lambda request: "offline"  # no signal on location
    check_out(ana.store, camera, "person-ana", at=morning)
    check_out(ben.store, camera, "person-ben", at=morning + timedelta(minutes=3))
    for phone in (ana, ben):
        assert conflicts(phone.store) == []  # each phone alone sees a clean check-out
        assert (await phone.engine.sync_once()).pending == 1

    for phone in (ana, ben):
        phone.network.choose = lambda request: "pass"
    for device in (ana, ben, gear_room, ana):
        await device.engine.sync_once()

    for device in (gear_room, ana, ben):
        [conflict] = conflicts(device.store)
        assert conflict.item_id == camera
        people = [event["person_id"] for event in conflict.competing]
        assert people == ["person-ana", "person-ben"]
        assert custody_of(device.store, camera).holder_id == "person-ben"
