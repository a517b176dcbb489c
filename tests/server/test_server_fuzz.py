"""Schema-driven fuzzing: schemathesis against a running server's own OpenAPI schema.

A real ``crewkit-server serve`` with a paired device's token (or a hub's); every
schemathesis check, a bounded number of examples per operation. No answer may be a 5xx,
every answer must match the schema, and every op a push or relay acked must be on the
server afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from bench.postgres import free_port
from bench.serving import serving
from sync.merge import DELETED

from .conftest import Backend

SERVER = Path(sys.executable).with_name("crewkit-server")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = 25  # per operation and phase: about a minute on each backend


def _paired_token(backend: Backend, url: str, device_id: str, role: str = "coordinator",
                  **extra: object) -> str:
    made = subprocess.run([SERVER, "--data", backend.data_dir, "invite", "--team", "Fuzz",
                           "--role", role, "--json"], capture_output=True, text=True,
                          env=backend.env(), check=True, timeout=60)
    answer = httpx.post(f"{url}/v1/devices", json={
        "invite": json.loads(made.stdout)["code"], "device_id": device_id, "name": "fuzzer",
        **extra})
    answer.raise_for_status()
    return str(answer.json()["token"])


def _real_clock(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without libfaketime: the fuzzing client runs on the real clock while
    the server under test keeps a shifted one. Under a shifted monotonic clock Python's
    sleeps (schemathesis honouring a 429's Retry-After) last for the whole shift."""
    return {k: v for k, v in environ.items()
            if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


@pytest.mark.parametrize("as_hub", [False, True], ids=["device", "hub"])
def test_schemathesis_finds_nothing(backend: Backend, tmp_path: Path, as_hub: bool) -> None:
    """As a coordinator's device (hub endpoints: 403), and as a hub relaying that device's
    ops (pushes: 403)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [SERVER, "--data", backend.data_dir, "serve", "--port", str(port)]
    with serving(command, f"{url}/v1/health", log=tmp_path / "serve.log", env=backend.env()):
        device_id, hub_id = "fuzz-device", "fuzz-hub"
        token = _paired_token(backend, url, device_id)
        if as_hub:
            token = _paired_token(backend, url, hub_id, "coordinator", hub=True)
        acked = tmp_path / "acked.jsonl"
        env = _real_clock(os.environ) | {
            "SCHEMATHESIS_HOOKS": "fuzz_hooks", "CREWKIT_FUZZ_DEVICE": device_id,
            "CREWKIT_FUZZ_HUB": hub_id, "CREWKIT_FUZZ_ACKED": str(acked),
            "PYTHONPATH": str(Path(__file__).parent),
        }
        run = subprocess.run(
            [SCHEMATHESIS, "run", f"{url}/openapi.json", "--checks", "all",
             "--max-examples", str(EXAMPLES), "--seed", "1", "--workers", "1",
             "--header", f"Authorization: Bearer {token}",
             "--suppress-health-check", "too_slow", "--no-color"],
            capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
        assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
        pulled = {}
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
            cursor, more = 0, True
            while more:
                page = client.get("/v1/pull", params={"cursor": cursor}).json()
                pulled |= {(c["coll"], c["id"]): c for c in page["changes"]}
                cursor, more = page["cursor"], page["more"]
    ops = [json.loads(line) for line in acked.read_text().splitlines()]
    assert ops, "no op was acked"
    for op in ops:
        change = pulled[(op["coll"], op["id"])]
        written = [*op.get("set", {}), *([DELETED] if op.get("delete") else [])]
        assert all(change["hlc"][name] >= op["hlc"] for name in written), (op, change)
