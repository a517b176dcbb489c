"""JSON encoding for the journal and snapshots: orjson where installed, else the stdlib.

Both produce standard JSON, so a database written by one opens with the other; orjson
parses a large snapshot about three times faster, which is most of the cost of opening.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # platforms without an orjson build
    orjson = None  # type: ignore[assignment]


def dumps(value: Any) -> bytes:
    if orjson is not None:
        return orjson.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def loads(data: bytes) -> Any:
    if orjson is not None:
        return orjson.loads(data)
    return json.loads(data)

