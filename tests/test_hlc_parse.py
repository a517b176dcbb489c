"""HLC stamps are read as ASCII digits in their fixed widths, nothing else."""

from __future__ import annotations

import pytest

from app.hlc import HybridClock, Stamp

GOOD = "000001700000000:000003:dev-a"
ARABIC_INDIC_ZERO, FULL_WIDTH_ZERO, DEVANAGARI_ZERO = 0x0660, 0xFF10, 0x0966


def in_script(text: str, zero: int) -> str:
    """The same text with its ASCII digits written in another script's digits."""
    return text.translate({ord("0") + d: zero + d for d in range(10)})


def test_a_well_formed_stamp_reads_back_as_written() -> None:
    stamp = Stamp.parse(GOOD)
    assert (stamp.physical_ms, stamp.counter, stamp.node_id) == (1_700_000_000, 3, "dev-a")
    assert str(stamp) == GOOD


@pytest.mark.parametrize(
    "text",
    [
        "",
        in_script(GOOD, ARABIC_INDIC_ZERO),
        in_script(GOOD, FULL_WIDTH_ZERO),
        "000001700000000:" + in_script("000003", FULL_WIDTH_ZERO) + ":dev-a",
        in_script("999999999999999", DEVANAGARI_ZERO) + ":000003:dev-a",
        "00000170000000\u00b2:000003:dev-a",
        "000001700000000:000003:",
        "00000170000000:000003:dev-a",
        "+00001700000000:000003:dev-a",
        " 00001700000000:000003:dev-a",
    ],
)
def test_non_ascii_or_misshapen_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an HLC stamp"):
        Stamp.parse(text)


def test_the_clock_refuses_to_absorb_a_non_ascii_stamp() -> None:
    clock = HybridClock("dev-b", now=lambda: 1000)
    before = clock.last
    with pytest.raises(ValueError, match="not an HLC stamp"):
        clock.observe(in_script("999999999999999:000000:dev-a", FULL_WIDTH_ZERO))
    assert clock.last == before
