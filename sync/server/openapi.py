"""The OpenAPI schema at ``/openapi.json``, saying what the server enforces.

FastAPI derives most of it from the routes; this adds what it cannot know: refusals are
400 (never FastAPI's 422), ``cursor``, ``limit`` and ``wait`` have bounds (``limit`` this server's
own), a blob is named by a lowercase sha256, the shape of a pushed (and relayed) op, and the
``Retry-After`` of 429 and 503 answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from sync.schema import COLLECTIONS

from .limits import Limits

# Seqs are 64-bit signed integers in both databases: no cursor can exceed the largest.
MAX_SEQ = 2**63 - 1
ID_PATTERN = "^[A-Za-z0-9._~-]{1,128}$"
SHA256_PATTERN = "^[0-9a-f]{64}$"
HLC_PATTERN = "^[0-9]{15}:[0-9]{6}:[A-Za-z0-9._~-]{1,128}$"
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 1}}}

OP_SCHEMA: dict[str, Any] = {
    "title": "Op",
    "type": "object",
    "description": "One change: set some fields of a record and/or delete it.",
    "properties": {
        "op_id": {"type": "string", "pattern": ID_PATTERN},
        "coll": {"type": "string", "enum": sorted(COLLECTIONS)},
        "id": {"type": "string", "pattern": ID_PATTERN},
        "hlc": {"type": "string", "pattern": HLC_PATTERN,
                "description": "physical_ms:counter:node_id, node_id the pushing device"},
        "set": {"type": "object", "description": "fields of the collection (sync/schema.py)"},
        "delete": {"type": "boolean"},
    },
    "required": ["op_id", "coll", "id", "hlc"],
    "additionalProperties": False,
}


RELAYED_OP_SCHEMA: dict[str, Any] = {
    **OP_SCHEMA,
    "title": "RelayedOp",
    "description": "An op as its origin device pushed it to the hub, with the origin's id.",
    "properties": {"origin": {"type": "string", "pattern": ID_PATTERN,
                              "description": "the device that made the op"},
                   **OP_SCHEMA["properties"]},
    "required": ["origin", *OP_SCHEMA["required"]],
}


#: A push as a device sends it (``node_id`` of the stamp is the pushing device).
PUSH_EXAMPLE: dict[str, Any] = {"device_id": "01JDX3PHONE", "schema": 2, "ops": [
    {"op_id": "01JDX4OP1", "coll": "equipment", "id": "01JDX0CAM7",
     "hlc": "001764323990000:000001:01JDX3PHONE", "set": {"notes": "lens cap missing"},
     "delete": False},
    {"op_id": "01JDX4OP5", "coll": "expenses", "id": "01JDX0EX9",
     "hlc": "001764323991000:000000:01JDX3PHONE", "delete": True}]}


#: The same push, relayed by a hub.
RELAY_EXAMPLE = {"device_id": "01JDX2HUB", "schema": 2, "ops": [
    {"origin": "01JDX3PHONE", **op} for op in PUSH_EXAMPLE["ops"]]}


def _any_op(ref: str) -> dict[str, Any]:
    return {"anyOf": [{"$ref": f"#/components/schemas/{ref}"}, {}],
            "description": "any value is taken; one that is not a valid op is rejected alone"}


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])}


def describe(app: FastAPI, limits: Limits) -> dict[str, Any]:
    spec = get_openapi(title=app.title, version=app.version, routes=app.routes,
                       description=app.description)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Op"] = OP_SCHEMA
    schemas["RelayedOp"] = RELAYED_OP_SCHEMA
    for path, methods in spec["paths"].items():
        for operation in methods.values():
            responses = operation.get("responses", {})
            responses.pop("422", None)
            for status in ("429", "503"):
                if status in responses:
                    responses[status]["headers"] = RETRY_AFTER
            if path.startswith("/v1/blobs/"):
                _parameters(operation)["name"]["schema"] = {
                    "type": "string", "pattern": SHA256_PATTERN,
                    "description": "lowercase hex sha256 of the blob's bytes"}
    blob = spec["paths"]["/v1/blobs/{name}"]
    blob["put"]["requestBody"] = {  # no body: the empty blob
        "required": False, "description": "the blob's bytes, hashing to its name",
        "content": {"application/octet-stream": {"schema": {"type": "string",
                                                            "format": "binary"}}}}
    size = {"Content-Length": {"description": "the blob's size in bytes",
                               "schema": {"type": "integer", "minimum": 0}}}
    blob["get"]["responses"]["200"] = {"description": "the blob's bytes", "headers": size,
                                       "content": {"application/octet-stream": {
                                           "schema": {"type": "string", "format": "binary"}}}}
    blob["head"]["responses"]["200"] = {"description": "the blob exists", "headers": size,
                                        "content": {"application/octet-stream": {}}}
    pull = _parameters(spec["paths"]["/v1/pull"]["get"])
    pull["cursor"]["schema"] = {"type": "integer", "minimum": 0, "maximum": MAX_SEQ,
                                "default": 0}
    pull["limit"]["schema"] = {"type": "integer", "minimum": 1,
                               "maximum": limits.max_pull_limit,
                               "default": limits.default_pull_limit}
    pull["wait"]["schema"] = {"type": "number", "minimum": 0,
                              "maximum": limits.max_pull_wait_s, "default": 0}
    for path, example, ref in (("/v1/push", PUSH_EXAMPLE, "Op"),
                               ("/v1/relay", RELAY_EXAMPLE, "RelayedOp")):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        body["example"] = example
        body["schema"]["properties"]["ops"]["items"] = _any_op(ref)
    return spec


def install(app: FastAPI, limits: Limits) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(app, limits)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
