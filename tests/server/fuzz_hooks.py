"""Schemathesis hooks for ``test_server_fuzz``: speak as the paired device (or relay its
ops as the paired hub), and check that pushes and relays are really acked.

Loaded by the schemathesis command through ``SCHEMATHESIS_HOOKS``; the device id comes in
``CREWKIT_FUZZ_DEVICE``, the hub's in ``CREWKIT_FUZZ_HUB``, and every acked op is
appended to ``CREWKIT_FUZZ_ACKED`` (one JSON line each) for the test to find on the server
afterwards.
"""

from __future__ import annotations

import json
import os
import re
import time
from hashlib import sha256
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.core import NOT_SET
from schemathesis.transport.serialization import serialize_binary

DEVICE = os.environ.get("CREWKIT_FUZZ_DEVICE", "")
HUB = os.environ.get("CREWKIT_FUZZ_HUB", "")
#: Where a batch of ops is sent, and the device its ``device_id`` names.
BATCHES = {"/v1/push": DEVICE, "/v1/relay": HUB}
ACKED = Path(os.environ.get("CREWKIT_FUZZ_ACKED", os.devnull))
SHA256 = re.compile(r"[0-9a-f]{64}")
STAMP = re.compile(r"([0-9]{15}):([0-9]{6}):[A-Za-z0-9._~-]{1,128}")


def _as_device(op: Any) -> Any:
    """An op stamped by the paired device, no later than now; other values as they are."""
    if not isinstance(op, dict) or not isinstance(op.get("hlc"), str):
        return op
    found = STAMP.fullmatch(op["hlc"])
    if not found:
        return op
    physical = min(int(found.group(1)), time.time_ns() // 1_000_000)
    return {**op, "hlc": f"{physical:015d}:{found.group(2)}:{DEVICE}"}


def _relayed_from_device(op: Any) -> Any:
    """A relayed op whose origin and stamp are the paired device's."""
    op = _as_device(op)
    if isinstance(op, dict) and isinstance(op.get("origin"), str):
        return {**op, "origin": DEVICE}
    return op


def _batch_as_device(body: Any, sender: str) -> Any:
    """A push or relay body whose ``device_id`` names ``sender`` and whose stamps (and
    origins) name the paired device (a field that is missing or of the wrong type stays
    so: a negative case stays negative)."""
    if not isinstance(body, dict):
        return body
    mapped = dict(body)
    if isinstance(mapped.get("device_id"), str):
        mapped["device_id"] = sender
    if isinstance(mapped.get("ops"), list):
        mapped["ops"] = [_relayed_from_device(op) for op in mapped["ops"]]
    return mapped


#: The longest long-poll the fuzzer waits through (a pull past the team's last change
#: waits its whole ``wait``): a valid wait stays valid, only shorter.
FUZZ_WAIT_S = 0.05


def _short_wait(query: Any) -> Any:
    wait = query.get("wait") if isinstance(query, dict) else None
    # Up to max_pull_wait_s (30); a wait over it stays a negative case.
    if isinstance(wait, int | float) and not isinstance(wait, bool) and FUZZ_WAIT_S < wait <= 30:
        return {**query, "wait": FUZZ_WAIT_S}
    return query


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    """Pushes speak as the paired device, relays as the hub relaying its ops; an upload
    is named by its bytes' sha256 (as every client does), so that uploads succeed and can
    be read back."""
    path = case.operation.path
    if path in BATCHES:
        case.body = _batch_as_device(case.body, BATCHES[path])
    elif path == "/v1/pull":
        case.query = _short_wait(case.query)
    elif path.startswith("/v1/blobs/") and case.method.upper() == "PUT":
        name = (case.path_parameters or {}).get("name")
        data = b"" if case.body is NOT_SET else serialize_binary(case.body)
        if isinstance(name, str) and SHA256.fullmatch(name):
            case.path_parameters = {**case.path_parameters, "name": sha256(data).hexdigest()}


@schemathesis.check
class pushes_are_acked:  # schemathesis names a check after its class
    """Every op of an answered push or relay is acked or rejected, each exactly once, and a
    run acks some ops at all (the schema's example push and relay are valid)."""

    def __init__(self) -> None:
        self.acked: set[str] = set()

    def after_response(self, ctx: Any, response: Any, case: Any) -> None:
        if case.operation.path not in BATCHES or response.status_code != 200:
            return
        ops = case.body["ops"]
        answer = response.json()
        acked = [a["op_id"] if isinstance(a, dict) else a for a in answer["acked"]]
        sent = [op.get("op_id") if isinstance(op, dict) else None for op in ops]
        settled = [*acked, *(r["op_id"] for r in answer["rejected"])]
        assert len(settled) == len(ops), f"{len(ops)} ops sent, {len(settled)} settled"
        assert set(acked) <= {s for s in sent if isinstance(s, str)}, "acked unsent"
        assert all(len(r["message"]) < 600 for r in answer["rejected"]), "message too long"
        with ACKED.open("a", encoding="utf-8") as log:
            for op in ops:
                if isinstance(op, dict) and op.get("op_id") in acked:
                    self.acked.add(op["op_id"])
                    log.write(json.dumps(op) + "\n")

    def after_run(self, ctx: Any) -> None:
        assert self.acked, "no push or relay of the run had an op acked"
