"""Reading codes from photos, and telling Crewkit labels from other systems' codes."""

from __future__ import annotations

from app.qr.decode import (
    PASSES,
    PHONE_LIBRARIES,
    DecodePass,
    DecodeResult,
    DecodeStatus,
    ScannedCode,
    decode_image,
    passes_for,
)
from app.qr.payloads import (
    CREWKIT_EQUIPMENT_PREFIX,
    equipment_id_from_payload,
    equipment_payload,
    is_crewkit_code,
)

__all__ = [
    "CREWKIT_EQUIPMENT_PREFIX",
    "PASSES",
    "PHONE_LIBRARIES",
    "DecodePass",
    "DecodeResult",
    "DecodeStatus",
    "ScannedCode",
    "decode_image",
    "equipment_id_from_payload",
    "equipment_payload",
    "is_crewkit_code",
    "passes_for",
]
