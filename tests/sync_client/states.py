"""What a tier holds, for the convergence tests: record states and whether an op lives on."""

from __future__ import annotations

import json
from typing import Any

from sync.merge import DELETED, RecordState
from sync.server.storage import Storage

Key = tuple[str, str]


def storage_state(storage: Storage, team_id: str) -> dict[Key, RecordState]:
    """Every record of ``team_id`` a server (or hub) holds, as (collection, id) → state."""
    page = storage.pull(team_id, 0, 100_000)
    assert not page.more
    found = {}
    for text in page.changes:
        change = json.loads(text)
        fields = {**change["fields"], **({DELETED: True} if change["deleted"] else {})}
        found[(change["coll"], change["id"])] = RecordState(fields, change["hlc"])
    return found


def survives(op: dict[str, Any], state: RecordState | None) -> bool:
    """An op is not lost if each field it wrote now carries its stamp or a later one."""
    if state is None:
        return False
    written = [*op.get("set", {}), *([DELETED] if op.get("delete") else [])]
    return all(state.stamps.get(name, "") >= op["hlc"] for name in written)
