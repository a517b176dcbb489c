from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.store.indexes import instant_key

OFFSETS = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-7))])
PRECISION = st.sampled_from(["seconds", "milliseconds", "microseconds"])
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@given(MOMENTS, MOMENTS, OFFSETS, OFFSETS, PRECISION, PRECISION)
def test_instant_keys_sort_like_the_instants_they_name(
    a: datetime, b: datetime, za: timezone, zb: timezone, pa: str, pb: str
) -> None:
    ta = a.replace(tzinfo=za).isoformat(timespec=pa)
    tb = b.replace(tzinfo=zb).isoformat(timespec=pb)
    ia, ib = datetime.fromisoformat(ta), datetime.fromisoformat(tb)
    ka, kb = instant_key(ta), instant_key(tb)
    assert ka is not None and kb is not None
    assert (ka < kb, ka == kb) == (ia < ib, ia == ib)


def test_unreadable_or_naive_times_have_no_key() -> None:
    assert instant_key("2026-11-28T09:00:00") is None
    assert instant_key("yesterday") is None
    assert instant_key(None) is None
