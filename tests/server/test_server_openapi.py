"""The OpenAPI schema says what the server enforces, and a 405 names every allowed method."""

from __future__ import annotations

import json

from sync.server.limits import Limits

from .conftest import Server


def test_the_schema_documents_400_bounds_and_blob_names(server: Server) -> None:
    spec = server.app.openapi()
    assert '"422"' not in json.dumps(spec) and "HTTPValidationError" not in json.dumps(spec)
    pull = {p["name"]: p["schema"] for p in spec["paths"]["/v1/pull"]["get"]["parameters"]}
    assert (pull["cursor"]["minimum"], pull["cursor"]["maximum"]) == (0, 2**63 - 1)
    assert (pull["limit"]["minimum"], pull["limit"]["maximum"]) == (1, 5000)
    for method in ("put", "get", "head"):
        operation = spec["paths"]["/v1/blobs/{name}"][method]
        [name] = operation["parameters"]
        assert name["schema"]["pattern"] == "^[0-9a-f]{64}$"
        assert "400" in operation["responses"]
    assert "Retry-After" in spec["paths"]["/v1/devices"]["post"]["responses"]["429"]["headers"]


def test_the_pull_limit_bound_is_the_servers_own(make_server: object) -> None:
    limited = make_server(Limits(max_pull_limit=10))  # type: ignore[operator]
    pull = limited.app.openapi()["paths"]["/v1/pull"]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("maximum") for p in pull}["limit"] == 10


async def test_a_405_allows_every_method_of_the_path(server: Server) -> None:
    async with server.client() as client:
        blob = await client.delete("/v1/blobs/" + "a" * 64)
        push = await client.get("/v1/push")
    assert blob.status_code == 405 and blob.headers["allow"] == "GET, HEAD, PUT"
    assert push.status_code == 405 and push.headers["allow"] == "POST"


def test_the_schema_documents_relayed_ops_and_hub_bodies(server: Server) -> None:
    spec = server.app.openapi()
    relay = spec["paths"]["/v1/relay"]["post"]["requestBody"]["content"]["application/json"]
    items = relay["schema"]["properties"]["ops"]["items"]["anyOf"]
    assert {"$ref": "#/components/schemas/RelayedOp"} in items
    relayed = spec["components"]["schemas"]["RelayedOp"]
    assert relayed["required"][0] == "origin" and "origin" in relayed["properties"]
    assert all(op["origin"] for op in relay["example"]["ops"])
    registered = spec["components"]["schemas"]["RegisteredDevice"]["properties"]
    assert registered["role"]["enum"] == ["coordinator", "crew"]
    assert registered["token_hash"]["pattern"] == "^[0-9a-f]{64}$"
    assert "hub" in spec["components"]["schemas"]["PairRequest"]["properties"]
    assert set(spec["paths"]["/v1/hub/devices"]) == {"get", "post"}


def test_the_schema_documents_a_hubs_health_and_rejections_in_its_pulls(
    server: Server,
) -> None:
    schemas = server.app.openapi()["components"]["schemas"]
    assert "hub" in schemas["Health"]["properties"] and "hub" not in schemas["Health"].get(
        "required", [])
    hub = schemas["HubHealth"]
    assert hub["properties"]["upstream"]["enum"] == ["linked", "unreachable", "revoked", "none"]
    assert set(hub["required"]) == {"team_id", "name", "upstream", "relay_waiting",
                                    "last_upstream_ms"}
    assert "rejected" not in schemas["PullResponse"]["required"]
    assert set(schemas["PulledRejectionModel"]["required"]) == {"op", "code", "message"}
    assert "team_name" in schemas["PairResponse"]["required"]
