"""The date order a production's receipts are printed in, from where it shoots."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Zones of the United States and its territories, where receipts print month first.
_MONTH_FIRST_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Phoenix", "America/Anchorage", "America/Juneau", "America/Sitka",
    "America/Nome", "America/Yakutat", "America/Metlakatla", "America/Adak",
    "America/Boise", "America/Detroit", "America/Menominee", "America/Indiana/",
    "America/Kentucky/", "America/North_Dakota/", "America/Puerto_Rico",
    "Pacific/Honolulu", "Pacific/Guam", "Pacific/Pago_Pago", "US/",
)


def day_first(production: Mapping[str, Any]) -> bool:
    """Whether "03/04" on this production's receipts is 3 April (most of the world)."""
    zone = str(production.get("timezone") or "")
    return not zone.startswith(_MONTH_FIRST_ZONES)
