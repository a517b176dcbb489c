from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.blobs import BlobError, BlobStore, check_sha, sha256_hex

EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_put_returns_the_sha256_and_stores_the_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"receipt")
    assert sha == sha256_hex(b"receipt")
    assert store.has(sha)
    assert store.read(sha) == b"receipt"
    assert store.path(sha) == tmp_path / sha[:2] / sha


def test_put_is_idempotent_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = store.put(b"same")
    mtime = store.path(first).stat().st_mtime_ns
    assert store.put(b"same") == first
    assert store.path(first).stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first]


def test_empty_blob_is_fine(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    assert store.put(b"") == EMPTY_SHA
    assert store.read(EMPTY_SHA) == b""


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../" + "a" * 61,
        "A" * 64,
        "a" * 63,
        "a" * 65,
        "g" * 64,
        "a" * 63 + "\n",
        "/" + "a" * 63,
        "a" * 32 + "/" + "a" * 31,
        "\uff10" * 64,
    ],
)
def test_rejects_anything_but_64_lowercase_hex(tmp_path: Path, name: str) -> None:
    store = BlobStore(tmp_path)
    for call in (store.path, store.has, store.read, store.thumb_path, check_sha):
        with pytest.raises(BlobError, match="not a sha256"):
            call(name)


def test_reading_a_missing_blob_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BlobError, match="no blob"):
        BlobStore(tmp_path).read(EMPTY_SHA)
    assert not BlobStore(tmp_path).has(EMPTY_SHA)


def test_thumbnails_live_under_thumbs(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"photo")
    path = store.put_thumb(sha, b"jpeg")
    assert path == tmp_path / "thumbs" / f"{sha}.jpg"
    assert path.read_bytes() == b"jpeg"


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    store = BlobStore(tmp_path)
    with pytest.raises(OSError, match="disk full"):
        store.put(b"data")
    assert not store.has(sha256_hex(b"data"))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@given(st.binary(max_size=256))
def test_any_bytes_round_trip(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    store = BlobStore(tmp_path_factory.getbasetemp() / "hyp")
    assert store.read(store.put(data)) == data
