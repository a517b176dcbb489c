"""The OCR engine on real receipts and on images it cannot read."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from app.receipts import engine
from app.receipts.engine import COULD_NOT_READ, load_engine, read_receipt, read_receipt_sync

RECEIPTS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "receipts"


async def test_a_bad_image_is_a_clear_could_not_read() -> None:
    reading = await read_receipt(b"not an image at all", currency="EUR")
    assert reading.error == COULD_NOT_READ
    assert reading.total_minor is None


async def test_a_real_receipt_gives_lines_with_boxes_and_proposals() -> None:
    image = sorted(RECEIPTS.glob("*.jpg"))[0].read_bytes()
    reading = await read_receipt(image, currency="MYR")
    assert reading.error is None
    assert reading.lines and all(line.box[2] > line.box[0] for line in reading.lines)
    assert reading.spent_on is not None


def test_the_models_ship_with_the_install_no_network_needed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*_: object, **__: object) -> None:
        raise AssertionError("receipt reading tried to reach the network")

    load_engine.cache_clear()
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    image = sorted(RECEIPTS.glob("*.jpg"))[0].read_bytes()
    reading = read_receipt_sync(image, currency="MYR")
    assert reading.error is None and reading.total_minor is not None



def test_a_date_cut_off_beside_the_time_is_read_by_a_closer_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The detector boxes this receipt's "30/04/2017 13:29:56" as "42017 13:29:56".
    image = (RECEIPTS / "X51006387973.jpg").read_bytes()
    assert read_receipt_sync(image, currency="MYR").spent_on.value == dt.date(2017, 4, 30)
    monkeypatch.setattr(engine, "_closer_look", lambda _pixels, line: line)
    assert read_receipt_sync(image, currency="MYR").spent_on is None


def test_a_receipt_with_a_date_gets_no_second_look(monkeypatch: pytest.MonkeyPatch) -> None:
    looked: list[str] = []
    closer_look = engine._closer_look
    monkeypatch.setattr(engine, "_closer_look",
                        lambda pixels, line: looked.append(line.text) or closer_look(pixels, line))
    image = (RECEIPTS / "X51005230657.jpg").read_bytes()
    assert read_receipt_sync(image, currency="MYR").spent_on.value == dt.date(2017, 12, 31)
    assert looked == []
