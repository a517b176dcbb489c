"""Content-addressed file storage for photos: a blob's name is the sha256 of its bytes.

Naming by content makes writes idempotent (two devices storing the same receipt agree on
its name, and sync only ships a blob the other side lacks) and makes a torn or tampered
file detectable. Names are validated strictly because they arrive from sync peers: a
name is 64 lowercase hex digits and nothing else, so no name can reach outside ``root``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256_NAME = re.compile(r"[0-9a-f]{64}")


class BlobError(ValueError):
    """A blob name that is not a sha256 hex digest, or a blob that is not stored."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sha(sha: str) -> str:
    """Return ``sha`` if it is 64 lowercase hex digits; refuse anything else."""
    if not isinstance(sha, str) or not _SHA256_NAME.fullmatch(sha):
        raise BlobError(f"not a sha256 blob name: {sha!r}")
    return sha


class BlobStore:
    """Blobs under ``root/<sha[:2]>/<sha>``; thumbnails under ``root/thumbs/<sha>.jpg``.

    The two-character fan-out keeps directories small on phones' file systems.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.thumbs_dir = self.root / "thumbs"

    def path(self, sha: str) -> Path:
        check_sha(sha)
        return self.root / sha[:2] / sha

    def thumb_path(self, sha: str) -> Path:
        """Where the thumbnail of the photo blob ``sha`` lives (it may not exist yet)."""
        return self.thumbs_dir / f"{check_sha(sha)}.jpg"

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def read(self, sha: str) -> bytes:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            raise BlobError(f"no blob {sha}") from None

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its sha256; storing it again is a no-op."""
        sha = sha256_hex(data)
        target = self.path(sha)
        if not target.is_file():
            write_atomically(target, data)
        return sha

    def put_thumb(self, sha: str, jpeg: bytes) -> Path:
        """Store the thumbnail for blob ``sha`` (derived data: replaced if it exists)."""
        target = self.thumb_path(sha)
        write_atomically(target, jpeg)
        return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so a crash leaves either no file or the whole file.

    Order matters: the temp file's bytes are fsynced before the rename, so the rename can
    never expose a file whose content is still in the page cache; the directory is fsynced
    after the rename, so the new directory entry itself survives a power cut.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
