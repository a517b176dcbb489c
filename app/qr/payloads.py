"""What a scanned payload means: one of our equipment labels, or someone else's code.

Crewkit labels carry ``crewkit:eq:<id>``: a URI that names the item, not its name or
holder, so a label stays valid for the life of the item. Anything else (a Snipe-IT asset
tag, a URL, a manufacturer's serial) is a *foreign* code: still returned, because a crew
can claim a pre-printed label and attach it to an item.
"""

from __future__ import annotations

import re

CREWKIT_EQUIPMENT_PREFIX = "crewkit:eq:"
_EQUIPMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def equipment_payload(equipment_id: str) -> str:
    """The QR payload printed on the label of ``equipment_id``."""
    if not _EQUIPMENT_ID.fullmatch(equipment_id):
        raise ValueError(f"not a valid equipment id for a label: {equipment_id!r}")
    return CREWKIT_EQUIPMENT_PREFIX + equipment_id


def equipment_id_from_payload(payload: str) -> str | None:
    """The equipment id in a Crewkit payload, or ``None`` for a foreign code.

    Surrounding whitespace is ignored because hardware scanners that type into a text
    field often add a trailing newline or tab.
    """
    text = payload.strip()
    if not text.startswith(CREWKIT_EQUIPMENT_PREFIX):
        return None
    equipment_id = text.removeprefix(CREWKIT_EQUIPMENT_PREFIX)
    return equipment_id if _EQUIPMENT_ID.fullmatch(equipment_id) else None


def is_crewkit_code(payload: str) -> bool:
    return equipment_id_from_payload(payload) is not None
