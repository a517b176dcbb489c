"""Blobs: hash-verified, idempotent, stored under the blob directory, scoped to a team."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import PairFn, Server

PHOTO = b"\xff\xd8 a receipt photo \xff\xd9"
SHA = hashlib.sha256(PHOTO).hexdigest()


async def test_put_head_get_and_put_again(server: Server, pair: PairFn) -> None:
    device = await pair()
    assert (await device.client.head(f"/v1/blobs/{SHA}")).status_code == 404
    for _ in range(2):
        stored = await device.client.put(f"/v1/blobs/{SHA}", content=PHOTO)
        assert stored.status_code == 201 and stored.json() == {"sha256": SHA, "size": len(PHOTO)}
    head = await device.client.head(f"/v1/blobs/{SHA}")
    assert head.status_code == 200 and head.headers["content-length"] == str(len(PHOTO))
    got = await device.client.get(f"/v1/blobs/{SHA}")
    assert got.status_code == 200 and got.content == PHOTO
    assert [p.name for p in server.blob_dir.rglob("*") if p.is_file()] == [SHA]


async def test_bytes_must_match_the_name(server: Server, pair: PairFn) -> None:
    device = await pair()
    response = await device.client.put(f"/v1/blobs/{SHA}", content=PHOTO + b"!")
    assert response.status_code == 400 and response.json()["error"] == "hash_mismatch"
    assert (await device.client.head(f"/v1/blobs/{SHA}")).status_code == 404
    assert not [p for p in server.blob_dir.rglob("*") if p.is_file()]


async def test_another_team_gets_404_until_it_uploads(pair: PairFn) -> None:
    film, stage = await pair("Film"), await pair("Stage")
    await film.client.put(f"/v1/blobs/{SHA}", content=PHOTO)
    assert (await stage.client.head(f"/v1/blobs/{SHA}")).status_code == 404
    missing = await stage.client.get(f"/v1/blobs/{SHA}")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert (await stage.client.put(f"/v1/blobs/{SHA}", content=PHOTO)).status_code == 201
    assert (await stage.client.get(f"/v1/blobs/{SHA}")).content == PHOTO


@pytest.mark.parametrize("name", [
    SHA.upper(), SHA[:-1], SHA + "0", "g" * 64, "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e/%2e%2e/etc/passwd", f"..%2F{SHA}", "x/" + SHA, "%00" + SHA[2:],
])
async def test_names_that_are_not_a_sha256_get_400(server: Server, pair: PairFn,
                                                   name: str) -> None:
    device = await pair()
    for method in ("PUT", "GET"):
        response = await device.client.request(method, f"/v1/blobs/{name}", content=PHOTO)
        assert response.status_code == 400, (method, name)
        assert response.json()["error"] == "invalid_blob_name"
    assert (await device.client.head(f"/v1/blobs/{name}")).status_code == 400
    assert not [p for p in server.blob_dir.parent.rglob("passwd")]


async def test_dot_segments_never_reach_a_file(pair: PairFn) -> None:
    device = await pair()
    # The client resolves the dot segment away: what arrives is /v1/blobs, no name at all.
    response = await device.client.put(f"/v1/blobs/{SHA}/..", content=PHOTO)
    assert response.status_code == 404 and response.json()["error"] == "not_found"
